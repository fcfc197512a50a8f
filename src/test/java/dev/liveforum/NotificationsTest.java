package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.function.Predicate;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Notifications: who is told what, once, and how it reaches them on every node")
class NotificationsTest {
  private TestNode a;
  private TestNode b;
  private Api apiA;
  private Api apiB;
  private Forum forum;
  private long board;

  @BeforeAll
  void start() {
    Config config = TestServices.config()
        .with(Setting.NOTIFY_FEED_INTERVAL, 200)
        .with(Setting.BRIDGE_PRESENCE_INTERVAL, 200);
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge", "notification");
    b = TestNode.clustered(config, "http", "bridge", "notification");
    apiA = new Api(a.port);
    apiB = new Api(b.port);
    forum = new Forum(apiA);
    board = forum.board("notify");
  }

  @AfterAll
  void stop() {
    b.close();
    a.close();
  }

  private long post(Forum.Member author, String content) {
    return forum.post(author.token(), board, "Post by " + author.name(), content).getLong("id");
  }

  private long comment(Forum.Member author, long post, Long parent, String text) {
    return forum.commentId(author.token(), post, parent, text);
  }

  private void like(Forum.Member who, String path) {
    assertEquals(200, apiB.send(HttpMethod.PUT, path + "/like", who.token(), null).status());
  }

  private JsonArray notifications(Forum.Member user) {
    Api.Response r = apiA.get("/api/notifications", user.token());
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonArray("items");
  }

  /** Waits until the user's notifications satisfy {@code until} (jobs run after the write answered). */
  private JsonArray awaitNotifications(Forum.Member user, String what, Predicate<JsonArray> until) {
    return eventually(what, () -> notifications(user), until);
  }

  /** Waits for the jobs of every event so far, then gives them a moment more, for checking that something did not happen. */
  private void settle() {
    eventually("every event has been through the notification jobs",
        () -> TestDb.count("SELECT COUNT(*) FROM outbox WHERE notified_at IS NULL"), pending -> pending == 0);
    sleep(500);
  }

  @Test
  @DisplayName("a comment tells the post's author, a reply tells the parent's author too, and nobody hears of their own action")
  void commentsAndReplies() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    Forum.Member carol = forum.member("carol");
    long post = post(alice, "A question");
    long bobs = comment(bob, post, null, "An answer");
    JsonObject told = awaitNotifications(alice, "alice told of bob's comment", items -> items.size() == 1)
        .getJsonObject(0);
    assertEquals("comment", told.getString("type"));
    assertEquals(bob.id(), told.getJsonObject("actor").getLong("id"));
    assertEquals(bob.name(), told.getJsonObject("actor").getString("username"));
    assertEquals(post, told.getLong("postId"));
    assertEquals(bobs, told.getLong("commentId"));
    assertEquals("/posts/" + post + "#comment-" + bobs, told.getString("link"));
    assertEquals("Post by " + alice.name(), told.getString("postTitle"));
    assertFalse(told.getBoolean("read"));

    long reply = comment(carol, post, bobs, "A reply to bob");
    JsonObject bobTold = awaitNotifications(bob, "bob told of carol's reply", items -> items.size() == 1).getJsonObject(0);
    assertEquals("reply", bobTold.getString("type"));
    assertEquals(reply, bobTold.getLong("commentId"));
    awaitNotifications(alice, "alice told of carol's comment too", items -> items.size() == 2);

    comment(alice, post, null, "My own comment");
    long selfReply = comment(bob, post, bobs, "Replying to myself");
    // bob's reply to himself is still a comment on alice's post: she hears of it, he does not.
    JsonArray alices = awaitNotifications(alice, "alice told of bob's reply on her post", i -> i.size() == 3);
    assertEquals(selfReply, alices.getJsonObject(0).getLong("commentId"));
    assertEquals("comment", alices.getJsonObject(0).getString("type"));
    settle();
    assertEquals(3, notifications(alice).size(), "no notification of one's own comment");
    assertEquals(1, notifications(bob).size(), "no notification of one's own reply");
    assertEquals(0, notifications(carol).size());
  }

  @Test
  @DisplayName("likes tell the author once per liker, however often they unlike and like again, and group within the window")
  void likes() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    Forum.Member carol = forum.member("carol");
    long post = post(alice, "Like me");
    like(bob, "/api/posts/" + post);
    JsonObject first = awaitNotifications(alice, "alice told of bob's like", items -> items.size() == 1).getJsonObject(0);
    assertEquals("like", first.getString("type"));
    assertEquals("post", first.getString("targetType"));
    assertEquals(0, first.getInteger("others"));

    assertEquals(200, apiA.send(HttpMethod.DELETE, "/api/posts/" + post + "/like", bob.token(), null).status());
    like(bob, "/api/posts/" + post);
    like(alice, "/api/posts/" + post);
    like(carol, "/api/posts/" + post);
    JsonObject grouped = awaitNotifications(alice, "carol joins the like notification",
        items -> items.size() == 1 && items.getJsonObject(0).getInteger("others") == 1).getJsonObject(0);
    assertEquals(carol.id(), grouped.getJsonObject("actor").getLong("id"));
    settle();
    JsonArray items = notifications(alice);
    assertEquals(1, items.size(), "re-liking and self-liking add nothing: " + items.encodePrettily());
    assertEquals(1, items.getJsonObject(0).getInteger("others"));

    long bobs = comment(bob, post, null, "like this comment");
    like(carol, "/api/comments/" + bobs);
    JsonObject commentLike = awaitNotifications(bob, "bob told of a like of his comment", i -> i.size() == 1)
        .getJsonObject(0);
    assertEquals("comment", commentLike.getString("targetType"));
    assertEquals(bobs, commentLike.getLong("commentId"));
  }

  @Test
  @DisplayName("@mentions in posts and comments tell the mentioned user once, not themselves, not twice on an edit")
  void mentions() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    Forum.Member dave = forum.member("dave");
    long post = post(alice, "Hello @" + dave.name() + " and @" + alice.name() + " and @nobody_" + dave.name());
    JsonObject told = awaitNotifications(dave, "dave told of the mention in a post", i -> i.size() == 1).getJsonObject(0);
    assertEquals("mention", told.getString("type"));
    assertNull(told.getValue("commentId"));
    long comment = comment(bob, post, null, "cc @" + dave.name().toUpperCase() + ", see this");
    JsonObject inComment = awaitNotifications(dave, "dave told of the mention in a comment", i -> i.size() == 2)
        .getJsonObject(0);
    assertEquals(comment, inComment.getLong("commentId"));
    assertEquals(200, apiA.send(HttpMethod.PATCH, "/api/comments/" + comment, bob.token(),
        new JsonObject().put("content", "cc @" + dave.name() + ", edited")).status());
    settle();
    assertEquals(2, notifications(dave).size(), "an edit keeping the mention tells nobody again");
    // alice: bob's comment on her post, not her own mention of herself.
    JsonArray alices = notifications(alice);
    assertEquals(1, alices.size(), alices.encodePrettily());
    assertEquals("comment", alices.getJsonObject(0).getString("type"));
  }

  @Test
  @DisplayName("only the owner reads and marks their notifications; unread counts, filters and paging follow")
  void ownership() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    long post = post(alice, "Many comments");
    for (int i = 0; i < 3; i++) {
      comment(bob, post, null, "comment " + i);
    }
    JsonArray items = awaitNotifications(alice, "three notifications", i -> i.size() == 3);
    long newest = items.getJsonObject(0).getLong("id");
    JsonObject count = apiA.get("/api/notifications/unread-count", alice.token()).json();
    assertEquals(3L, count.getLong("count"));
    JsonObject caughtUp = apiA.get("/api/realtime/user." + alice.id() + "?after=0", alice.token()).json();
    assertEquals(caughtUp.getLong("seq"), count.getLong("seq"), "the count comes with its channel's seq: " + caughtUp);
    assertEquals(401, apiA.get("/api/notifications").status());
    assertEquals(401, apiA.get("/api/notifications/unread-count").status());
    assertEquals(0, notifications(bob).size());
    assertEquals(404, apiA.send(HttpMethod.POST, "/api/notifications/" + newest + "/read", bob.token(), null).status());
    assertEquals(404, apiA.send(HttpMethod.POST, "/api/notifications/999999999/read", alice.token(), null).status());
    assertEquals(400, apiA.send(HttpMethod.POST, "/api/notifications/abc/read", alice.token(), null).status());

    assertEquals(204, apiA.send(HttpMethod.POST, "/api/notifications/" + newest + "/read", alice.token(), null).status());
    assertEquals(204, apiA.send(HttpMethod.POST, "/api/notifications/" + newest + "/read", alice.token(), null).status());
    assertEquals(2L, apiA.get("/api/notifications/unread-count", alice.token()).json().getLong("count"));
    JsonObject unread = apiA.get("/api/notifications?unread=true&limit=1", alice.token()).json();
    assertEquals(1, unread.getJsonArray("items").size());
    assertTrue(unread.getJsonArray("items").getJsonObject(0).getLong("id") < newest);
    Api.Response nextPage = apiA.get("/api/notifications?unread=true&limit=1&cursor=" + unread.getString("nextCursor"),
        alice.token());
    assertEquals(200, nextPage.status(), nextPage.toString());
    JsonObject next = nextPage.json();
    assertEquals(1, next.getJsonArray("items").size());
    assertNull(next.getValue("nextCursor"));
    assertEquals(400, apiA.get("/api/notifications?limit=1&cursor=" + unread.getString("nextCursor"), alice.token()).status(),
        "an unread-only cursor is not a cursor of the full list");
    assertEquals(400, apiA.get("/api/notifications?limit=1&cursor=" + unread.getString("nextCursor"), bob.token()).status());

    assertEquals(204, apiA.send(HttpMethod.POST, "/api/notifications/read-all", alice.token(), null).status());
    assertEquals(0L, apiA.get("/api/notifications/unread-count", alice.token()).json().getLong("count"));
    assertTrue(notifications(alice).stream().allMatch(n -> ((JsonObject) n).getBoolean("read")));
  }

  @Test
  @DisplayName("the unread count follows new notifications, joined like groups, reads, and a post deleted with its notifications")
  void unreadCountFollowsEveryChange() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    Forum.Member carol = forum.member("carol");
    Forum.Member dave = forum.member("dave");
    long doomed = post(alice, "To be deleted");
    long kept = post(alice, "To be kept");
    comment(bob, doomed, null, "first");
    comment(bob, doomed, null, "second");
    comment(carol, doomed, null, "third");
    like(carol, "/api/posts/" + kept);
    awaitNotifications(alice, "three comments and a like", i -> i.size() == 4);
    like(dave, "/api/posts/" + kept);
    awaitNotifications(alice, "dave joins carol's like", i -> i.size() == 4
        && i.stream().anyMatch(n -> ((JsonObject) n).getInteger("others") == 1));
    assertEquals(4L, unreadCount(alice), "a joined like group is still one unread notification");
    assertEquals(0L, unreadCount(bob));

    JsonArray items = notifications(alice);
    long onDoomed = items.stream().map(n -> (JsonObject) n)
        .filter(n -> n.getLong("postId") == doomed).findFirst().orElseThrow().getLong("id");
    assertEquals(204, apiA.send(HttpMethod.POST, "/api/notifications/" + onDoomed + "/read", alice.token(), null).status());
    assertEquals(3L, unreadCount(alice));

    // The post takes its three comment notifications with it: one read, two unread.
    assertEquals(204, apiA.send(HttpMethod.DELETE, "/api/posts/" + doomed, alice.token(), null).status());
    assertEquals(1L, unreadCount(alice), "only the like group on the kept post is left unread");
    assertEquals(1, notifications(alice).size());
    comment(bob, kept, null, "after the delete");
    awaitNotifications(alice, "the new comment", i -> i.size() == 2);
    assertEquals(2L, unreadCount(alice));
    assertEquals(TestDb.count("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", alice.id()),
        unreadCount(alice), "the kept count is the count of the rows");
    assertEquals(204, apiA.send(HttpMethod.POST, "/api/notifications/read-all", alice.token(), null).status());
    assertEquals(0L, unreadCount(alice));
  }

  private long unreadCount(Forum.Member user) {
    Api.Response r = apiB.get("/api/notifications/unread-count", user.token());
    assertEquals(200, r.status(), r.toString());
    return r.json().getLong("count");
  }

  @Test
  @DisplayName("a notification caused on node A reaches the owner's socket on node B, and a read mark reaches their other socket")
  void delivery() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    long post = post(alice, "Deliver");
    String channel = "user." + alice.id();
    try (BridgeClient phone = BridgeClient.connect(b.bridgePort);
         BridgeClient laptop = BridgeClient.connect(a.bridgePort)) {
      phone.subscribe(channel, alice.token());
      laptop.subscribe(channel, alice.token());
      long commentId = comment(bob, post, null, "ping");
      JsonObject created = phone.event(channel, "notification.created");
      assertEquals(1L, created.getJsonObject("data").getLong("unread"));
      JsonObject notification = created.getJsonObject("data").getJsonObject("notification");
      assertEquals(commentId, notification.getLong("commentId"));
      assertEquals("comment", notification.getString("type"));
      assertFalse(created.encode().contains("@example.com"));
      laptop.event(channel, "notification.created");

      assertEquals(204, apiA.send(HttpMethod.POST, "/api/notifications/" + notification.getLong("id") + "/read",
          alice.token(), null).status());
      for (BridgeClient device : new BridgeClient[] {phone, laptop}) {
        JsonObject read = device.event(channel, "notification.read").getJsonObject("data");
        assertEquals(0L, read.getLong("unread"));
        assertEquals(new JsonArray().add(notification.getLong("id")), read.getJsonArray("ids"));
      }
      // The counts in the events are the counts right after each notification, not just the first one's.
      comment(bob, post, null, "ping again");
      assertEquals(1L, phone.event(channel, "notification.created").getJsonObject("data").getLong("unread"));
      comment(bob, post, null, "and again");
      assertEquals(2L, phone.event(channel, "notification.created").getJsonObject("data").getLong("unread"));
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
