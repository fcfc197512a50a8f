package dev.liveforum.persistence;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.liveforum.bus.Failure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bcrypt, on threads of its own (one hash costs tens to hundreds of milliseconds; never an event loop).
 * Checking a password comes before hashing a new one: a sign-in waits at most for the hashes already
 * running, never behind a queue of registrations. New hashes may wait {@code maxQueuedHashes} at a time;
 * beyond that one is refused at once with 503 (nothing has been written yet), and one that would end past
 * its {@link Deadline} (judged by how long recent hashes took) is dropped unhashed when its turn comes.
 */
final class Passwords {
  static final int MAX_BYTES = 72;
  private static final int CHECK = 0;
  private static final int HASH = 1;

  private final Vertx vertx;
  private final int cost;
  private final int maxQueuedHashes;
  private final ThreadPoolExecutor threads;
  private final AtomicInteger queuedHashes = new AtomicInteger();
  private final AtomicLong order = new AtomicLong();
  /** How long a hash takes here lately (a moving average, ns). */
  private final AtomicLong hashNanos = new AtomicLong();
  /** Verified against when an email is unknown, so a failed login takes as long either way. */
  private volatile String decoyHash;

  Passwords(Vertx vertx, int cost, int threads, int maxQueuedHashes) {
    this.vertx = vertx;
    this.cost = cost;
    this.maxQueuedHashes = maxQueuedHashes;
    AtomicInteger named = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(),
        work -> {
          Thread t = new Thread(work, "liveforum-bcrypt-" + named.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** A new password's hash; fails with 503 when too many wait already or {@code deadline} has passed. */
  Future<String> hash(String password, Deadline deadline) {
    if (queuedHashes.incrementAndGet() > maxQueuedHashes) {
      queuedHashes.decrementAndGet();
      return Future.failedFuture(Failure.unavailable(Deadline.BUSY));
    }
    return run(HASH, () -> {
      queuedHashes.decrementAndGet();
      deadline.check(hashNanos.get());
      long start = System.nanoTime();
      String hash = BCrypt.withDefaults().hashToString(cost, password.toCharArray());
      long took = System.nanoTime() - start;
      hashNanos.updateAndGet(average -> average == 0 ? took : (3 * average + took) / 4);
      return hash;
    });
  }

  /** Checks a password against a stored hash, or against the decoy when there is none. */
  Future<Boolean> verify(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      // No account can have such a password, and bcrypt refuses to check one.
      return Future.succeededFuture(false);
    }
    return run(CHECK, () -> {
      String against = hash == null ? decoy() : hash;
      boolean matches = BCrypt.verifyer()
          .verify(password.getBytes(StandardCharsets.UTF_8), against.getBytes(StandardCharsets.UTF_8)).verified;
      return matches && hash != null;
    });
  }

  void close() {
    threads.shutdownNow();
  }

  /** Runs {@code work} on a bcrypt thread, most urgent first, and completes on the caller's context. */
  private <T> Future<T> run(int priority, Callable<T> work) {
    Context context = vertx.getOrCreateContext();
    Promise<T> result = Promise.promise();
    try {
      threads.execute(new Task(priority, order.incrementAndGet(), () -> {
        try {
          T value = work.call();
          context.runOnContext(v -> result.complete(value));
        } catch (Throwable t) {
          context.runOnContext(v -> result.fail(t));
        }
      }));
    } catch (RejectedExecutionException stopping) {
      return Future.failedFuture(Failure.unavailable(Deadline.BUSY));
    }
    return result.future();
  }

  /** Made on first use, on a bcrypt thread. */
  private String decoy() {
    if (decoyHash == null) {
      decoyHash = BCrypt.withDefaults().hashToString(cost, "decoy-password".toCharArray());
    }
    return decoyHash;
  }

  /** Lower priority first, then first come. */
  private record Task(int priority, long order, Runnable work) implements Runnable, Comparable<Task> {
    @Override
    public void run() {
      work.run();
    }

    @Override
    public int compareTo(Task o) {
      return priority != o.priority ? Integer.compare(priority, o.priority) : Long.compare(order, o.order);
    }
  }
}
