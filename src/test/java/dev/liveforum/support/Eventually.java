package dev.liveforum.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
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
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting until " + what, e);
      }
    }
  }
}
