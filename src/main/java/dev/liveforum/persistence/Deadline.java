package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * When a write is too late to make. The asker waits {@link Field#ANSWER_WITHIN_MS} for the reply; a write
 * that commits after it has stopped waiting is answered "outcome unknown" (504) although it was made, and a
 * retry then collides with it (409). So a write that queued for bcrypt is refused, with nothing written
 * (503), when its work would not be done within the first half of that time: the other half is for the
 * write itself, its reply, and a hash that took longer than the ones before it (a loaded machine).
 */
final class Deadline {
  static final String BUSY = "the server is too busy to take this now and nothing was changed; try again shortly";
  private static final Deadline NONE = new Deadline(Long.MAX_VALUE);

  private final long lastStartNanos;

  private Deadline(long lastStartNanos) {
    this.lastStartNanos = lastStartNanos;
  }

  /** Counted from now, when the command arrives; a command without the field has no deadline. */
  static Deadline of(JsonObject command) {
    Long within = command.getLong(Field.ANSWER_WITHIN_MS);
    if (within == null || within <= 0) {
      return NONE;
    }
    return new Deadline(System.nanoTime() + within / 2 * 1_000_000);
  }

  /** Throws 503 when too late. */
  void check() {
    check(0);
  }

  /** Throws 503 when work that takes {@code aheadNanos} would end too late. */
  void check(long aheadNanos) {
    if (System.nanoTime() + aheadNanos - lastStartNanos > 0) {
      throw Failure.unavailable(BUSY);
    }
  }

  /** Succeeds with {@code value} while there is time, else fails with 503. */
  <T> Future<T> then(T value) {
    try {
      check();
      return Future.succeededFuture(value);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
