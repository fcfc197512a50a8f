package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
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

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Boards and posts over REST")
class ForumTest {
  private TestNode node;
  private Api api;
  private Forum forum;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
  }

  @AfterAll
  void stop() {
    node.close();
  }


  @Test
  @DisplayName("admins create, rename and delete boards; everyone lists and reads them; others get 401/403")
  void boards() {
    String user = forum.user("bea");
    String name = Forum.unique("Cooking");
    Api.Response created = api.send(HttpMethod.POST, "/api/boards", forum.adminToken(),
        new JsonObject().put("name", name).put("description", "Recipes"));
    assertEquals(201, created.status(), created.toString());
    long id = created.json().getLong("id");
    assertEquals("/api/boards/" + id, created.headers().get("Location"));
    assertEquals(0, created.json().getInteger("postCount"));

    assertTrue(api.get("/api/boards").json().getJsonArray("items").stream()
        .anyMatch(b -> ((JsonObject) b).getString("name").equals(name)));
    assertEquals("Recipes", api.get("/api/boards/" + id).json().getString("description"));

    assertProblem(api.send(HttpMethod.POST, "/api/boards", user, new JsonObject().put("name", "x")), 403, "admins");
    assertProblem(api.send(HttpMethod.POST, "/api/boards", null, new JsonObject().put("name", "x")), 401, "token");
    assertProblem(api.send(HttpMethod.POST, "/api/boards", forum.adminToken(), new JsonObject().put("name", name)), 409,
        "already exists");
    assertProblem(api.send(HttpMethod.POST, "/api/boards", forum.adminToken(), new JsonObject().put("name", "")), 400,
        "name");
    assertProblem(api.send(HttpMethod.PATCH, "/api/boards/" + id, user, new JsonObject().put("name", "Mine")), 403,
        "admins");
    assertProblem(api.send(HttpMethod.DELETE, "/api/boards/" + id, user, (JsonObject) null), 403, "admins");

    Api.Response renamed = api.send(HttpMethod.PATCH, "/api/boards/" + id, forum.adminToken(),
        new JsonObject().put("name", name + "2"));
    assertEquals(200, renamed.status(), renamed.toString());
    assertEquals(name + "2", renamed.json().getString("name"));
    assertEquals("Recipes", renamed.json().getString("description"));

    forum.post(user, id, "Soup", "Hot soup");
    assertProblem(api.send(HttpMethod.DELETE, "/api/boards/" + id, forum.adminToken(), (JsonObject) null), 409,
        "still has posts");
    long empty = forum.board("Empty");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/boards/" + empty, forum.adminToken(), (JsonObject) null).status());
    assertProblem(api.get("/api/boards/" + empty), 404, "does not exist");
    assertProblem(api.get("/api/boards/0"), 400, "parameter id");
  }

  @Test
  @DisplayName("a post is created in a board, read with its counts, edited and deleted by its author or an admin only")
  void posts() {
    long board = forum.board("Posts");
    String author = forum.user("carl");
    String other = forum.user("dina");
    JsonObject post = forum.post(author, board, "First post", "Hello **world**");
    long id = post.getLong("id");
    assertEquals(board, post.getLong("boardId"));
    assertEquals("Hello **world**", post.getString("content"));
    assertEquals("<p>Hello <strong>world</strong></p>\n", post.getString("contentHtml"));
    assertEquals(0, post.getInteger("commentCount"));
    assertEquals(0, post.getInteger("likeCount"));
    assertFalse(post.getBoolean("likedByMe"));
    assertNull(post.getString("editedAt"));

    Api.Response read = api.get("/api/posts/" + id);
    assertEquals(200, read.status());
    assertEquals("First post", read.json().getString("title"));
    assertTrue(read.json().getString("createdAt").endsWith("Z"));

    assertProblem(api.send(HttpMethod.PATCH, "/api/posts/" + id, other, new JsonObject().put("title", "Mine")), 403,
        "author or an admin");
    assertProblem(api.send(HttpMethod.DELETE, "/api/posts/" + id, other, (JsonObject) null), 403, "author or an admin");
    assertProblem(api.send(HttpMethod.PATCH, "/api/posts/" + id, null, new JsonObject().put("title", "x")), 401, "token");
    assertProblem(api.send(HttpMethod.PATCH, "/api/posts/" + id, author, new JsonObject()), 400, "request body");

    Api.Response edited = api.send(HttpMethod.PATCH, "/api/posts/" + id, author, new JsonObject().put("title", "Edited"));
    assertEquals(200, edited.status(), edited.toString());
    assertEquals("Edited", edited.json().getString("title"));
    assertEquals("Hello **world**", edited.json().getString("content"));
    assertNotNull(edited.json().getString("editedAt"));
    Api.Response byAdmin = api.send(HttpMethod.PATCH, "/api/posts/" + id, forum.adminToken(),
        new JsonObject().put("content", "moderated"));
    assertEquals("moderated", byAdmin.json().getString("content"));

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + id, author, (JsonObject) null).status());
    assertProblem(api.get("/api/posts/" + id), 404, "does not exist");
    assertProblem(api.send(HttpMethod.DELETE, "/api/posts/" + id, author, (JsonObject) null), 404, "does not exist");
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM posts WHERE id = ?", id));
  }

  @Test
  @DisplayName("bad posts get a 400 or 404 that says why, and leave no row; HTML and SQL stay inert text")
  void badPosts() {
    long board = forum.board("Bad");
    String user = forum.user("eve");
    long before = TestDb.count("SELECT COUNT(*) FROM posts");
    JsonObject ok = new JsonObject().put("boardId", board).put("title", "t").put("content", "c");
    assertProblem(create(user, ok.copy().put("title", "")), 400, "title");
    assertProblem(create(user, ok.copy().put("title", "x".repeat(201))), 400, "title");
    assertProblem(create(user, ok.copy().put("content", "x".repeat(40_001))), 400, "content");
    assertProblem(create(user, ok.copy().put("content", "x".repeat(70_000))), 413, "too large");
    assertProblem(create(user, ok.copy().put("boardId", "one")), 400, "boardId");
    assertProblem(create(user, ok.copy().put("boardId", -1)), 400, "boardId");
    assertProblem(create(user, ok.copy().put("authorId", 1)), 400, "authorId");
    assertProblem(create(user, ok.copy().put("boardId", 987_654_321)), 404, "board 987654321 does not exist");
    assertProblem(create(null, ok), 401, "token");
    assertEquals(before, TestDb.count("SELECT COUNT(*) FROM posts"));

    String evil = "<img src=x onerror=alert(1)><script>alert(2)</script>'); DROP TABLE posts; --";
    JsonObject post = forum.post(user, board, evil, evil + " [link](javascript:alert(3))");
    assertEquals(evil, post.getString("title"), "text comes back exactly as written");
    String html = post.getString("contentHtml");
    assertFalse(html.contains("<script") || html.contains("<img") || html.contains("onerror=")
        || html.contains("javascript:"), html);
    assertTrue(TestDb.count("SELECT COUNT(*) FROM posts") > before, "the posts table is still there");
  }

  private Api.Response create(String token, JsonObject body) {
    return api.send(HttpMethod.POST, "/api/posts", token, body);
  }

  @Test
  @DisplayName("paging the latest posts neither repeats nor skips one while new posts arrive")
  void stablePaging() {
    long board = forum.board("Paging");
    String user = forum.user("finn");
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(forum.post(user, board, "post " + i, "body " + i).getLong("id"));
    }
    List<Long> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      Api.Response page = api.get("/api/posts?boardId=" + board + "&limit=3"
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, page.status(), page.toString());
      page.json().getJsonArray("items").forEach(i -> seen.add(((JsonObject) i).getLong("id")));
      cursor = page.json().getString("nextCursor");
      forum.post(user, board, "arrived while paging " + pages, "new");
      pages++;
    } while (cursor != null);
    List<Long> expected = new ArrayList<>(created);
    java.util.Collections.reverse(expected);
    assertEquals(expected, seen, "exactly the posts that existed at the first page, newest first");
    assertEquals(3, pages);
  }

  @Test
  @DisplayName("lists: per board and across boards, hot and top, items carry author, board, excerpt and counts")
  void lists() {
    long a = forum.board("ListA");
    long b = forum.board("ListB");
    String user = forum.user("gina");
    long inA = forum.post(user, a, "In A", "x".repeat(500)).getLong("id");
    long inB = forum.post(user, b, "In B", "short").getLong("id");

    JsonArray onlyA = api.get("/api/posts?boardId=" + a).json().getJsonArray("items");
    assertEquals(1, onlyA.size());
    JsonObject item = onlyA.getJsonObject(0);
    assertEquals(inA, item.getLong("id"));
    assertEquals(300, item.getString("excerpt").length());
    assertNull(item.getString("content"), "lists carry an excerpt, not the body");
    assertEquals("In A", item.getString("title"));
    assertNotNull(item.getJsonObject("author").getString("username"));
    assertEquals(a, item.getJsonObject("board").getLong("id"));

    Set<Long> all = new HashSet<>();
    api.get("/api/posts?limit=50").json().getJsonArray("items").forEach(i -> all.add(((JsonObject) i).getLong("id")));
    assertTrue(all.containsAll(List.of(inA, inB)));

    for (String sort : List.of("hot", "top")) {
      Api.Response r = api.get("/api/posts?sort=" + sort + "&period=day&boardId=" + b);
      assertEquals(200, r.status(), r.toString());
      assertEquals(inB, r.json().getJsonArray("items").getJsonObject(0).getLong("id"));
    }
  }

  @Test
  @DisplayName("cursors are opaque and signed: a tampered or foreign cursor and absurd page sizes are a 400")
  void badCursors() {
    long board = forum.board("Cursors");
    String user = forum.user("hal");
    for (int i = 0; i < 3; i++) {
      forum.post(user, board, "c" + i, "c");
    }
    String cursor = api.get("/api/posts?limit=1&boardId=" + board).json().getString("nextCursor");
    assertNotNull(cursor);
    String tampered = (cursor.charAt(0) == 'e' ? "f" : "e") + cursor.substring(1);
    assertProblem(api.get("/api/posts?limit=1&boardId=" + board + "&cursor=" + tampered), 400, "cursor is not valid");
    assertProblem(api.get("/api/posts?limit=1&boardId=" + board + "&cursor=garbage"), 400, "cursor is not valid");
    assertProblem(api.get("/api/posts?limit=1&sort=hot&boardId=" + board + "&cursor=" + cursor), 400, "another list");
    assertProblem(api.get("/api/posts?limit=51"), 400, "parameter limit");
    assertProblem(api.get("/api/posts?limit=0"), 400, "parameter limit");
    assertProblem(api.get("/api/posts?sort=best"), 400, "parameter sort");
    assertProblem(api.get("/api/posts?boardId=99999999999999999999"), 400, "parameter boardId");
    assertEquals(200, api.get("/api/posts?limit=1&boardId=" + board + "&cursor=" + cursor).status());
  }

  @Test
  @DisplayName("each write records one domain event in the outbox, and the relay publishes it")
  void outboxEvents() throws Exception {
    long board = forum.board("Events");
    String user = forum.user("ida");
    long id = forum.post(user, board, "Evented", "body").getLong("id");
    api.send(HttpMethod.PATCH, "/api/posts/" + id, user, new JsonObject().put("title", "Evented again"));
    api.send(HttpMethod.DELETE, "/api/posts/" + id, user, (JsonObject) null);
    for (String type : List.of("created", "updated", "deleted")) {
      assertEquals(1, TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = ? AND payload LIKE ?",
          "event.post." + type, "%\"id\":" + id + ",%"), "one post." + type + " event");
    }
    eventually("the relay marked every event published", () -> TestDb.count(
        "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND payload LIKE ?", "%\"id\":" + id + ",%"),
        pending -> pending == 0);
  }
}
