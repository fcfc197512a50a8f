package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Transactions that take row locks in more than one table can deadlock with another such transaction
 * (e.g. liking a comment while its post is being deleted), and so can a statement that locks rows
 * through a secondary index against one that locks the same rows by primary key (a notification
 * feeder's lease against another feeder marking its batch fed). InnoDB then rolls one of them back at
 * once; that one is simply run again, a few times, before the client is told to retry. Retries are
 * normal under load: they are counted and summed up in one warning a minute at most, not logged each.
 * A transaction that lost the race to record an Idempotency-Key runs again the same way, and then finds
 * the winner's reply ({@link IdempotencyKeys}).
 */
final class Transactions {
  static final int DEADLOCK = 1213;
  static final int LOCK_WAIT_TIMEOUT = 1205;
  private static final int ATTEMPTS = 3;
  private static final long SUMMARY_EVERY_MS = 60_000;
  private static final Logger log = LoggerFactory.getLogger(Transactions.class);
  private static final AtomicLong RETRIED = new AtomicLong();
  private static final AtomicLong UNREPORTED = new AtomicLong();
  private static final AtomicLong LAST_SUMMARY = new AtomicLong();

  private Transactions() {}

  /**
   * Runs {@code work} in a transaction, committed when it succeeds and rolled back when it fails. A commit
   * whose connection is lost before the server answers may or may not have happened: that is a 504 saying
   * so, never the 503 of "nothing was done" (an Idempotency-Key repeat then tells which).
   */
  static <T> Future<T> run(Pool pool, Function<SqlConnection, Future<T>> work) {
    return retryingDeadlocks(() -> pool.withConnection(conn -> conn.begin().compose(tx -> work.apply(conn)
        .transform(done -> done.failed()
            ? tx.rollback().transform(rolledBack -> Future.<T>failedFuture(done.cause()))
            : tx.commit().transform(committed -> committed.succeeded() ? Future.succeededFuture(done.result())
                : Future.<T>failedFuture(committed.cause() instanceof DatabaseException ? committed.cause()
                    : Failure.of(504, "the database connection was lost while the change was being committed")))))));
  }

  /**
   * Runs {@code work} (a statement or a transaction, from its start) again when InnoDB chose it as a
   * deadlock's victim, a few times; a deadlock still there, or a lock wait timeout, becomes a 503 that
   * tells the caller to try again, never an internal error.
   */
  static <T> Future<T> retryingDeadlocks(Supplier<Future<T>> work) {
    return attempt(work, 1);
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> work, int n) {
    return work.get().recover(failure -> {
      Throwable t = Database.cause(failure);
      if (t instanceof DatabaseException e && e.getErrorCode() == DEADLOCK && n < ATTEMPTS) {
        retried();
        return attempt(work, n + 1);
      }
      if (t instanceof IdempotencyKeys.Raced) {
        return n < ATTEMPTS ? attempt(work, n + 1)
            : Future.failedFuture(Failure.conflict("a request with this Idempotency-Key is being handled; try again shortly"));
      }
      if (t instanceof DatabaseException e && (e.getErrorCode() == DEADLOCK || e.getErrorCode() == LOCK_WAIT_TIMEOUT)) {
        return Future.failedFuture(Failure.unavailable("too many changes to the same thing at once; try again"));
      }
      return Future.failedFuture(t);
    });
  }

  /** Deadlock victims run again since this JVM started. */
  static long deadlocksRetried() {
    return RETRIED.get();
  }

  private static void retried() {
    RETRIED.incrementAndGet();
    long unreported = UNREPORTED.incrementAndGet();
    long now = System.currentTimeMillis();
    long last = LAST_SUMMARY.get();
    if (now - last >= SUMMARY_EVERY_MS && LAST_SUMMARY.compareAndSet(last, now)) {
      UNREPORTED.addAndGet(-unreported);
      log.warn("{} deadlock victim(s) run again since the last report ({} in all); each retried transaction or statement ran anew",
          unreported, RETRIED.get());
    }
  }
}
