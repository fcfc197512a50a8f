package dev.liveforum.notification;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feeder's first look at an event: the events the notification rules cannot turn into a
 * notification make no job; everything else (and anything malformed) does. NotificationsTest checks
 * the rules themselves end to end.
 */
@DisplayName("Notification feeder: which events become jobs")
class FeederTest {
  private static JsonObject like(boolean liked, long liker, long author) {
    return new JsonObject().put("liked", liked).put("userId", liker).put("targetAuthorId", author)
        .put("targetType", "post").put("targetId", 1);
  }

  private static JsonObject comment(long author, long postAuthor, Long parentAuthor, String content) {
    return new JsonObject().put("authorId", author).put("postAuthorId", postAuthor)
        .put("parentId", parentAuthor == null ? null : 9L).put("parentAuthorId", parentAuthor).put("content", content);
  }

  @Test
  @DisplayName("likes: a like of someone else's thing is a job; an unlike or a like of one's own is not")
  void likes() {
    assertTrue(Feeder.mayNotify("like.changed", like(true, 1, 2)));
    assertFalse(Feeder.mayNotify("like.changed", like(false, 1, 2)), "an unlike tells nobody");
    assertFalse(Feeder.mayNotify("like.changed", like(true, 2, 2)), "liking one's own post tells nobody");
  }

  @Test
  @DisplayName("comments: on someone else's post, as a reply to someone else, or with an @ are jobs; the rest not")
  void comments() {
    assertTrue(Feeder.mayNotify("comment.created", comment(1, 2, null, "hi")), "tells the post's author");
    assertTrue(Feeder.mayNotify("comment.created", comment(2, 2, 3L, "hi")), "tells the parent's author");
    assertTrue(Feeder.mayNotify("comment.created", comment(2, 2, null, "thanks @carol")), "may mention someone");
    assertFalse(Feeder.mayNotify("comment.created", comment(2, 2, null, "an addendum")), "own post, no reply, no @");
    assertFalse(Feeder.mayNotify("comment.created", comment(2, 2, 2L, "replying to myself")));
  }

  @Test
  @DisplayName("posts and edits notify by @mentions only; other types never; malformed events go to persistence")
  void mentionsOnlyAndMalformed() {
    assertTrue(Feeder.mayNotify("post.created", new JsonObject().put("title", "for @dave").put("content", "x")));
    assertTrue(Feeder.mayNotify("post.updated", new JsonObject().put("title", "t").put("content", "cc @erin")));
    assertTrue(Feeder.mayNotify("comment.updated", new JsonObject().put("content", "now @frank")));
    assertFalse(Feeder.mayNotify("post.created", new JsonObject().put("title", "plain").put("content", "text")));
    assertFalse(Feeder.mayNotify("post.deleted", new JsonObject().put("title", "@x")), "not a source of notifications");
    assertTrue(Feeder.mayNotify("like.changed", null), "no data: persistence refuses it, and it is dead-lettered");
    assertTrue(Feeder.mayNotify("like.changed", new JsonObject().put("liked", true).put("userId", "one")),
        "a field of the wrong type: persistence judges");
  }
}
