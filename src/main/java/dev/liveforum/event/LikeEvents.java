package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/** Events of likes. */
public final class LikeEvents {
  private LikeEvents() {}

  /**
   * A like was given or withdrawn ({@code liked}) on a post or a comment ({@code targetType}), which now has
   * {@code likeCount}; {@code likedAt} is when the like was given, on a withdrawal too.
   */
  public record Changed(String targetType, long targetId, long postId, long userId, boolean liked, long likeCount,
                        long targetAuthorId, String likedAt) implements EventData, OnPost {
    public static final String TYPE = "like.changed";

    public static Changed from(JsonObject data) {
      return EventJson.read(Changed.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
