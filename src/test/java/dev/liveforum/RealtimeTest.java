package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.Events;
import dev.liveforum.event.DomainEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Realtime: events reach WebSocket subscribers on every node, numbered, and can be caught up")
class RealtimeTest {
  private TestNode a;
  private TestNode b;
  private Api apiA;
  private Api apiB;
  private Forum forum;
  private long board;
  private String alice;
  private String bob;
  private long aliceId;

  @BeforeAll
  void start() {
    Config config = TestServices.config().with(Setting.BRIDGE_PRESENCE_INTERVAL, 200);
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge");
    // An edge node: REST and bridge only; the database and Redis are reached through node A.
    b = TestNode.clustered(config, "http", "bridge");
    apiA = new Api(a.port);
    apiB = new Api(b.port);
    forum = new Forum(apiA);
    board = forum.board("live");
    Forum.Member member = forum.member("alice");
    alice = member.token();
    aliceId = member.id();
    bob = forum.user("bob");
  }

  @AfterAll
  void stop() {
    b.close();
    a.close();
  }

  private long post(String title) {
    return forum.post(alice, board, title, "Body of " + title).getLong("id");
  }

  private JsonObject comment(Api api, String token, long post, String text) {
    return forum.via(api).comment(token, post, null, text);
  }

  /** A comment's event as the outbox relay publishes it, numbered {@code seq} on its post's channel. */
  private static JsonObject commentEvent(String eventId, long post, long commentId, String text, long seq) {
    CommentEvents.Created data = new CommentEvents.Created(commentId, post, null, 1, 1, null, commentId, 0, null,
        "someone", text, text, "<p>" + text + "</p>", "2026-01-01T00:00:00Z", 2);
    return new DomainEvent(eventId, CommentEvents.Created.TYPE, "2026-01-01T00:00:00Z", data,
        new JsonObject().put("post." + post, seq), null).toJson();
  }

  @Test
  @DisplayName("two numbered events that reach a bridge the other way round still go out in number order")
  void framesGoOutInNumberOrder() {
    long post = post("In order");
    String channel = "post." + post;
    Vertx bus = a.node.vertx();
    try (BridgeClient watcher = BridgeClient.connect(b.bridgePort)) {
      long current = watcher.subscribe(channel, null).getJsonObject("body").getLong("seq");
      // Two relays published x (numbered first) and y in the other order.
      JsonObject x = commentEvent(unique("evt-x"), post, 900_001, "first", current + 1);
      JsonObject y = commentEvent(unique("evt-y"), post, 900_002, "second", current + 2);
      bus.eventBus().publish(Events.address(CommentEvents.Created.TYPE), y);
      bus.eventBus().publish(Events.address(CommentEvents.Created.TYPE), x);
      List<Long> seen = List.of(watcher.event(channel, "comment.created").getLong("seq"),
          watcher.event(channel, "comment.created").getLong("seq"));
      assertEquals(List.of(current + 1, current + 2), seen, "frames in number order");
    }
  }

  @Test
  @DisplayName("a comment made through REST on node A reaches a subscriber on node B; watchers of another post get nothing")
  void commentReachesOtherNode() {
    long post = post("Watched");
    long other = post("Unwatched");
    try (BridgeClient onB = BridgeClient.connect(b.bridgePort);
         BridgeClient elsewhere = BridgeClient.connect(a.bridgePort)) {
      onB.subscribe("post." + post, null);
      elsewhere.subscribe("post." + other, bob);
      JsonObject made = comment(apiA, bob, post, "Hello **live** world");

      JsonObject event = onB.event("post." + post, "comment.created");
      JsonObject data = event.getJsonObject("data");
      assertEquals(made.getLong("id"), data.getLong("commentId"));
      assertEquals(post, data.getLong("postId"));
      assertEquals(1L, data.getLong("commentCount"));
      assertTrue(data.getString("authorName").startsWith("bob"), data.encode());
      assertTrue(data.getString("contentHtml").contains("<strong>live</strong>"), data.encode());
      assertTrue(event.getLong("seq") >= 1, event.encode());
      assertNotNull(event.getString("at"));
      assertFalse(event.encode().contains("@example.com"), "no email in " + event.encode());
      assertFalse(event.encode().toLowerCase().contains("password"), event.encode());

      List<JsonObject> stray = elsewhere.drain(500);
      assertTrue(stray.stream().noneMatch(f -> "rec".equals(f.getString("type"))
          && "comment.created".equals(f.getJsonObject("body").getString("type"))), stray.toString());
    }
  }

  @Test
  @DisplayName("likes, edits and deletes of comments and of the post arrive in order, each numbered one more than the last")
  void everyChangeArrivesInOrder() {
    long post = post("Changing");
    try (BridgeClient watcher = BridgeClient.connect(b.bridgePort)) {
      long start = watcher.subscribe("post." + post, bob).getJsonObject("body").getLong("seq");
      long commentId = comment(apiA, bob, post, "first version").getLong("id");
      assertEquals(200, apiB.send(HttpMethod.PUT, "/api/comments/" + commentId + "/like", alice, null).status());
      assertEquals(200, apiA.send(HttpMethod.PUT, "/api/posts/" + post + "/like", bob, null).status());
      assertEquals(200, apiA.send(HttpMethod.PATCH, "/api/comments/" + commentId, bob,
          new JsonObject().put("content", "second version")).status());
      assertEquals(200, apiB.send(HttpMethod.PATCH, "/api/posts/" + post, alice,
          new JsonObject().put("title", "Changed title")).status());
      assertEquals(204, apiA.send(HttpMethod.DELETE, "/api/comments/" + commentId, bob, null).status());

      List<String> expected = List.of("comment.created", "like.changed", "like.changed", "comment.updated",
          "post.updated", "comment.deleted");
      List<JsonObject> events = new ArrayList<>();
      for (String type : expected) {
        events.add(watcher.event("post." + post, type));
      }
      for (int i = 0; i < events.size(); i++) {
        assertEquals(start + i + 1, events.get(i).getLong("seq"), events.toString());
      }
      JsonObject commentLike = events.get(1).getJsonObject("data");
      assertEquals("comment", commentLike.getString("targetType"));
      assertEquals(1L, commentLike.getLong("likeCount"));
      assertEquals("post", events.get(2).getJsonObject("data").getString("targetType"));
      assertEquals("second version", events.get(3).getJsonObject("data").getString("content"));
      assertEquals("Changed title", events.get(4).getJsonObject("data").getString("title"));
      assertEquals(0L, events.get(5).getJsonObject("data").getLong("commentCount"));
    }
  }

  @Test
  @DisplayName("after unregistering, a socket gets nothing more of that channel, and still gets its other channels")
  void unregisterStopsDelivery() {
    long post = post("Left behind");
    long other = post("Still watched");
    try (BridgeClient client = BridgeClient.connect(b.bridgePort)) {
      client.subscribe("post." + post, null);
      client.subscribe("post." + other, null);
      client.unregister("post." + post);
      comment(apiA, bob, post, "nobody here any more");
      comment(apiA, bob, other, "but here");
      client.event("post." + other, "comment.created");
      List<JsonObject> late = client.drain(500);
      assertTrue(late.stream().noneMatch(f -> ("post." + post).equals(f.getString("address"))
          && "comment.created".equals(f.getJsonObject("body").getString("type"))), late.toString());
    }
  }

  @Test
  @DisplayName("a new post in a board reaches the board's watchers")
  void newPostReachesBoard() {
    try (BridgeClient watcher = BridgeClient.connect(a.bridgePort)) {
      watcher.subscribe("board." + board, null);
      long post = post("Fresh in the board");
      JsonObject data = watcher.event("board." + board, "post.created").getJsonObject("data");
      assertEquals(post, data.getLong("id"));
      assertEquals("Fresh in the board", data.getString("title"));
    }
  }

  @Test
  @DisplayName("a client that drops, misses three comments and reconnects to the other node gets exactly those, in order")
  void catchUpAfterReconnect() {
    long post = post("Catch up");
    long last;
    try (BridgeClient first = BridgeClient.connect(a.bridgePort)) {
      first.subscribe("post." + post, null);
      comment(apiA, bob, post, "seen live");
      last = first.event("post." + post, "comment.created").getLong("seq");
    }
    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      missed.add(comment(apiB, bob, post, "missed " + i).getLong("id"));
    }
    try (BridgeClient again = BridgeClient.connect(b.bridgePort)) {
      again.subscribe("post." + post, null);
      JsonObject caughtUp = apiB.awaitSeq("/api/realtime/post." + post + "?after=" + last, last + 3);
      JsonArray events = caughtUp.getJsonArray("events");
      assertEquals(3, events.size(), caughtUp.encode());
      for (int i = 0; i < 3; i++) {
        JsonObject event = events.getJsonObject(i);
        assertEquals(last + 1 + i, event.getLong("seq"));
        assertEquals("comment.created", event.getString("type"));
        assertEquals(missed.get(i), event.getJsonObject("data").getLong("commentId"));
      }
      assertEquals(0, apiB.get("/api/realtime/post." + post + "?after=" + (last + 3)).json()
          .getJsonArray("events").size());
    }
  }

  @Test
  @DisplayName("40 comments at once on two posts: each post's watchers get every one, numbered 1..20 in order without a gap or a repeat, and catch-up agrees")
  void burstIsNumberedWithoutGaps() throws Exception {
    long[] posts = {post("Burst one"), post("Burst two")};
    // A socket per post and node: a client looking for one channel's events skips the other's.
    BridgeClient[][] watchers = new BridgeClient[2][2];
    try {
      for (int p = 0; p < 2; p++) {
        for (int n = 0; n < 2; n++) {
          watchers[p][n] = BridgeClient.connect(n == 0 ? a.bridgePort : b.bridgePort);
          watchers[p][n].subscribe("post." + posts[p], null);
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(40);
      try {
        List<Future<JsonObject>> made = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          long post = posts[i % 2];
          Api api = i % 4 < 2 ? apiA : apiB;
          String text = "burst " + i;
          made.add(pool.submit(() -> comment(api, bob, post, text)));
        }
        for (Future<JsonObject> comment : made) {
          comment.get();
        }
      } finally {
        pool.shutdownNow();
      }
      for (int p = 0; p < 2; p++) {
        String channel = "post." + posts[p];
        for (BridgeClient watcher : watchers[p]) {
          List<Long> seqs = new ArrayList<>();
          Set<Long> comments = new HashSet<>();
          while (seqs.size() < 20) {
            JsonObject event = watcher.event(channel, "comment.created");
            seqs.add(event.getLong("seq"));
            comments.add(event.getJsonObject("data").getLong("commentId"));
          }
          assertEquals(20, comments.size(), "twenty different comments on " + channel);
          assertEquals(LongStream.rangeClosed(1, 20).boxed().toList(), seqs,
              "the frames on " + channel + " come numbered 1..20, in order, each once");
        }
        JsonArray kept = apiB.awaitSeq("/api/realtime/" + channel + "?after=0", 20).getJsonArray("events");
        assertEquals(20, kept.size());
        for (int i = 0; i < 20; i++) {
          assertEquals(i + 1, kept.getJsonObject(i).getLong("seq"));
        }
      }
    } finally {
      for (BridgeClient[] row : watchers) {
        for (BridgeClient watcher : row) {
          if (watcher != null) {
            watcher.close();
          }
        }
      }
    }
  }

  @Test
  @DisplayName("a post and a board's first page carry their channel's seq, so nothing falls between reading and subscribing")
  void snapshotsCarrySeq() {
    long post = post("Snapshot");
    assertEquals(0L, apiA.get("/api/posts/" + post).json().getLong("seq"));
    comment(apiA, bob, post, "one");
    comment(apiA, bob, post, "two");
    JsonObject since = apiA.awaitSeq("/api/realtime/post." + post + "?after=0", 2);
    assertEquals(2, since.getJsonArray("events").size());
    assertEquals(2L, apiB.get("/api/posts/" + post).json().getLong("seq"));
    assertEquals(2L, apiB.get("/api/posts/" + post, bob).json().getLong("seq"));
    long boardSeq = apiA.get("/api/posts?boardId=" + board).json().getLong("seq");
    assertEquals(boardSeq, apiA.get("/api/posts?boardId=" + board, bob).json().getLong("seq"));
    assertTrue(boardSeq >= 1, "the board has posts: " + boardSeq);
  }

  @Test
  @DisplayName("catching up: private channels only for their user, 410 once the channel is far ahead of or behind what is kept")
  void catchUpRules() {
    assertEquals(401, apiA.get("/api/realtime/user." + aliceId + "?after=0").status());
    assertEquals(403, apiA.get("/api/realtime/user." + aliceId + "?after=0", bob).status());
    assertEquals(200, apiA.get("/api/realtime/user." + aliceId + "?after=0", alice).status());
    long post = post("Restarted");
    Api.Response ahead = apiA.get("/api/realtime/post." + post + "?after=5");
    assertEquals(410, ahead.status());
    assertEquals("application/problem+json", ahead.headers().get("Content-Type"));
    assertTrue(ahead.json().getString("detail").contains("reload"), ahead.toString());
    for (String bad : List.of("post.0?after=0", "post.x?after=0", "posts.1?after=0", "event.comment.created?after=0",
        "post.1?after=-1", "post.1", "post.1?after=abc")) {
      Api.Response r = apiA.get("/api/realtime/" + bad);
      assertEquals(400, r.status(), bad + ": " + r);
    }
  }

  @Test
  @DisplayName("catching up shows what edits and deletions left: the edited text, no deleted text, a deleted post's channel 410 and its title gone from its board's")
  void catchUpFollowsEditsAndDeletions() {
    long redacting = forum.board("redacting");
    long post = forum.post(bob, redacting, "Secret title", "Secret body").getLong("id");
    long comment = comment(apiA, bob, post, "original words").getLong("id");
    assertEquals(200, apiA.send(HttpMethod.PATCH, "/api/comments/" + comment, bob,
        new JsonObject().put("content", "edited words")).status());
    String afterEdit = apiB.awaitSeq("/api/realtime/post." + post + "?after=0", 2).encode();
    assertFalse(afterEdit.contains("original words"), afterEdit);
    JsonObject created = apiB.get("/api/realtime/post." + post + "?after=0").json().getJsonArray("events").getJsonObject(0);
    assertEquals("edited words", created.getJsonObject("data").getString("content"), created.encode());

    assertEquals(200, apiA.send(HttpMethod.PATCH, "/api/posts/" + post, bob,
        new JsonObject().put("title", "Renamed title")).status());
    String board = apiB.awaitSeq("/api/realtime/board." + redacting + "?after=0", 1).encode();
    assertTrue(board.contains("Renamed title") && !board.contains("Secret title"), board);

    assertEquals(204, apiA.send(HttpMethod.DELETE, "/api/comments/" + comment, bob, (JsonObject) null).status());
    String afterDelete = apiB.awaitSeq("/api/realtime/post." + post + "?after=0", 4).encode();
    assertFalse(afterDelete.contains("edited words"), afterDelete);

    assertEquals(204, apiA.send(HttpMethod.DELETE, "/api/posts/" + post, bob, (JsonObject) null).status());
    Api.Response gone = apiB.get("/api/realtime/post." + post + "?after=0");
    assertEquals(410, gone.status(), gone.toString());
    assertTrue(gone.json().getString("detail").contains("deleted"), gone.toString());
    String boardAfter = apiB.awaitSeq("/api/realtime/board." + redacting + "?after=0", 2).encode();
    assertFalse(boardAfter.contains("Renamed title") || boardAfter.contains("Secret"), boardAfter);
  }

  @Test
  @DisplayName("viewer counts add up across nodes and drop when a socket closes")
  void presenceAcrossNodes() {
    long post = post("Presence");
    String channel = "post." + post;
    try (BridgeClient onA = BridgeClient.connect(a.bridgePort)) {
      onA.subscribe(channel, null);
      onA.awaitViewers(channel, 1);
      try (BridgeClient onB = BridgeClient.connect(b.bridgePort)) {
        onB.subscribe(channel, bob);
        onA.awaitViewers(channel, 2);
        onB.awaitViewers(channel, 2);
      }
      onA.awaitViewers(channel, 1);
    }
  }

  @Test
  @DisplayName("a user watching through both nodes is one viewer")
  void onePersonAcrossNodes() {
    String channel = "post." + post("One person");
    try (BridgeClient aliceOnA = BridgeClient.connect(a.bridgePort);
         BridgeClient aliceOnB = BridgeClient.connect(b.bridgePort);
         BridgeClient bobOnA = BridgeClient.connect(a.bridgePort)) {
      aliceOnA.subscribe(channel, alice);
      aliceOnB.subscribe(channel, alice);
      aliceOnA.awaitViewers(channel, 1);
      aliceOnB.awaitViewers(channel, 1);
      bobOnA.subscribe(channel, bob);
      assertEquals(2, bobOnA.event(channel, "presence").getJsonObject("data").getInteger("viewers"), "alice and bob");
    }
  }

  @Test
  @DisplayName("typing shows the signed-in user from the token, whatever identity the frame claims; guests cannot type")
  void typingUsesTheTokensIdentity() {
    long post = post("Typing");
    String channel = "post." + post;
    try (BridgeClient watcher = BridgeClient.connect(a.bridgePort);
         BridgeClient typist = BridgeClient.connect(b.bridgePort)) {
      watcher.subscribe(channel, null);
      typist.frame(new JsonObject().put("type", "send").put("address", channel + ".typing")
          .put("headers", new JsonObject().put("Authorization", "Bearer " + alice).put("userId", 999)
              .put("username", "mallory"))
          .put("body", new JsonObject().put("userId", 999).put("username", "mallory")));
      JsonObject typing = watcher.event(channel, "typing").getJsonObject("data");
      assertEquals(aliceId, typing.getLong("userId"));
      assertTrue(typing.getString("username").startsWith("alice"), typing.encode());

      typist.send(channel + ".typing", null, new JsonObject());
      JsonObject refused = typist.error();
      assertEquals("access_denied", refused.getString("body"));
    }
  }

  @Test
  @DisplayName("user.<id> is only for that user: guests and other users are refused, expired and forged tokens too")
  void privateChannels() {
    String channel = "user." + aliceId;
    try (BridgeClient client = BridgeClient.connect(b.bridgePort)) {
      client.register(channel, null);
      assertEquals("access_denied", client.error().getString("body"));
      client.register(channel, bob);
      assertEquals("access_denied", client.error().getString("body"));
      String forged = alice.substring(0, alice.length() - 3) + (alice.endsWith("AAA") ? "BBB" : "AAA");
      client.register(channel, forged);
      assertEquals("invalid_token", client.error().getString("body"));
      client.register(channel, expiredTokenFor(aliceId));
      assertEquals("invalid_token", client.error().getString("body"));
      assertEquals(channel, client.subscribe(channel, alice).getString("address"));
    }
  }

  private String expiredTokenFor(long userId) {
    var tokens = new dev.liveforum.auth.AccessTokens(a.node.vertx(), a.config.auth(), a.config.busTimeoutMs());
    return tokens.generateToken(new JsonObject().put("typ", "access").put("sid", "s").put("role", "user")
            .put("username", "alice").put("sub", String.valueOf(userId))
            .put("exp", System.currentTimeMillis() / 1000 - 3600).put("iat", System.currentTimeMillis() / 1000 - 7200),
        new io.vertx.ext.auth.JWTOptions().setAlgorithm("HS256"));
  }
}
