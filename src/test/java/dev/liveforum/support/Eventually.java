package dev.liveforum.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for what another thread, node or process does: a wait that runs out fails the test and says what it waited for. */
public final class Eventually {
  public static final Duration WAIT = Duration.ofSeconds(30);
  private static final long POLL_MS = 20;

  private Eventually() {
  }

  /** Waits up to {@link #WAIT} until {@code condition} holds. */
  public static void eventually(String what, BooleanSupplier condition) {
    eventually(what, WAIT, condition, () -> "");
  }

  /** Waits up to {@code timeout} until {@code condition} holds; on failure the message ends with {@code seen}'s account of what was there. */
  public static void eventually(String what, Duration timeout, BooleanSupplier condition, Supplier<String> seen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        String account = seen.get();
        throw new AssertionError("gave up after " + timeout.toMillis() + " ms waiting until " + what
            + (account.isEmpty() ? "" : "; saw " + account));
      }
      pause(what);
    }
  }

  /** Reads {@code probe} up to {@link #WAIT} until what it reads satisfies {@code done}; returns that reading. */
  public static <T> T eventually(String what, Supplier<T> probe, Predicate<? super T> done) {
    return eventually(what, WAIT, probe, done);
  }

  /** As {@link #eventually(String, Supplier, Predicate)} for up to {@code timeout}; on failure says what it last read. */
  public static <T> T eventually(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = probe.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("gave up after " + timeout.toMillis() + " ms waiting until " + what + "; last saw " + last);
      }
      pause(what);
      last = probe.get();
    }
    return last;
  }

  private static void pause(String what) {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting until " + what, e);
    }
  }
}
