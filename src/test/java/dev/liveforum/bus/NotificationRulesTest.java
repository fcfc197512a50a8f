package dev.liveforum.bus;

import dev.liveforum.bus.NotificationRules.Candidate;
import dev.liveforum.bus.NotificationRules.Source;
import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.LikeEvents;
import dev.liveforum.event.PostEvents;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification rules on their own: whom an event tells, and whether the feeder makes a job of it.
 * NotificationsTest and NotificationJobsTest check them end to end, through the database.
 */
@DisplayName("Notification rules: who is told what")
class NotificationRulesTest {
  private static final long ALICE = 1;
  private static final long BOB = 2;
  private static final long CAROL = 3;

  private static JsonObject comment(long author, long postAuthor, Long parentAuthor, String content) {
    Long parent = parentAuthor == null ? null : 40L;
    return new CommentEvents.Created(50, 7, parent, author, postAuthor, null, parent == null ? 50L : 40L,
        parent == null ? 0 : 1, parentAuthor, "someone", content, content, "<p>" + content + "</p>",
        "2026-01-01T00:00:00Z", 3).toJson();
  }

  private static JsonObject commentEdit(long author, String content) {
    return new CommentEvents.Updated(50, 7, null, author, ALICE, author, content, content, "<p>" + content + "</p>",
        "2026-01-01T00:00:00Z").toJson();
  }

  private static JsonObject like(boolean liked, long liker, String targetType, long targetId, long author) {
    return new LikeEvents.Changed(targetType, targetId, 7, liker, liked, 1, author, "2026-01-01T00:00:00Z").toJson();
  }

  private static JsonObject post(long author, String title, String content) {
    return new PostEvents.Created(7, 1, author, "someone", title, "2026-01-01T00:00:00Z", content).toJson();
  }

  /** Whom the event tells, with {@code mentioned} the ids its @names resolved to. */
  private static List<Candidate> told(String type, JsonObject data, Long... mentioned) {
    return NotificationRules.told(NotificationRules.read(type, data), List.of(mentioned));
  }

  private static Candidate only(List<Candidate> told) {
    assertEquals(1, told.size(), () -> "one told: " + told);
    return told.get(0);
  }

  @Test
  @DisplayName("a comment tells the post's author of that comment; one on one's own post tells nobody")
  void comments() {
    Candidate c = only(told("comment.created", comment(BOB, ALICE, null, "nice")));
    assertEquals(new Candidate(ALICE, "comment", 50L, null, null, null), c);
    assertTrue(NotificationRules.mayTell("comment.created", comment(BOB, ALICE, null, "nice")));

    assertEquals(List.of(), told("comment.created", comment(ALICE, ALICE, null, "an addendum")));
    assertFalse(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, null, "an addendum")));
  }

  @Test
  @DisplayName("a reply tells the parent's author and the post's author, the parent's author once if they wrote both")
  void replies() {
    assertEquals(List.of(new Candidate(CAROL, "reply", 50L, null, null, null),
            new Candidate(ALICE, "comment", 50L, null, null, null)),
        told("comment.created", comment(BOB, ALICE, CAROL, "agreed")));

    assertEquals(new Candidate(ALICE, "reply", 50L, null, null, null),
        only(told("comment.created", comment(BOB, ALICE, ALICE, "agreed"))), "a reply on their own post: the reply");

    assertEquals(new Candidate(CAROL, "reply", 50L, null, null, null),
        only(told("comment.created", comment(ALICE, ALICE, CAROL, "thanks"))), "the post's author replying tells the parent's");
    assertTrue(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, CAROL, "thanks")));

    assertEquals(List.of(), told("comment.created", comment(ALICE, ALICE, ALICE, "replying to myself")));
    assertFalse(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, ALICE, "replying to myself")));

    JsonObject parentGone = comment(BOB, ALICE, null, "late").put("parentId", 40L);
    assertEquals(ALICE, only(told("comment.created", parentGone)).userId(), "a parent without an author tells nobody else");
  }

  @Test
  @DisplayName("a like tells the target's author once per liker; an unlike or a like of one's own thing tells nobody")
  void likes() {
    assertEquals(new Candidate(ALICE, "like", null, "post", 7L, "like:post:7:" + BOB),
        only(told("like.changed", like(true, BOB, "post", 7, ALICE))));
    assertEquals(new Candidate(ALICE, "like", 50L, "comment", 50L, "like:comment:50:" + BOB),
        only(told("like.changed", like(true, BOB, "comment", 50, ALICE))), "a liked comment is pointed at");
    assertTrue(NotificationRules.mayTell("like.changed", like(true, BOB, "post", 7, ALICE)));

    assertEquals(List.of(), told("like.changed", like(false, BOB, "post", 7, ALICE)));
    assertFalse(NotificationRules.mayTell("like.changed", like(false, BOB, "post", 7, ALICE)));
    assertEquals(List.of(), told("like.changed", like(true, ALICE, "post", 7, ALICE)));
    assertFalse(NotificationRules.mayTell("like.changed", like(true, ALICE, "post", 7, ALICE)));

    assertEquals(Set.of(), NotificationRules.mentionedNames(NotificationRules.read("like.changed",
        like(true, BOB, "post", 7, ALICE).put("content", "@carol")), 10), "a like mentions nobody");
  }

  @Test
  @DisplayName("mentions: distinct names case aside, the first few only, not e-mail addresses or short names")
  void mentions() {
    assertEquals(List.of("Bob", "carol"),
        List.copyOf(NotificationRules.mentions("@Bob and @bob and @BOB, then @carol", 10)), "one name, as first written");
    assertEquals(List.of("ann", "bob"), List.copyOf(NotificationRules.mentions("@ann @ANN @bob @cyd @dan", 2)),
        "the first two distinct");
    assertEquals(Set.of(), NotificationRules.mentions("mail bob@example.com, @ab is too short, @@bob is not one", 10));

    Source post = NotificationRules.read("post.created", post(ALICE, "for @dave", "and @erin"));
    assertEquals(Set.of("erin", "dave"), NotificationRules.mentionedNames(post, 10), "a post's title counts");
    Source edit = NotificationRules.read("comment.updated", commentEdit(BOB, "now @frank"));
    assertEquals(Set.of("frank"), NotificationRules.mentionedNames(edit, 10));
  }

  @Test
  @DisplayName("the mentioned are told once per text, after the rules' own, and never of their own text")
  void mentionedUsers() {
    assertEquals(List.of(new Candidate(CAROL, "mention", null, null, null, "mention:post:7")),
        told("post.created", post(ALICE, "hi @carol", "and @alice"), CAROL, ALICE), "the author's own name tells nobody");

    assertEquals(List.of(new Candidate(CAROL, "mention", 50L, null, null, "mention:comment:50")),
        told("comment.updated", commentEdit(BOB, "cc @carol"), CAROL));

    assertEquals(List.of(new Candidate(CAROL, "reply", 50L, null, null, null),
            new Candidate(ALICE, "comment", 50L, null, null, null)),
        told("comment.created", comment(BOB, ALICE, CAROL, "@carol @alice right"), CAROL, ALICE),
        "a reply that mentions the parent's and the post's authors tells each once, by the rule");

    assertTrue(NotificationRules.mayTell("post.updated", post(ALICE, "t", "cc @erin")), "an @ may mention someone");
    assertFalse(NotificationRules.mayTell("post.created", post(ALICE, "plain", "text")));
  }

  @Test
  @DisplayName("a text over the mention cap is refused with 422 saying the cap; names differing in case count once")
  void mentionCap() {
    assertDoesNotThrow(() -> NotificationRules.requireMentionsAtMost("post", "@ann @bob @ANN @Bob", 2));
    ReplyException refused = assertThrows(ReplyException.class,
        () -> NotificationRules.requireMentionsAtMost("comment", "@ann @bob @cyd", 2));
    assertEquals(422, refused.failureCode());
    assertEquals("comment mentions more than 2 people: at most 2 distinct @names may be mentioned in one comment",
        refused.getMessage());
  }

  @Test
  @DisplayName("other events tell nobody; a malformed source is refused by read, and passed on by mayTell")
  void sourcesAndMalformed() {
    assertFalse(NotificationRules.isSource("post.deleted"));
    assertFalse(NotificationRules.mayTell("post.deleted", post(ALICE, "@bob", "@bob")));
    assertTrue(NotificationRules.isSource("comment.updated"));

    assertThrows(IllegalArgumentException.class,
        () -> NotificationRules.read("comment.created", comment(BOB, ALICE, null, "x").put("commentId", null)));
    assertThrows(IllegalArgumentException.class,
        () -> NotificationRules.read("like.changed", like(true, BOB, "post", 7, ALICE).put("liked", null)));
    assertThrows(IllegalArgumentException.class,
        () -> NotificationRules.read("like.changed", like(true, BOB, "post", 7, ALICE).put("targetAuthorId", "ann")));
    assertThrows(IllegalArgumentException.class, () -> NotificationRules.read("post.created", new JsonObject()));

    assertTrue(NotificationRules.mayTell("like.changed", null));
    assertTrue(NotificationRules.mayTell("like.changed", like(true, BOB, "post", 7, ALICE).put("targetAuthorId", "ann")));
  }

  @Test
  @DisplayName("which events may tell anyone (the feeder makes jobs of those only); malformed ones go to persistence")
  void mayTell() {
    assertTrue(NotificationRules.mayTell("like.changed", like(true, BOB, "post", 7, ALICE)));
    assertFalse(NotificationRules.mayTell("like.changed", like(false, BOB, "post", 7, ALICE)), "an unlike tells nobody");
    assertFalse(NotificationRules.mayTell("like.changed", like(true, ALICE, "post", 7, ALICE)),
        "liking one's own post tells nobody");

    assertTrue(NotificationRules.mayTell("comment.created", comment(BOB, ALICE, null, "hi")), "tells the post's author");
    assertTrue(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, CAROL, "hi")),
        "tells the parent's author");
    assertTrue(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, null, "thanks @carol")),
        "may mention someone");
    assertFalse(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, null, "an addendum")),
        "own post, no reply, no @");
    assertFalse(NotificationRules.mayTell("comment.created", comment(ALICE, ALICE, ALICE, "replying to myself")));

    assertTrue(NotificationRules.mayTell("post.created", post(ALICE, "for @dave", "x")));
    assertTrue(NotificationRules.mayTell("comment.updated", commentEdit(BOB, "now @frank")));
    assertFalse(NotificationRules.mayTell("post.created", post(ALICE, "plain", "text")));
    assertFalse(NotificationRules.mayTell("post.deleted", post(ALICE, "@x", "")), "not a source of notifications");
    assertTrue(NotificationRules.mayTell("like.changed", null), "no data: persistence refuses it, and it is dead-lettered");
    assertTrue(NotificationRules.mayTell("like.changed", like(true, BOB, "post", 7, ALICE).put("userId", "one")),
        "a field of the wrong type: persistence judges");
  }
}
