package dev.liveforum;

import dev.liveforum.bus.Address;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.devservices.DevServices;
import dev.liveforum.persistence.Database;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TcpProxy;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("When MariaDB or Redis goes away")
class ResilienceTest {
  private static final String PASSWORD = "correct horse battery";

  @Test
  @DisplayName("with the database down, requests fail fast with 503 problem+json and readiness says the database is DOWN")
  void databaseDown() throws Exception {
    try (DevServices.EmbeddedMariaDb db = DevServices.startMariaDb(Files.createTempDirectory("lf-db-down"), false)) {
      Config config = TestServices.config()
          .with(Setting.DB_URL, "mysql://127.0.0.1:" + db.port() + "/lf_down")
          .with(Setting.DB_USER, db.user()).with(Setting.DB_PASSWORD, db.password())
          // A database of its own needs Redis keys of its own: its counts must not mix with the run's.
          .with(Setting.REDIS_KEY_PREFIX, TestServices.config().redis().keyPrefix() + "dbdown:");
      Database.createIfMissing(config.db());
      try (TestNode node = TestNode.start(config)) {
        Api api = new Api(node.port);
        JsonObject session = new Forum(api).register("downy_" + TestServices.RUN_ID.substring(0, 6), PASSWORD);
        db.close();

        Api.Response register = api.post("/api/auth/register", new JsonObject().put("username", "after_down")
            .put("email", "after@example.com").put("password", PASSWORD));
        assertEquals(503, register.status(), register.toString());
        assertEquals("5", register.headers().get("Retry-After"), "a 503 says when to try again");
        assertEquals("application/problem+json", register.contentType());
        assertTrue(register.json().getString("detail").contains("database is unavailable"), register.toString());
        assertEquals(503, api.get("/api/users/me", session.getString("accessToken")).status());
        assertEquals(503, api.post("/api/auth/refresh", new JsonObject()
            .put("refreshToken", session.getString("refreshToken"))).status());
        Api.Response ready = api.get("/health/ready");
        assertEquals(503, ready.status());
        assertEquals("DOWN", ready.json().getString("status"));
        assertEquals("5", ready.headers().get("Retry-After"));
        assertEquals("DOWN", ready.json().getJsonObject("checks").getString("database"));
        assertEquals("UP", ready.json().getJsonObject("checks").getString("redis"));
      }
    }
  }

  @Test
  @DisplayName("with Redis down, login still works (limits fail open) and the node stays ready, degraded, saying Redis is DOWN")
  void redisDown() throws Exception {
    DevServices.EmbeddedRedis redis = DevServices.startRedis();
    Config config = TestServices.config().with(Setting.REDIS_URL, "redis://127.0.0.1:" + redis.port());
    try (TestNode node = TestNode.start(config)) {
      Api api = new Api(node.port);
      String name = "redisless_" + TestServices.RUN_ID.substring(0, 6);
      Forum forum = new Forum(api);
      forum.register(name);
      redis.close();

      JsonObject session = forum.login(Forum.email(name), PASSWORD);
      assertEquals(name, session.getJsonObject("user").getString("username"));
      Api.Response ready = api.get("/health/ready");
      assertEquals(200, ready.status(), ready.toString());
      assertEquals("DEGRADED", ready.json().getString("status"));
      assertEquals("DOWN", ready.json().getJsonObject("checks").getString("redis"));
      assertEquals("UP", ready.json().getJsonObject("checks").getString("database"));
    } finally {
      redis.close();
    }
  }

  @Test
  @DisplayName("Redis lost, then back empty: events stay numbered in one run, live and in catch-up, none reused or missing")
  void numberingOutlivesRedis() throws Exception {
    DevServices.EmbeddedRedis[] redis = {DevServices.startRedis()};
    int redisPort = redis[0].port();
    Config config = TestServices.config().with(Setting.REDIS_URL, "redis://127.0.0.1:" + redisPort);
    try (TestNode node = TestNode.start(config)) {
      Api api = new Api(node.port);
      Forum forum = new Forum(api, config);
      String author = forum.user("rtless");
      long post = forum.post(author, forum.board("rtless"), "Without Redis", "body").getLong("id");
      String channel = "post." + post;
      try (BridgeClient watcher = BridgeClient.connect(node.bridgePort)) {
        assertEquals(0, watcher.subscribe(channel, null).getJsonObject("body").getLong("seq"));
        List<Long> made = new ArrayList<>();
        for (String phase : List.of("before", "without Redis", "after")) {
          if (phase.equals("without Redis")) {
            redis[0].close();
          } else if (phase.equals("after")) {
            redis[0] = DevServices.startRedis(redisPort);
          }
          for (int i = 0; i < 2; i++) {
            Api.Response r = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author,
                new JsonObject().put("content", phase + " " + i));
            assertEquals(201, r.status(), r.toString());
            made.add(r.json().getLong("id"));
          }
        }
        List<Long> seqs = new ArrayList<>();
        List<Long> live = new ArrayList<>();
        for (int i = 0; i < made.size(); i++) {
          JsonObject event = watcher.event(channel, "comment.created");
          seqs.add(event.getLong("seq"));
          live.add(event.getJsonObject("data").getLong("commentId"));
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs, "numbered in order, none reused");
        assertEquals(made, live);

        Api.Response all = api.get("/api/realtime/" + channel + "?after=0");
        assertEquals(200, all.status(), all.toString());
        assertEquals(6, all.json().getLong("seq"));
        List<Long> caughtUp = new ArrayList<>();
        all.json().getJsonArray("events").forEach(e -> caughtUp.add(((JsonObject) e).getJsonObject("data").getLong("commentId")));
        assertEquals(made, caughtUp, "every committed comment, once, in order");
        Api.Response fromBefore = api.get("/api/realtime/" + channel + "?after=2");
        assertEquals(List.of(3L, 4L, 5L, 6L), fromBefore.json().getJsonArray("events").stream()
            .map(e -> ((JsonObject) e).getLong("seq")).toList(), "a position from before the loss still means the same");
        Api.Response ahead = api.get("/api/realtime/" + channel + "?after=7");
        assertEquals(410, ahead.status(), ahead.toString());
        assertEquals("application/problem+json", ahead.contentType());
      }
    } finally {
      redis[0].close();
    }
  }

  @Test
  @DisplayName("numbered events are dropped after realtime.backlogTtlSeconds; catching up from before them is 410, after them 200")
  void keptEventsExpire() throws Exception {
    Config config = TestServices.config().with(Setting.REALTIME_BACKLOG_TTL, 3);
    try (TestNode node = TestNode.start(config)) {
      Api api = new Api(node.port);
      Forum forum = new Forum(api, config);
      String author = forum.user("expiry");
      long post = forum.post(author, forum.board("expiry"), "Expiring backlog", "body").getLong("id");
      String path = "/api/realtime/post." + post + "?after=";
      for (int i = 0; i < 2; i++) {
        assertEquals(201, api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author,
            new JsonObject().put("content", "soon gone " + i)).status());
      }
      assertEquals(200, api.get(path + "0").status(), "kept at first");
      Api.Response old = eventually("the backlog has expired", () -> api.get(path + "0"), r -> r.status() == 410);
      assertTrue(old.json().getString("detail").contains("no longer kept"), old.toString());
      assertEquals(201, api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author,
          new JsonObject().put("content", "new")).status());
      Api.Response recent = api.get(path + "2");
      assertEquals(200, recent.status(), recent.toString());
      assertEquals(3, recent.json().getJsonArray("events").getJsonObject(0).getLong("seq"), recent.toString());
    }
  }

  @Test
  @DisplayName("cache and stats roles that lost their Redis step back: the cluster's requests go to the node that has Redis, and they serve again once Redis is back")
  void cacheNodeStepsBack() throws Exception {
    DevServices.EmbeddedRedis[] lost = {DevServices.startRedis()};
    int lostPort = lost[0].port();
    Config config = TestServices.config().with(Setting.LOGIN_LIMIT_ACCOUNT, 3)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-gate:");
    try (TestNode a = TestNode.clustered(config, "http", "persistence", "cache");
         TestNode b = TestNode.clustered(config.with(Setting.REDIS_URL, "redis://127.0.0.1:" + lostPort),
             "cache", "stats")) {
      assertEquals("serving", role(b, Address.CACHE_HEALTH));
      assertEquals("serving", role(b, Address.STATS_TODAY));
      lost[0].close();
      awaitRole(b, Address.CACHE_HEALTH, "stepped back");
      awaitRole(b, Address.STATS_TODAY, "stepped back");

      // Every failed login is counted by A's cache role: none goes to B's and is lost there.
      Api api = new Api(a.port);
      String name = "gated_" + TestServices.RUN_ID.substring(0, 6);
      new Forum(api).register(name, "right password");
      JsonObject wrong = new JsonObject().put("email", name + "@example.com").put("password", "wrong password");
      for (int i = 0; i < 3; i++) {
        assertEquals(401, api.post("/api/auth/login", wrong).status());
      }
      Api.Response limited = api.post("/api/auth/login", wrong.copy().put("password", "right password"));
      assertEquals(429, limited.status(), limited.toString());
      assertEquals(200, api.get("/health/ready").status());

      lost[0] = DevServices.startRedis(lostPort);
      awaitRole(b, Address.CACHE_HEALTH, "serving");
      awaitRole(b, Address.STATS_TODAY, "serving");
    } finally {
      lost[0].close();
    }
  }

  @Test
  @DisplayName("a persistence node cut off from the database steps back: every write through the cluster goes to the one that has it")
  void persistenceNodeStepsBack() throws Exception {
    Config config = TestServices.config();
    Database.Address db = Database.Address.parse(config.db().url());
    try (TcpProxy line = new TcpProxy(db.host(), db.port());
         TestNode a = TestNode.clustered(config, "http", "persistence");
         TestNode b = TestNode.clustered(config.with(Setting.DB_URL,
             "mysql://127.0.0.1:" + line.port() + "/" + db.database()), "persistence")) {
      assertEquals("serving", role(b, Address.PERSISTENCE_HEALTH));
      line.cut();
      awaitRole(b, Address.PERSISTENCE_HEALTH, "stepped back");

      Api api = new Api(a.port);
      Forum forum = new Forum(api, config);
      String author = forum.user("cutoff");
      long post = forum.post(author, forum.board("cutoff"), "One line cut", "body").getLong("id");
      for (int i = 0; i < 10; i++) {
        Api.Response r = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author,
            new JsonObject().put("content", "through A " + i));
        assertEquals(201, r.status(), "write " + i + ": " + r);
      }
      assertEquals(200, api.get("/health/ready").status());
    } finally {
      TestNode.forgetStoppedCluster();
    }
  }

  @Test
  @DisplayName("a write whose COMMIT is cut off answers 504, outcome unknown; its Idempotency-Key repeat then writes it once")
  void commitLost() throws Exception {
    Config config = TestServices.config();
    Database.Address db = Database.Address.parse(config.db().url());
    try (TcpProxy line = new TcpProxy(db.host(), db.port());
         TestNode node = TestNode.start(config.with(Setting.DB_URL,
             "mysql://127.0.0.1:" + line.port() + "/" + db.database()))) {
      Api api = new Api(node.port);
      Forum forum = new Forum(api, config);
      String author = forum.user("committer");
      long post = forum.post(author);
      io.vertx.core.Future<Void> cut = line.cutAt("COMMIT", "INSERT INTO comments");
      io.vertx.core.MultiMap key = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .add("Idempotency-Key", "commit-lost-" + post).add("Content-Type", "application/json");
      Api.Response lost = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author, key,
          new JsonObject().put("content", "was I saved?").toBuffer());
      assertTrue(cut.isComplete(), "the line was cut at the comment's COMMIT");
      assertEquals(504, lost.status(), lost.toString());
      assertTrue(lost.json().getString("detail").contains("lost while the change was being committed"), lost.toString());
      assertTrue(lost.json().getString("detail").contains("may or may not"), lost.toString());

      Api.Response again = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author, key,
          new JsonObject().put("content", "was I saved?").toBuffer());
      assertEquals(201, again.status(), again.toString());
      assertEquals(1, TestDb.count(config.db(), "SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
    }
  }

  /**
   * Whether {@code node}'s own role behind {@code address} serves its commands, asked on that node only:
   * any answer (a refusal of the empty command too) means it does; none registered, that it stepped back.
   */
  private static String role(TestNode node, String address) {
    try {
      node.node.vertx().eventBus().request(address, new JsonObject(),
          new DeliveryOptions().setLocalOnly(true).setSendTimeout(2000)).await();
      return "serving";
    } catch (ReplyException e) {
      return switch (e.failureType()) {
        case NO_HANDLERS -> "stepped back";
        case RECIPIENT_FAILURE -> e.failureCode() == 503 ? "failing: " + e.getMessage() : "serving";
        default -> "failing: " + e.getMessage();
      };
    }
  }

  private static void awaitRole(TestNode node, String health, String state) {
    eventually("the role behind " + health + " on a node of roles " + node.config.roles() + " is " + state,
        () -> role(node, health), state::equals);
  }
}
