package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/** Events of boards: each carries the board as it reads after the change. */
public final class BoardEvents {
  private BoardEvents() {}

  public record Created(long id, String name, String description, long postCount, String createdAt,
                        String updatedAt) implements EventData {
    public static final String TYPE = "board.created";

    public static Created from(JsonObject data) {
      return EventJson.read(Created.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  public record Updated(long id, String name, String description, long postCount, String createdAt,
                        String updatedAt) implements EventData {
    public static final String TYPE = "board.updated";

    public static Updated from(JsonObject data) {
      return EventJson.read(Updated.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  public record Deleted(long id) implements EventData {
    public static final String TYPE = "board.deleted";

    public static Deleted from(JsonObject data) {
      return EventJson.read(Deleted.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
