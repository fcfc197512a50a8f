package dev.liveforum.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Events of a user's notifications, made by the notification rules and by read marks. */
public final class NotificationEvents {
  private NotificationEvents() {}

  /** A notification was made (or a like group grew): it as the inbox lists it, and the owner's unread count. */
  public record Created(long userId, long unread, JsonObject notification) implements EventData {
    public static final String TYPE = "notification.created";

    public static Created from(JsonObject data) {
      return EventJson.read(Created.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** Notifications were read: these {@code ids}, or {@code all}; and the unread count after. */
  public record Read(long userId, JsonArray ids, boolean all, long unread) implements EventData {
    public static final String TYPE = "notification.read";

    public static Read from(JsonObject data) {
      return EventJson.read(Read.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
