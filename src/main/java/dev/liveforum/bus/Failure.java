package dev.liveforum.bus;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Failures travel over the bus as {@link ReplyException}s whose code is the HTTP status the edge
 * returns, and whose message is safe to show to the user.
 */
public final class Failure {
  private Failure() {}

  public static ReplyException of(int status, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, message);
  }

  public static ReplyException badRequest(String message) {
    return of(400, message);
  }

  public static ReplyException unauthorized(String message) {
    return of(401, message);
  }

  public static ReplyException forbidden(String message) {
    return of(403, message);
  }

  public static ReplyException notFound(String message) {
    return of(404, message);
  }

  public static ReplyException conflict(String message) {
    return of(409, message);
  }

  public static ReplyException unavailable(String message) {
    return of(503, message);
  }
}
