package dev.liveforum.persistence;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.mysqlclient.MySQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a caller sees when InnoDB picks its statement or transaction as a deadlock's victim. */
@DisplayName("Deadlocks: run again, then a 503, never an internal error")
class TransactionsTest {
  private static final MySQLException DEADLOCK = new MySQLException(
      "Deadlock found when trying to get lock; try restarting transaction", Transactions.DEADLOCK, "40001");
  private static final MySQLException LOCK_WAIT = new MySQLException(
      "Lock wait timeout exceeded; try restarting transaction", Transactions.LOCK_WAIT_TIMEOUT, "HY000");

  @Test
  @DisplayName("a deadlock victim is run again and its second run's result is the answer")
  void deadlockRunsAgain() {
    AtomicInteger runs = new AtomicInteger();
    long retriedBefore = Transactions.deadlocksRetried();
    Future<String> result = Transactions.retryingDeadlocks(() -> runs.incrementAndGet() < 3
        ? Future.failedFuture(DEADLOCK) : Future.succeededFuture("done"));
    assertEquals("done", result.result());
    assertEquals(3, runs.get());
    assertEquals(retriedBefore + 2, Transactions.deadlocksRetried(), "each run again is counted for the summary warning");
  }

  @Test
  @DisplayName("a deadlock that persists, or a lock wait timeout, is a 503 that says to try again")
  void persistentDeadlockIs503() {
    AtomicInteger runs = new AtomicInteger();
    Future<String> deadlocked = Transactions.retryingDeadlocks(() -> {
      runs.incrementAndGet();
      return Future.failedFuture(DEADLOCK);
    });
    ReplyException busy = assertInstanceOf(ReplyException.class, deadlocked.cause());
    assertEquals(503, busy.failureCode());
    assertTrue(busy.getMessage().contains("try again"), busy.getMessage());
    assertEquals(3, runs.get(), "three runs in all");

    runs.set(0);
    Future<String> waited = Transactions.retryingDeadlocks(() -> {
      runs.incrementAndGet();
      return Future.failedFuture(LOCK_WAIT);
    });
    assertEquals(503, assertInstanceOf(ReplyException.class, waited.cause()).failureCode());
    assertEquals(1, runs.get(), "a lock wait timeout is not run again: it already waited");
  }

  @Test
  @DisplayName("any other failure is passed on as it is, at once")
  void otherFailuresPassOn() {
    MySQLException duplicate = new MySQLException("Duplicate entry", 1062, "23000");
    AtomicInteger runs = new AtomicInteger();
    Future<String> result = Transactions.retryingDeadlocks(() -> {
      runs.incrementAndGet();
      return Future.failedFuture(duplicate);
    });
    assertSame(duplicate, result.cause());
    assertEquals(1, runs.get());
  }
}
