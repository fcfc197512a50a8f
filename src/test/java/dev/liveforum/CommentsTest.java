package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static dev.liveforum.support.CommentPages.ids;
import static dev.liveforum.support.CommentPages.item;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Threaded comments over REST")
class CommentsTest {
  private TestNode node;
  private Api api;
  private Forum forum;
  private String admin;
  private Forum.Member alice;
  private Forum.Member bob;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    admin = forum.adminToken();
    alice = forum.member("calice");
    bob = forum.member("cbob");
  }

  @AfterAll
  void stop() {
    node.close();
  }


  private Api.Response comment(String token, long postId, Long parentId, String content) {
    JsonObject body = new JsonObject().put("content", content);
    if (parentId != null) {
      body.put("parentId", parentId);
    }
    return api.send(HttpMethod.POST, "/api/posts/" + postId + "/comments", token, body);
  }

  private JsonObject thread(long postId, String token, String query) {
    Api.Response r = api.get("/api/posts/" + postId + "/comments" + query, token);
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }



  private long commentCount(long postId) {
    return api.get("/api/posts/" + postId).json().getLong("commentCount");
  }

  private static long outbox(String type, String like) {
    return TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = ? AND payload LIKE ?", "event." + type, like);
  }

  @Test
  @DisplayName("a comment is created with its author, rendered HTML and counts; the post counts it; the outbox has the event")
  void create() {
    long post = forum.post(alice.token());
    double hotBefore = api.get("/api/posts/" + post).json().getDouble("hotScore");
    Api.Response r = comment(bob.token(), post, null, "Hello **there** <script>alert(1)</script>");
    assertEquals(201, r.status(), r.toString());
    JsonObject c = r.json();
    long id = c.getLong("id");
    assertEquals(post, c.getLong("postId"));
    assertNull(c.getValue("parentId"));
    assertTrue(c.containsKey("parentId"), "parentId is present (null) on a root: " + c);
    assertEquals(0, c.getInteger("depth"));
    assertEquals(bob.id(), c.getJsonObject("author").getLong("id"));
    assertNotNull(c.getJsonObject("author").getString("username"));
    assertEquals("Hello **there** <script>alert(1)</script>", c.getString("content"));
    assertTrue(c.getString("contentHtml").contains("<strong>there</strong>"), c.getString("contentHtml"));
    assertFalse(c.getString("contentHtml").contains("<script"), c.getString("contentHtml"));
    assertNotNull(c.getString("createdAt"));
    assertNotNull(c.getString("updatedAt"));
    assertNull(c.getValue("editedAt"));
    assertEquals(0, c.getInteger("likeCount"));
    assertFalse(c.getBoolean("likedByMe"));
    assertFalse(c.getBoolean("deleted"));

    JsonObject p = api.get("/api/posts/" + post).json();
    assertEquals(1, p.getLong("commentCount"));
    assertTrue(p.getDouble("hotScore") > hotBefore, "a comment raises the hot rank");
    assertEquals(1, outbox("comment.created", "%\"commentId\":" + id + ",%\"postId\":" + post + ",%"
        + "\"authorId\":" + bob.id() + ",%\"postAuthorId\":" + alice.id() + "%"));
    assertEquals(1, outbox("comment.created", "%\"commentId\":" + id + ",%\"excerpt\":\"Hello **there**%"));

    long reply = forum.commentId(alice.token(), post, id, "a reply");
    assertEquals(1, outbox("comment.created", "%\"commentId\":" + reply + ",%\"parentId\":" + id + ",%"
        + "\"parentAuthorId\":" + bob.id() + "%"));
    assertEquals(2, commentCount(post));
  }

  @Test
  @DisplayName("a thread of several levels comes back depth-first, siblings oldest first, with parent ids and depth")
  void threadShape() {
    long post = forum.post(alice.token());
    long a = forum.commentId(alice.token(), post, null, "A");
    long b = forum.commentId(bob.token(), post, null, "B");
    long a1 = forum.commentId(bob.token(), post, a, "A1");
    long a2 = forum.commentId(alice.token(), post, a, "A2");
    long a1x = forum.commentId(alice.token(), post, a1, "A1x");
    long a1xy = forum.commentId(bob.token(), post, a1x, "A1xy");
    long b1 = forum.commentId(alice.token(), post, b, "B1");
    long a1z = forum.commentId(bob.token(), post, a1, "A1z");
    long c = forum.commentId(bob.token(), post, null, "C");

    JsonObject page = thread(post, null, "");
    assertEquals(List.of(a, a1, a1x, a1xy, a1z, a2, b, b1, c), ids(page));
    assertNull(page.getValue("nextCursor"));
    assertTrue(page.containsKey("nextCursor"));
    JsonObject deep = item(page, a1xy);
    assertEquals(3, deep.getInteger("depth"));
    assertEquals(a1x, deep.getLong("parentId"));
    assertEquals("A1xy", deep.getString("content"));
    assertEquals(post, deep.getLong("postId"));
    assertEquals(2, item(page, a1z).getInteger("depth"));
    assertEquals(a1, item(page, a1z).getLong("parentId"));
    assertEquals(1, item(page, b1).getInteger("depth"));
    assertEquals(0, item(page, c).getInteger("depth"));
    assertNull(item(page, c).getValue("parentId"));
    assertEquals(9, commentCount(post));

    // a new reply deep inside goes right after its parent's last reply
    long a1xy1 = forum.commentId(alice.token(), post, a1xy, "A1xy1");
    assertEquals(List.of(a, a1, a1x, a1xy, a1xy1, a1z, a2, b, b1, c), ids(thread(post, alice.token(), "")));
    assertEquals(4, item(thread(post, alice.token(), ""), a1xy1).getInteger("depth"));
  }

  @Test
  @DisplayName("a deleted comment with replies stays as a placeholder; one without visible replies is left out")
  void deletedPlaceholder() {
    long post = forum.post(alice.token());
    long a = forum.commentId(alice.token(), post, null, "A");
    long a1 = forum.commentId(bob.token(), post, a, "A1");
    long a1x = forum.commentId(alice.token(), post, a1, "A1x");
    long b = forum.commentId(bob.token(), post, null, "B");
    long b1 = forum.commentId(alice.token(), post, b, "B1");
    long c = forum.commentId(bob.token(), post, null, "C");
    assertEquals(6, commentCount(post));

    // A: deleted, but has replies -> placeholder
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + a, alice.token(), null).status());
    JsonObject page = thread(post, null, "");
    assertEquals(List.of(a, a1, a1x, b, b1, c), ids(page));
    JsonObject placeholder = item(page, a);
    assertTrue(placeholder.getBoolean("deleted"));
    assertEquals("", placeholder.getString("content"));
    assertEquals("", placeholder.getString("contentHtml"));
    assertTrue(placeholder.containsKey("author"));
    assertNull(placeholder.getValue("author"));
    assertEquals(0, placeholder.getInteger("depth"));
    assertEquals(5, commentCount(post));
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM comments WHERE id = ? AND deleted_at IS NOT NULL"
        + " AND content = '' AND content_html = ''", a));
    assertEquals(1, outbox("comment.deleted", "%\"commentId\":" + a + ",%"));

    // C: deleted without replies -> gone
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + c, bob.token(), null).status());
    assertEquals(List.of(a, a1, a1x, b, b1), ids(thread(post, null, "")));

    // A1 deleted too: A and A1 stay as placeholders for A1x
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + a1, bob.token(), null).status());
    page = thread(post, null, "");
    assertEquals(List.of(a, a1, a1x, b, b1), ids(page));
    assertTrue(item(page, a1).getBoolean("deleted"));
    assertFalse(item(page, a1x).getBoolean("deleted"));

    // A1x deleted: the whole A branch is gone
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + a1x, admin, null).status());
    assertEquals(List.of(b, b1), ids(thread(post, null, "")));

    // B1 deleted: B has no visible replies and is not deleted -> B stays, B1 goes
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + b1, alice.token(), null).status());
    assertEquals(List.of(b), ids(thread(post, null, "")));
    assertEquals(1, commentCount(post));

    // deleted comments: editing, deleting again or replying is 404
    assertProblem(api.send(HttpMethod.PATCH, "/api/comments/" + a, alice.token(), new JsonObject().put("content", "back")),
        404, "deleted");
    assertProblem(api.send(HttpMethod.DELETE, "/api/comments/" + a, alice.token(), null), 404, "deleted");
    assertProblem(comment(bob.token(), post, c, "reply to a ghost"), 404, "deleted");
    assertEquals(1, commentCount(post));
  }

  @Test
  @DisplayName("pages hold whole root threads; the cursor pages on without repeats, even as comments arrive")
  void paging() {
    long post = forum.post(alice.token());
    List<Long> roots = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      roots.add(forum.commentId(bob.token(), post, null, "root " + i));
    }
    long r1a = forum.commentId(alice.token(), post, roots.get(1), "reply to 1");
    long r1b = forum.commentId(alice.token(), post, r1a, "reply to reply");
    long r2a = forum.commentId(alice.token(), post, roots.get(2), "reply to 2");

    JsonObject first = thread(post, null, "?limit=2");
    assertEquals(List.of(roots.get(0), roots.get(1), r1a, r1b), ids(first));
    String cursor = first.getString("nextCursor");
    assertNotNull(cursor);

    // a new root and a new reply to an earlier root arrive while paging
    long late = forum.commentId(bob.token(), post, null, "late root");
    forum.commentId(bob.token(), post, roots.get(0), "late reply to 0");

    JsonObject second = thread(post, null, "?limit=2&cursor=" + cursor);
    assertEquals(List.of(roots.get(2), r2a, roots.get(3)), ids(second));
    JsonObject third = thread(post, null, "?limit=2&cursor=" + second.getString("nextCursor"));
    assertEquals(List.of(roots.get(4), late), ids(third));
    assertNull(third.getValue("nextCursor"));

    // default page size is 20 roots; out of range limits are refused
    assertEquals(10, ids(thread(post, null, "")).size());
    assertProblem(api.get("/api/posts/" + post + "/comments?limit=51"), 400, "limit");
    assertProblem(api.get("/api/posts/" + post + "/comments?limit=0"), 400, "limit");
    assertProblem(api.get("/api/posts/" + post + "/comments?limit=abc"), 400, "limit");
  }

  @Test
  @DisplayName("a tampered cursor, or one from another list, is a 400")
  void badCursor() {
    long post = forum.post(alice.token());
    long other = forum.post(alice.token());
    for (int i = 0; i < 3; i++) {
      forum.commentId(bob.token(), post, null, "root " + i);
    }
    String cursor = thread(post, null, "?limit=1").getString("nextCursor");
    String[] parts = cursor.split("\\.");
    String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(java.util.Base64.getUrlDecoder().decode(parts[0])).replace("\"after\":", "\"after\":1").getBytes())
        + "." + parts[1];
    assertProblem(api.get("/api/posts/" + post + "/comments?cursor=" + forged), 400, "cursor");
    assertProblem(api.get("/api/posts/" + post + "/comments?cursor=garbage"), 400, "cursor");
    assertProblem(api.get("/api/posts/" + post + "/comments?cursor=" + cursor.substring(0, cursor.length() - 2)), 400,
        "cursor");
    assertProblem(api.get("/api/posts/" + other + "/comments?cursor=" + cursor), 400, "cursor");
    // a cursor of the post list is not a comments cursor
    for (int i = 0; i < 2; i++) {
      forum.post(alice.token());
    }
    String postsCursor = api.get("/api/posts?limit=1").json().getString("nextCursor");
    assertNotNull(postsCursor);
    assertProblem(api.get("/api/posts/" + post + "/comments?cursor=" + postsCursor), 400, "cursor");
  }

  @Test
  @DisplayName("a missing post is a 404 for reading and commenting; bad post ids are a 400")
  void missingPost() {
    assertProblem(api.get("/api/posts/999999999/comments"), 404, "post 999999999");
    assertProblem(comment(alice.token(), 999999999, null, "hello"), 404, "post 999999999");
    assertProblem(api.get("/api/posts/abc/comments"), 400, "id");
    assertProblem(api.get("/api/posts/0/comments"), 400, "id");
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = 999999999"));
    // a post without comments is an empty page
    long post = forum.post(alice.token());
    JsonObject page = thread(post, null, "");
    assertEquals(0, page.getJsonArray("items").size());
    assertNull(page.getValue("nextCursor"));
  }

  @Test
  @DisplayName("a reply must answer a comment of the same post; nothing is written otherwise")
  void badParent() {
    long post = forum.post(alice.token());
    long other = forum.post(alice.token());
    long foreign = forum.commentId(bob.token(), other, null, "elsewhere");
    assertProblem(comment(bob.token(), post, foreign, "wrong thread"), 400, "another post");
    assertProblem(comment(bob.token(), post, 999999999L, "no parent"), 404, "comment 999999999");
    assertEquals(0, commentCount(post));
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
    assertEquals(0, outbox("comment.created", "%\"postId\":" + post + ",%"));
  }

  @Test
  @DisplayName("bad bodies: empty, blank, oversized, unknown fields, wrong types, not JSON")
  void badInput() {
    long post = forum.post(alice.token());
    String path = "/api/posts/" + post + "/comments";
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", "")), 400, "content");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", "   \n ")), 400, "content");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", "x".repeat(10_001))), 400,
        "content");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject()), 400, "content");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", "hi").put("authorId", 1)), 400,
        "authorId");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", 123)), 400, "content");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", "hi").put("parentId", "one")),
        400, "parentId");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), new JsonObject().put("content", "hi").put("parentId", 0)),
        400, "parentId");
    assertProblem(api.send(HttpMethod.POST, path, bob.token(), null, Buffer.buffer("{not json")), 400, "");
    assertEquals(0, commentCount(post));

    // the longest allowed comment, and one whose HTML is much longer than its text, are fine
    assertEquals(201, comment(bob.token(), post, null, "x".repeat(10_000)).status());
    Api.Response escaped = comment(bob.token(), post, null, "<&\"".repeat(3333));
    assertEquals(201, escaped.status(), escaped.toString());
    Api.Response links = comment(bob.token(), post, null, "<a@b.c> ".repeat(1250));
    assertEquals(201, links.status(), links.toString());
    assertTrue(links.json().getString("contentHtml").length() > 65_535, "HTML longer than a TEXT column holds");
    assertEquals(3, commentCount(post));
    // nesting deep enough to overflow a recursive renderer is refused, not a 5xx
    assertProblem(comment(bob.token(), post, null, "> ".repeat(2000) + "deep"), 400, "levels");
    assertProblem(comment(bob.token(), post, null, "*".repeat(4999) + "a" + "*".repeat(4999)), 400, "levels");
    assertEquals(3, commentCount(post));

    // SQL and HTML in the text are stored and returned inert
    String payload = "'); DROP TABLE comments; -- <img src=x onerror=alert(1)>";
    JsonObject c = comment(bob.token(), post, null, payload).json();
    assertEquals(payload, c.getString("content"));
    assertFalse(c.getString("contentHtml").contains("<img"), c.getString("contentHtml"));

    long id = c.getLong("id");
    String edit = "/api/comments/" + id;
    assertProblem(api.send(HttpMethod.PATCH, edit, bob.token(), new JsonObject()), 400, "content");
    assertProblem(api.send(HttpMethod.PATCH, edit, bob.token(), new JsonObject().put("content", "")), 400, "content");
    assertProblem(api.send(HttpMethod.PATCH, edit, bob.token(), new JsonObject().put("content", "x".repeat(10_001))), 400,
        "content");
    assertProblem(api.send(HttpMethod.PATCH, edit, bob.token(), new JsonObject().put("content", "ok").put("parentId", 3)), 400,
        "parentId");
    assertProblem(api.send(HttpMethod.PATCH, "/api/comments/abc", bob.token(), new JsonObject().put("content", "x")), 400,
        "id");
    assertEquals(payload, item(thread(post, null, ""), id).getString("content"));
  }

  @Test
  @DisplayName("editing: the author and an admin may, anyone else gets 403, a guest 401, a missing comment 404")
  void edit() {
    long post = forum.post(alice.token());
    long id = forum.commentId(bob.token(), post, null, "first version");
    String path = "/api/comments/" + id;

    assertProblem(api.send(HttpMethod.PATCH, path, alice.token(), new JsonObject().put("content", "hijacked")), 403,
        "author or an admin");
    assertEquals(401, api.send(HttpMethod.PATCH, path, null, new JsonObject().put("content", "anon")).status());
    assertProblem(api.send(HttpMethod.PATCH, path, "not-a-token", new JsonObject().put("content", "anon")), 401, "");
    assertProblem(api.send(HttpMethod.PATCH, "/api/comments/999999999", bob.token(), new JsonObject().put("content", "x")),
        404, "comment 999999999");

    Api.Response r = api.send(HttpMethod.PATCH, path, bob.token(), new JsonObject().put("content", "second *version*"));
    assertEquals(200, r.status(), r.toString());
    JsonObject c = r.json();
    assertEquals("second *version*", c.getString("content"));
    assertTrue(c.getString("contentHtml").contains("<em>version</em>"), c.getString("contentHtml"));
    assertNotNull(c.getString("editedAt"));
    assertEquals(bob.id(), c.getJsonObject("author").getLong("id"));
    assertEquals(1, outbox("comment.updated", "%\"commentId\":" + id + ",%\"editorId\":" + bob.id() + "%"));

    Api.Response byAdmin = api.send(HttpMethod.PATCH, path, admin, new JsonObject().put("content", "moderated"));
    assertEquals(200, byAdmin.status(), byAdmin.toString());
    assertEquals("moderated", byAdmin.json().getString("content"));
    assertEquals(bob.id(), byAdmin.json().getJsonObject("author").getLong("id"), "the author stays the author");
    assertEquals("moderated", item(thread(post, null, ""), id).getString("content"));
    assertEquals(2, outbox("comment.updated", "%\"commentId\":" + id + ",%"));

    // an edit whose event (new text and HTML) is larger than 64 KiB is recorded whole
    String links = "<a@b.c> ".repeat(1250);
    Api.Response big = api.send(HttpMethod.PATCH, path, bob.token(), new JsonObject().put("content", links));
    assertEquals(200, big.status(), big.toString());
    assertEquals(links, item(thread(post, null, ""), id).getString("content"));
    assertEquals(3, outbox("comment.updated", "%\"commentId\":" + id + ",%"));
  }

  @Test
  @DisplayName("a long post edit is recorded in the outbox too (its event is larger than 64 KiB)")
  void longPostEdit() {
    long post = forum.post(alice.token());
    String links = "<a@b.c> ".repeat(5000);
    Api.Response r = api.send(HttpMethod.PATCH, "/api/posts/" + post, alice.token(), new JsonObject().put("content", links));
    assertEquals(200, r.status(), r.toString());
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.post.updated' AND payload LIKE ?",
        "%\"id\":" + post + ",%"));
  }

  @Test
  @DisplayName("deleting: the author and an admin may, anyone else gets 403, a guest 401, a missing comment 404")
  void delete() {
    long post = forum.post(alice.token());
    long mine = forum.commentId(bob.token(), post, null, "bob's");
    long other = forum.commentId(bob.token(), post, null, "bob's too");
    assertEquals(2, commentCount(post));

    assertProblem(api.send(HttpMethod.DELETE, "/api/comments/" + mine, alice.token(), null), 403, "author or an admin");
    assertEquals(401, api.send(HttpMethod.DELETE, "/api/comments/" + mine, null, null).status());
    assertProblem(api.send(HttpMethod.DELETE, "/api/comments/999999999", bob.token(), null), 404, "comment 999999999");
    assertEquals(2, commentCount(post));
    assertEquals(0, outbox("comment.deleted", "%\"commentId\":" + mine + ",%"));

    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + mine, bob.token(), null).status());
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + other, admin, null).status());
    assertEquals(0, commentCount(post));
    assertEquals(0, thread(post, null, "").getJsonArray("items").size());
    assertEquals(1, outbox("comment.deleted", "%\"commentId\":" + other + ",%\"deletedBy\":%"));
  }

  @Test
  @DisplayName("writing comments needs a valid token: a guest gets 401 and nothing is written")
  void guestCannotComment() {
    long post = forum.post(alice.token());
    assertEquals(401, comment(null, post, null, "anonymous").status());
    assertProblem(comment("bad.token.here", post, null, "anonymous"), 401, "");
    assertEquals(0, commentCount(post));
    // reading with a bad token is a 401 too (it says to refresh), without one it is public
    assertEquals(401, api.get("/api/posts/" + post + "/comments", "bad.token.here").status());
    assertEquals(200, api.get("/api/posts/" + post + "/comments").status());
  }

  @Test
  @DisplayName("a deleted post takes its comments with it")
  void postDeleted() {
    long post = forum.post(alice.token());
    long id = forum.commentId(bob.token(), post, null, "soon gone");
    forum.commentId(alice.token(), post, id, "me too");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + post, alice.token(), null).status());
    assertProblem(api.get("/api/posts/" + post + "/comments"), 404, "post " + post);
    assertProblem(api.send(HttpMethod.PATCH, "/api/comments/" + id, bob.token(), new JsonObject().put("content", "x")), 404,
        "comment " + id);
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
  }

  @Test
  @DisplayName("simultaneous comments on one post are all counted")
  void concurrentComments() {
    long post = forum.post(alice.token());
    List<io.vertx.core.Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add(api.sendAsync(HttpMethod.POST, "/api/posts/" + post + "/comments", i % 2 == 0 ? alice.token() : bob.token(),
          MultiMap.caseInsensitiveMultiMap(), new JsonObject().put("content", "c" + i).toBuffer()));
    }
    io.vertx.core.Future.join(sent).await();
    for (var f : sent) {
      assertEquals(201, f.result().status(), f.result().toString());
    }
    assertEquals(30, commentCount(post));
    assertEquals(30, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
    JsonArray items = thread(post, null, "?limit=50").getJsonArray("items");
    assertEquals(30, items.size());
  }
}
