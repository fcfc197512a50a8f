package dev.liveforum;

import dev.liveforum.bus.Address;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.PrivateRedis;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The notification job queue: a job left pending by a node that died is taken over, a job replayed
 * creates nothing, and a job that keeps failing is retried, then dead-lettered where admins see it.
 * Node A runs no notification role; notification nodes are started by the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Notification jobs: taken over from dead nodes, applied once, retried, dead-lettered")
class NotificationJobsTest {
  private Config config;
  private TestNode a;
  private Api api;
  private Forum forum;
  private long board;
  private Vertx redisVertx;
  private RedisAPI redis;
  private String jobs;
  private String dead;

  @BeforeAll
  void start() {
    config = TestServices.config()
        .with(Setting.NOTIFY_CLAIM_TIMEOUT, 1500)
        .with(Setting.NOTIFY_RETRY_DELAY, 100)
        .with(Setting.NOTIFY_MAX_ATTEMPTS, 3)
        .with(Setting.NOTIFY_FEED_INTERVAL, 200);
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge");
    api = new Api(a.port);
    forum = new Forum(api);
    board = forum.board("jobs");
    redisVertx = Vertx.vertx();
    redis = RedisAPI.api(Redis.createClient(redisVertx, new RedisOptions()
        .setConnectionString(config.redis().url()).setPreferredProtocolVersion(ProtocolVersion.RESP2)));
    jobs = config.redis().keyPrefix() + "notif:jobs";
    dead = config.redis().keyPrefix() + "notif:dead";
    redis.xgroup(List.of("CREATE", jobs, "notifiers", "0", "MKSTREAM")).otherwiseEmpty().await();
  }

  @AfterAll
  void stop() {
    a.close();
    redisVertx.close().await();
  }

  @Test
  @DisplayName("a job a dead node had taken is completed by another after the claim timeout, exactly once, and a replay adds nothing")
  void deadNodesJobIsTakenOver() {
    Forum.Member alice = forum.member("alice");
    String bob = forum.user("bob");
    long post = forum.post(alice.token(), board, "Taken over", "body").getLong("id");
    Api.Response made = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
        new JsonObject().put("content", "while no notification node runs"));
    assertEquals(201, made.status());
    long comment = made.json().getLong("id");
    JsonObject event = commentEvent(comment);

    // The state a node leaves when it dies mid-job: the event fed (its lease running), the job read, never acknowledged.
    redis.xadd(List.of(jobs, "*", "eventId", event.getString("eventId"), "type", "comment.created",
        "data", event.getJsonObject("data").encode())).await();
    Response read = redis.xreadgroup(List.of("GROUP", "notifiers", "node-that-died", "COUNT", "10", "STREAMS", jobs, ">"))
        .await();
    assertEquals(1, read.get(0).get(1).size(), "the dead node had taken the job");
    TestDb.update("UPDATE outbox SET notify_token = 'node-that-died', notify_lease = UTC_TIMESTAMP(3) + INTERVAL 1 HOUR"
        + " WHERE event_id = ?", event.getString("eventId"));

    try (TestNode notifier = TestNode.clustered(config, "notification")) {
      eventually("another node completes the job", () ->
          TestDb.count("SELECT COUNT(*) FROM notifications WHERE comment_id = ?", comment) == 1);
      eventually("the job is acknowledged", () -> pending() == 0);
      // A replay of the same job (a node that committed but died before acknowledging) changes nothing.
      redis.xadd(List.of(jobs, "*", "eventId", event.getString("eventId"), "type", "comment.created",
          "data", event.getJsonObject("data").encode())).await();
      eventually("the replay is acknowledged", () -> pending() == 0 && lag() == 0);
      assertEquals(1, TestDb.count("SELECT COUNT(*) FROM notifications WHERE comment_id = ?", comment));
      JsonArray items = api.get("/api/notifications", alice.token()).json().getJsonArray("items");
      assertEquals(1, items.size());
      assertEquals(comment, items.getJsonObject(0).getLong("commentId"));
    }
  }

  @Test
  @DisplayName("a node stopped in the middle of a job: another node completes it, and there is exactly one notification")
  void nodeStoppedMidJob() throws Exception {
    Forum.Member alice = forum.member("alice");
    String bob = forum.user("bob");
    long post = forum.post(alice.token(), board, "Stopped mid-job", "body").getLong("id");
    long comment;
    try (java.sql.Connection db = TestDb.connection(); java.sql.Statement lock = db.createStatement()) {
      // Holds the table every job's transaction writes first, so the job is caught in the middle.
      lock.execute("LOCK TABLES notification_jobs WRITE");
      TestNode first = TestNode.clustered(config, "notification");
      try {
        Api.Response made = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
            new JsonObject().put("content", "caught mid-job"));
        assertEquals(201, made.status());
        comment = made.json().getLong("id");
        eventually("the first node has taken the job", () -> pending() == 1);
      } finally {
        first.close();
      }
      lock.execute("UNLOCK TABLES");
    }
    try (TestNode second = TestNode.clustered(config, "notification")) {
      eventually("the second node completes the job", () -> pending() == 0
          && TestDb.count("SELECT COUNT(*) FROM notifications WHERE comment_id = ?", comment) == 1);
      Thread.sleep(500);
      assertEquals(1, TestDb.count("SELECT COUNT(*) FROM notifications WHERE comment_id = ?", comment));
      JsonArray items = api.get("/api/notifications", alice.token()).json().getJsonArray("items");
      assertEquals(1, items.size());
      assertEquals(comment, items.getJsonObject(0).getLong("commentId"));
    }
  }

  @Test
  @DisplayName("Redis lost with jobs queued and started again empty: every notification is made, exactly once")
  void redisLostWithJobsQueued() throws Exception {
    Forum.Member alice = forum.member("alice");
    String bob = forum.user("bob");
    long post = forum.post(alice.token(), board, "Redis lost", "body").getLong("id");
    int comments = 150;
    try (PrivateRedis ownRedis = PrivateRedis.start();
         // Its requests wait out the lock below, rather than fail, be retried and be given up; and its
         // leases (four claim timeouts) outlast the test: what is fed again is fed because Redis was lost.
         TestNode notifier = TestNode.clustered(config.with(Setting.REDIS_URL, ownRedis.url())
             .with(Setting.BUS_TIMEOUT, 60_000).with(Setting.NOTIFY_CLAIM_TIMEOUT, 60_000), "notification");
         java.sql.Connection db = TestDb.connection(); java.sql.Statement lock = db.createStatement()) {
      RedisAPI own = RedisAPI.api(Redis.createClient(redisVertx, ownRedis.url()));
      // Holds the table every job's transaction writes first: jobs are fed and read, and none is applied.
      lock.execute("LOCK TABLES notification_jobs WRITE");
      for (int i = 0; i < comments; i++) {
        assertEquals(201, api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
            new JsonObject().put("content", "queued " + i)).status());
      }
      eventually("every job is in Redis", () -> own.xlen(jobs).await().toLong() == comments);
      ownRedis.kill();
      ownRedis.startAgain();
      lock.execute("UNLOCK TABLES");

      eventually("every comment's event is done", () -> TestDb.count("SELECT COUNT(*) FROM outbox WHERE notified_at IS NULL"
          + " AND address = 'event.comment.created' AND JSON_VALUE(payload, '$.data.postId') = ?", post) == 0);
      assertEquals(comments, TestDb.count("SELECT COUNT(DISTINCT comment_id) FROM notifications WHERE post_id = ?", post),
          "a notification of every comment");
      assertEquals(comments, TestDb.count("SELECT COUNT(*) FROM notifications WHERE post_id = ?", post),
          "no comment told twice");
      assertEquals(comments, api.get("/api/notifications/unread-count", alice.token()).json()
          .getInteger("count"));
    }
  }

  @Test
  @DisplayName("a job that keeps failing is retried, then dead-lettered; admins see it, others may not")
  void failingJobIsDeadLettered() {
    String eventId = UUID.randomUUID().toString();
    try (TestNode notifier = TestNode.clustered(config, "notification")) {
      redis.xadd(List.of(jobs, "*", "eventId", eventId, "type", "comment.created", "data", "{\"postId\":\"oops\"}"))
          .await();
      eventually("the job is dead-lettered", () -> deadJob(eventId) != null);
      JsonObject buried = deadJob(eventId);
      assertEquals(3, buried.getInteger("attempts"), buried.encode());
      assertTrue(buried.getString("error").contains("lacks the fields"), buried.encode());
      eventually("and no longer pending", () -> pending() == 0);

      Api.Response forUser = api.get("/api/admin/notification-jobs/dead", forum.user("nosy"));
      assertEquals(403, forUser.status());
      assertEquals(401, api.get("/api/admin/notification-jobs/dead").status());
    }
  }

  private JsonObject deadJob(String eventId) {
    Api.Response r = api.get("/api/admin/notification-jobs/dead?limit=50", forum.adminToken());
    if (r.status() != 200) {
      return null;
    }
    for (Object item : r.json().getJsonArray("items")) {
      if (eventId.equals(((JsonObject) item).getString("eventId"))) {
        return (JsonObject) item;
      }
    }
    return null;
  }

  @Test
  @DisplayName("jobs that arrive together are applied together, each once; one that cannot be applied fails alone")
  void jobsTogether() {
    Forum.Member alice = forum.member("alice");
    String bob = forum.user("bob");
    long post = forum.post(alice.token(), board, "Many at once", "body").getLong("id");
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Api.Response made = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
          new JsonObject().put("content", "comment " + i));
      assertEquals(201, made.status());
      events.add(commentEvent(made.json().getLong("id")));
    }
    // A job whose recipient does not exist: its notification row breaks a foreign key inside the transaction.
    JsonObject poison = events.get(0).copy().put("eventId", UUID.randomUUID().toString());
    poison.getJsonObject("data").put("postAuthorId", Long.MAX_VALUE / 2);
    List<JsonObject> sent = new ArrayList<>(events);
    sent.add(10, poison);

    // This node runs no notification role: the jobs go straight to persistence, all at once.
    List<Future<JsonObject>> answers = new ArrayList<>();
    sent.forEach(event -> answers.add(apply(event)));
    Future.join(answers).otherwiseEmpty().await();
    for (int i = 0; i < sent.size(); i++) {
      Future<JsonObject> answer = answers.get(i);
      if (i == 10) {
        assertTrue(answer.failed(), "the job that cannot be applied fails: " + answer.result());
      } else {
        assertTrue(answer.succeeded(), "job " + i + " fails only if it cannot be applied: " + answer.cause());
        assertEquals(1, answer.result().getInteger("applied"), "job " + i);
      }
    }
    assertEquals(20, TestDb.count("SELECT COUNT(*) FROM notifications WHERE post_id = ?", post),
        "one notification per comment, none for the job that failed");
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM notification_jobs WHERE event_id = ?",
        poison.getString("eventId")), "the failed job is not recorded as applied, so it can be tried again");
    assertEquals(20, api.get("/api/notifications/unread-count", alice.token()).json()
        .getInteger("count"));

    // The same jobs again (a replay): nothing more.
    List<Future<JsonObject>> again = new ArrayList<>();
    events.forEach(event -> again.add(apply(event)));
    Future.all(again).await();
    again.forEach(answer -> assertEquals(0, answer.result().getInteger("applied")));
    assertEquals(20, TestDb.count("SELECT COUNT(*) FROM notifications WHERE post_id = ?", post));
  }

  @Test
  @DisplayName("jobs applied together give what the rules give one by one: likes of one target grouped, a like"
      + " unliked and liked again told once, a reply that mentions its parent's author told as a reply")
  void rulesAcrossOneBatch() {
    Forum.Member alice = forum.member("alice");
    Forum.Member bob = forum.member("bob");
    Forum.Member carol = forum.member("carol");
    Forum.Member dave = forum.member("dave");
    Forum.Member erin = forum.member("erin");
    long post = forum.post(alice.token(), board, "Liked in one go", "body").getLong("id");
    String likePath = "/api/posts/" + post + "/like";

    // An open like group from an earlier job, for the batch to join.
    assertEquals(200, api.send(HttpMethod.PUT, likePath, erin.token(), null).status());
    assertEquals(1, apply(likeEvents(post).get(0)).await().getInteger("applied"));

    assertEquals(200, api.send(HttpMethod.PUT, likePath, bob.token(), null).status());
    assertEquals(200, api.send(HttpMethod.PUT, likePath, carol.token(), null).status());
    assertEquals(200, api.send(HttpMethod.DELETE, likePath, bob.token(), null).status());
    assertEquals(200, api.send(HttpMethod.PUT, likePath, bob.token(), null).status());
    assertEquals(200, api.send(HttpMethod.PUT, likePath, dave.token(), null).status());
    assertEquals(200, api.send(HttpMethod.PUT, likePath, alice.token(), null).status());
    List<JsonObject> likes = likeEvents(post).subList(1, 7);
    Api.Response first = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob.token(),
        new JsonObject().put("content", "a comment"));
    assertEquals(201, first.status());
    long parent = first.json().getLong("id");
    Api.Response second = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", carol.token(),
        new JsonObject().put("content", "@" + bob.name() + " and @" + dave.name() + ", see this").put("parentId", parent));
    assertEquals(201, second.status());
    long reply = second.json().getLong("id");

    List<JsonObject> sent = new ArrayList<>(likes);
    sent.add(commentEvent(parent));
    sent.add(commentEvent(reply));
    List<Future<JsonObject>> answers = new ArrayList<>();
    sent.forEach(event -> answers.add(apply(event)));
    Future.all(answers).await();
    int[] applied = answers.stream().mapToInt(a -> a.result().getInteger("applied")).toArray();
    // bob, carol, bob unliking, bob again, dave, alice herself: bob's second like and alice's tell nobody.
    assertEquals(0, applied[2], "an unlike tells nobody");
    assertEquals(1, applied[0] + applied[3], "bob's like, unliked and liked again, is told once");
    assertEquals(List.of(1, 1, 0), List.of(applied[1], applied[4], applied[5]), "carol's, dave's, alice's own");
    assertEquals(1, applied[6], "bob's comment tells alice");
    assertEquals(3, applied[7], "carol's reply tells bob (a reply), dave (a mention) and alice (a comment)");

    JsonArray alices = notificationsOf(alice);
    assertEquals(3, alices.size(), alices.encodePrettily());
    List<JsonObject> groups = alices.stream().map(n -> (JsonObject) n).filter(n -> n.getString("type").equals("like"))
        .toList();
    assertEquals(1, groups.size(), "one like group: " + alices.encodePrettily());
    assertEquals(3, groups.get(0).getInteger("others"), "erin, bob, carol and dave liked it");
    assertEquals(2, alices.stream().filter(n -> ((JsonObject) n).getString("type").equals("comment")).count());
    JsonArray bobs = notificationsOf(bob);
    assertEquals(1, bobs.size(), bobs.encodePrettily());
    assertEquals("reply", bobs.getJsonObject(0).getString("type"));
    assertEquals(reply, bobs.getJsonObject(0).getLong("commentId"));
    JsonArray daves = notificationsOf(dave);
    assertEquals(1, daves.size(), daves.encodePrettily());
    assertEquals("mention", daves.getJsonObject(0).getString("type"));
    assertEquals(0, notificationsOf(carol).size());
    assertEquals(0, notificationsOf(erin).size());
    assertEquals(3, unread(alice));
    assertEquals(1, unread(bob));
    assertEquals(3, TestDb.count("SELECT MAX(CAST(JSON_VALUE(payload, '$.data.unread') AS UNSIGNED)) FROM outbox"
        + " WHERE address = 'event.notification.created' AND JSON_VALUE(payload, '$.data.userId') = ?",
        alice.id()), "alice's latest notification.created carries her unread count");

    // The same jobs again (a replay): nothing more.
    List<Future<JsonObject>> again = new ArrayList<>();
    sent.forEach(event -> again.add(apply(event)));
    Future.all(again).await();
    again.forEach(answer -> assertEquals(0, answer.result().getInteger("applied")));
    assertEquals(3, notificationsOf(alice).size());
    assertEquals(3, notificationsOf(alice).stream().map(n -> (JsonObject) n)
        .filter(n -> n.getString("type").equals("like")).findFirst().orElseThrow().getInteger("others"));
    assertEquals(3, unread(alice));
  }

  private JsonArray notificationsOf(Forum.Member member) {
    Api.Response r = api.get("/api/notifications", member.token());
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonArray("items");
  }

  private long unread(Forum.Member member) {
    return api.get("/api/notifications/unread-count", member.token()).json().getLong("count");
  }

  /** The post's {@code like.changed} events, oldest first, as their outbox rows hold them. */
  private static List<JsonObject> likeEvents(long post) {
    return TestDb.longs("SELECT id FROM outbox WHERE address = 'event.like.changed'"
            + " AND JSON_VALUE(payload, '$.data.postId') = ? ORDER BY id", post).stream()
        .map(id -> new JsonObject(TestDb.text("SELECT payload FROM outbox WHERE id = ?", id))).toList();
  }

  /** The comment's {@code comment.created} event, as its outbox row holds it. */
  private static JsonObject commentEvent(long commentId) {
    return new JsonObject(TestDb.text("SELECT payload FROM outbox WHERE address = 'event.comment.created'"
        + " AND JSON_VALUE(payload, '$.data.commentId') = ?", commentId));
  }

  /** The event's job, sent to persistence as a notification worker sends it. */
  private Future<JsonObject> apply(JsonObject event) {
    return a.node.vertx().eventBus().<JsonObject>request(Address.NOTIFICATION_APPLY, new JsonObject()
        .put("eventId", event.getString("eventId")).put("type", event.getString("type"))
        .put("data", event.getJsonObject("data"))).map(Message::body);
  }

  private long pending() {
    return redis.xpending(List.of(jobs, "notifiers")).await().get(0).toLong();
  }

  /** Entries of the stream not yet delivered to the group. */
  private long lag() {
    Response groups = redis.xinfo(List.of("GROUPS", jobs)).await();
    for (Response group : groups) {
      for (int i = 0; i + 1 < group.size(); i += 2) {
        if (group.get(i).toString().equals("lag")) {
          Response lag = group.get(i + 1);
          return lag == null ? 0 : lag.toLong();
        }
      }
    }
    return 0;
  }
}
