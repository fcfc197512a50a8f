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

  /**
   * Throws unless the command's actor, as the HTTP edge verified it ({@link Field#ACTOR_ID},
   * {@link Field#ACTOR_ROLE}), is an admin: 401 for a guest, 403 for anyone else.
   */
  public static void requireAdmin(io.vertx.core.json.JsonObject command, String what) {
    if (command.getLong(Field.ACTOR_ID) == null) {
      throw unauthorized("sign in first");
    }
    if (!"admin".equals(command.getString(Field.ACTOR_ROLE))) {
      throw forbidden("only admins may " + what);
    }
  }
}
