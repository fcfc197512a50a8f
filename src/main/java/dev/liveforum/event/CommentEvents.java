package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/**
 * Events of comments. Each names the comment, its post, the comment it replies to ({@code parentId}, null
 * for a root comment), its author and the post's author.
 */
public final class CommentEvents {
  private CommentEvents() {}

  /**
   * A comment was written: where it sits in the thread ({@code rootId}, {@code depth}, and {@code replyTo}
   * {@code {id, author}} when it answers a comment it could not nest under), the author of the comment it
   * replies to, its text, and the post's comment count after it.
   */
  public record Created(long commentId, long postId, Long parentId, long authorId, long postAuthorId,
                        JsonObject replyTo, Long rootId, int depth, Long parentAuthorId, String authorName,
                        String excerpt, String content, String contentHtml, String createdAt, long commentCount)
      implements EventData, OnPost {
    public static final String TYPE = "comment.created";

    public static Created from(JsonObject data) {
      return EventJson.read(Created.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /** A comment was edited by {@code editorId}: its text as it reads now. */
  public record Updated(long commentId, long postId, Long parentId, long authorId, long postAuthorId, long editorId,
                        String excerpt, String content, String contentHtml, String editedAt)
      implements EventData, OnPost {
    public static final String TYPE = "comment.updated";

    public static Updated from(JsonObject data) {
      return EventJson.read(Updated.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }

  /**
   * A comment was deleted by {@code deletedBy} (its text goes, its place stays); the root comment of its
   * thread ({@code rootId}, null for a root) and the post's count after.
   */
  public record Deleted(long commentId, long postId, Long parentId, Long rootId, long authorId, long postAuthorId,
                        long deletedBy, long commentCount) implements EventData, OnPost {
    public static final String TYPE = "comment.deleted";

    public static Deleted from(JsonObject data) {
      return EventJson.read(Deleted.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
