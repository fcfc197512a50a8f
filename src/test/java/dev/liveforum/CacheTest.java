package dev.liveforum;

import dev.liveforum.devservices.DevServices;
import dev.liveforum.launch.Config;
import dev.liveforum.launch.Setting;
import dev.liveforum.persistence.Database;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("The read cache in Redis")
class CacheTest {

  @Test
  @DisplayName("a cached post is served without the database, and a write on one node is seen at once on another")
  void cachedAndInvalidatedAcrossNodes() throws Exception {
    try (DevServices.EmbeddedMariaDb db = DevServices.startMariaDb(Files.createTempDirectory("lf-cache"), false)) {
      Config config = TestServices.config()
          .with(Setting.DB_URL, "mysql://127.0.0.1:" + db.port() + "/lf_cache")
          .with(Setting.DB_USER, db.user()).with(Setting.DB_PASSWORD, db.password())
          .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-cache:");
      Database.createIfMissing(config.db());
      try (TestNode a = TestNode.clustered(config, "http", "persistence", "cache");
           TestNode b = TestNode.clustered(config, "http", "persistence", "cache")) {
        Api viaA = new Api(a.port);
        Api viaB = new Api(b.port);
        Forum forum = new Forum(viaA, config);
        String author = forum.user("olga");
        long board = forum.board("Cached");
        long id = forum.post(author, board, "Original", "text").getLong("id");

        assertEquals("Original", viaB.get("/api/posts/" + id).json().getString("title"));
        assertEquals(1, viaB.get("/api/posts?boardId=" + board).json().getJsonArray("items").size());

        Api.Response edited = viaA.send(HttpMethod.PATCH, "/api/posts/" + id, author,
            new JsonObject().put("title", "Edited on A"));
        assertEquals(200, edited.status(), edited.toString());
        assertEquals("Edited on A", viaB.get("/api/posts/" + id).json().getString("title"),
            "node B's reader sees the edit as soon as the write has returned");
        assertEquals("Edited on A", viaB.get("/api/posts?boardId=" + board).json().getJsonArray("items")
            .getJsonObject(0).getString("title"));

        long second = forum.post(author, board, "Second", "text").getLong("id");
        assertEquals(second, viaB.get("/api/posts?boardId=" + board).json().getJsonArray("items")
            .getJsonObject(0).getLong("id"), "a new post shows on the cached first page at once");

        viaB.get("/api/posts/" + id);
        db.close();
        Api.Response cached = viaB.get("/api/posts/" + id);
        assertEquals(200, cached.status(), "served from the cache with the database gone: " + cached);
        assertEquals("Edited on A", cached.json().getString("title"));
        assertEquals(503, viaB.get("/api/posts/" + second).status(), "a post never read is not cached");

        Api.Response deleted = viaA.send(HttpMethod.DELETE, "/api/posts/" + id, author, (JsonObject) null);
        assertEquals(503, deleted.status(), "writes need the database: " + deleted);
      }
    }
  }

  @Test
  @DisplayName("with Redis down, posts and lists are read from the database")
  void redisDown() throws Exception {
    DevServices.EmbeddedRedis redis = DevServices.startRedis();
    Config config = TestServices.config().with(Setting.REDIS_URL, "redis://127.0.0.1:" + redis.port());
    try (TestNode node = TestNode.start(config)) {
      Api api = new Api(node.port);
      Forum forum = new Forum(api, config);
      String author = forum.user("pia");
      long board = forum.board("NoRedis");
      long id = forum.post(author, board, "Still here", "text").getLong("id");
      redis.close();
      assertEquals("Still here", api.get("/api/posts/" + id).json().getString("title"));
      assertEquals(id, api.get("/api/posts?boardId=" + board).json().getJsonArray("items").getJsonObject(0).getLong("id"));
      Api.Response edited = api.send(HttpMethod.PATCH, "/api/posts/" + id, author, new JsonObject().put("title", "Edited"));
      assertEquals(200, edited.status(), "a write succeeds without Redis: " + edited);
      assertEquals("Edited", api.get("/api/posts/" + id).json().getString("title"));
    } finally {
      redis.close();
    }
  }
}
