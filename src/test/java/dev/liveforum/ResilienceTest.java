package dev.liveforum;

import dev.liveforum.devservices.DevServices;
import dev.liveforum.launch.Config;
import dev.liveforum.launch.Setting;
import dev.liveforum.persistence.Database;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

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
        JsonObject session = api.newUser("downy_" + TestServices.RUN_ID.substring(0, 6), PASSWORD);
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
      api.newUser(name, PASSWORD);
      redis.close();

      JsonObject session = api.login(name + "@example.com", PASSWORD);
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
  @DisplayName("with Redis down, realtime events still reach watchers live, unnumbered, and catching up is a 503")
  void realtimeWithoutRedis() throws Exception {
    DevServices.EmbeddedRedis redis = DevServices.startRedis();
    Config config = TestServices.config().with(Setting.REDIS_URL, "redis://127.0.0.1:" + redis.port());
    try (TestNode node = TestNode.start(config)) {
      Api api = new Api(node.port);
      Forum forum = new Forum(api, config);
      String author = forum.user("rtless");
      long post = forum.post(author, forum.board("rtless"), "Without Redis", "body").getLong("id");
      try (BridgeClient watcher = BridgeClient.connect(node.bridgePort)) {
        watcher.subscribe("post." + post, null);
        redis.close();

        Api.Response made = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author,
            new JsonObject().put("content", "still live"));
        assertEquals(201, made.status(), made.toString());
        JsonObject event = watcher.event("post." + post, "comment.created");
        assertEquals(made.json().getLong("id"), event.getJsonObject("data").getLong("commentId"));
        assertTrue(event.containsKey("seq") && event.getValue("seq") == null, event.encode());
        Api.Response since = api.get("/api/realtime/post." + post + "?after=0");
        assertEquals(503, since.status(), since.toString());
        assertEquals("application/problem+json", since.contentType());
      }
    } finally {
      redis.close();
    }
  }
}
