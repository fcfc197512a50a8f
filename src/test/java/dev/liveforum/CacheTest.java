package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.devservices.DevServices;
import dev.liveforum.persistence.Database;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  @DisplayName("pages kept rendered on node B show a write made through node A as soon as it has returned")
  void keptPagesFollowWritesOnAnotherNode() {
    Config config = TestServices.config()
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-cache-pages:");
    try (TestNode a = TestNode.clustered(config, "http", "persistence", "cache");
         TestNode b = TestNode.clustered(config, "http")) {
      Api viaA = new Api(a.port);
      Api viaB = new Api(b.port);
      Forum forum = new Forum(viaA, config);
      String author = forum.user("pia");
      long board = forum.board("Kept");
      long post = forum.post(author, board, "Kept title", "text").getLong("id");
      Api.Response made = viaA.send(HttpMethod.POST, "/api/posts/" + post + "/comments", author,
          new JsonObject().put("content", "Kept comment"));
      assertEquals(201, made.status(), made.toString());
      long comment = made.json().getLong("id");
      // Read once on B, so both pages are kept there.
      assertTrue(viaB.get("/posts/" + post).text().contains("Kept comment"));
      assertTrue(viaB.get("/boards/" + board).text().contains("Kept title"));

      assertEquals(200, viaA.send(HttpMethod.PATCH, "/api/comments/" + comment, author,
          new JsonObject().put("content", "Edited comment")).status());
      assertTrue(viaB.get("/posts/" + post).text().contains("Edited comment"), "the comment's edit on B's kept page");
      assertEquals(200, viaA.send(HttpMethod.PATCH, "/api/posts/" + post, author,
          new JsonObject().put("title", "Edited title")).status());
      assertTrue(viaB.get("/posts/" + post).text().contains("Edited title"), "the post's edit on B's kept page");
      assertTrue(viaB.get("/boards/" + board).text().contains("Edited title"), "the post's edit on B's kept list");

      forum.post(author, board, "Newest post", "text");
      assertTrue(viaB.get("/boards/" + board).text().contains("Newest post"), "a new post on B's kept list");
      String renamed = "Renamed " + board;
      assertEquals(200, viaA.send(HttpMethod.PATCH, "/api/boards/" + board, forum.adminToken(),
          new JsonObject().put("name", renamed)).status());
      assertTrue(viaB.get("/boards/" + board).text().contains(renamed), "the board's new name on B's kept list");
    }
  }

  @Test
  @DisplayName("writes to 30 posts at once, whose invalidations share Redis calls, each leave no stale copy on the other node")
  void simultaneousWritesAllInvalidate() throws Exception {
    Config config = TestServices.config()
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-cache-burst:");
    try (TestNode a = TestNode.clustered(config, "http", "persistence", "cache");
         TestNode b = TestNode.clustered(config, "http", "persistence", "cache")) {
      Api viaA = new Api(a.port);
      Api viaB = new Api(b.port);
      Forum forum = new Forum(viaA, config);
      String author = forum.user("burst");
      long board = forum.board("Burst");
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        long id = forum.post(author, board, "Before " + i, "text").getLong("id");
        assertEquals("Before " + i, viaB.get("/api/posts/" + id).json().getString("title")); // cached on B
        ids.add(id);
      }
      ExecutorService pool = Executors.newFixedThreadPool(30);
      try {
        List<Future<Api.Response>> edits = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          long id = ids.get(i);
          String title = "After " + i;
          edits.add(pool.submit(() -> viaA.send(HttpMethod.PATCH, "/api/posts/" + id, author,
              new JsonObject().put("title", title))));
        }
        for (Future<Api.Response> edit : edits) {
          assertEquals(200, edit.get().status(), edit.get().toString());
        }
      } finally {
        pool.shutdownNow();
      }
      for (int i = 0; i < ids.size(); i++) {
        assertEquals("After " + i, viaB.get("/api/posts/" + ids.get(i)).json().getString("title"),
            "post " + ids.get(i) + " on node B after all edits returned");
      }
      JsonArray firstPage = viaB.get("/api/posts?boardId=" + board).json().getJsonArray("items");
      assertTrue(firstPage.stream().allMatch(p -> ((JsonObject) p).getString("title").startsWith("After ")),
          "the cached first page shows the edits: " + firstPage.encodePrettily());
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
