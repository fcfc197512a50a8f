package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/** Events of accounts. */
public final class UserEvents {
  private UserEvents() {}

  /** An account was registered. */
  public record Created(long id, String username, String createdAt) implements EventData {
    public static final String TYPE = "user.created";

    public static Created from(JsonObject data) {
      return EventJson.read(Created.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
