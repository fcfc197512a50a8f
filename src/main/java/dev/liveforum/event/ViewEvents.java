package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/** Events of view counting. */
public final class ViewEvents {
  private ViewEvents() {}

  /** A batch of post views was added to the database: {@code views} in all, counted on UTC {@code day}. */
  public record Added(String batch, String day, long views) implements EventData {
    public static final String TYPE = "views.added";

    public static Added from(JsonObject data) {
      return EventJson.read(Added.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
