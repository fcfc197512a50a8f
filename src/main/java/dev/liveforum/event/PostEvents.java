package dev.liveforum.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Events of posts. */
public final class PostEvents {
  private PostEvents() {}

  /** A post was written: what a list and a notification show of it, and its text (for mentions). */
  public record Created(long id, long boardId, long authorId, String authorName, String title, String createdAt,
                        String content) implements EventData, OnPost {
    public static final String TYPE = "post.created";

    public static Created from(JsonObject data) {
      return EventJson.read(Created.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public long postId() {
      return id;
    }
  }

  /** A post was edited: it as it reads now. */
  public record Updated(long id, long boardId, long authorId, String authorName, String title, String createdAt,
                        String content, String contentHtml, String editedAt) implements EventData, OnPost {
    public static final String TYPE = "post.updated";

    public static Updated from(JsonObject data) {
      return EventJson.read(Updated.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public long postId() {
      return id;
    }
  }

  /**
   * A post was deleted with its comments, images and likes; {@code removed} says, per UTC day, how many
   * posts, comments and likes the deletion took from the statistics ({@code [{day, posts, comments, likes}]}).
   */
  public record Deleted(long id, long boardId, long authorId, JsonArray removed) implements EventData, OnPost {
    public static final String TYPE = "post.deleted";

    public static Deleted from(JsonObject data) {
      return EventJson.read(Deleted.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }

    @Override
    public long postId() {
      return id;
    }
  }
}
