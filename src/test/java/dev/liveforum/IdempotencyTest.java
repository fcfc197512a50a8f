package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Writes with an Idempotency-Key")
class IdempotencyTest {
  private TestNode node;
  private Api api;
  private Forum forum;
  private long board;
  private String alice;
  private String bob;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    board = forum.board("idem");
    alice = forum.user("ialice");
    bob = forum.user("ibob");
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private Api.Response send(HttpMethod method, String path, String token, String key, JsonObject body) {
    return api.send(method, path, token, keyed(key), body == null ? null : body.toBuffer());
  }

  private static MultiMap keyed(String key) {
    return MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key);
  }

  private static long comments(long post) {
    return TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post);
  }

  @Test
  @DisplayName("a comment sent twice with one key is made once, and both answers are the first one")
  void repeatedComment() {
    long post = forum.post(alice, board, "Repeat", "text").getLong("id");
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("content", "only once");
    Api.Response first = send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key, body);
    Api.Response again = send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key, body);
    assertEquals(201, first.status(), first.toString());
    assertEquals(201, again.status(), again.toString());
    assertEquals(first.json(), again.json(), "the repeat gets the first answer");
    assertEquals(1, comments(post), "one row for two requests");
    assertEquals(1, api.get("/api/posts/" + post + "/comments").json().getJsonArray("items").size());
    assertEquals(1L, api.get("/api/posts/" + post).json().getLong("commentCount"));
  }

  @Test
  @DisplayName("the same key with a different body is a 422 that says so, and writes nothing")
  void keyWithAnotherRequest() {
    long post = forum.post(alice, board, "Reused key", "text").getLong("id");
    String key = UUID.randomUUID().toString();
    assertEquals(201, send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key,
        new JsonObject().put("content", "first")).status());
    Api.Response other = send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key,
        new JsonObject().put("content", "something else"));
    assertProblem(other, 422, "already used with a different request");
    Api.Response otherPost = send(HttpMethod.POST, "/api/posts", bob, key,
        new JsonObject().put("boardId", board).put("title", "t").put("content", "c"));
    assertProblem(otherPost, 422, "Idempotency-Key");
    assertEquals(1, comments(post));
  }

  @Test
  @DisplayName("keys belong to their user: another user's request with the same key is a request of its own")
  void keysPerUser() {
    long post = forum.post(alice, board, "Two users", "text").getLong("id");
    String key = "shared-key-" + UUID.randomUUID();
    JsonObject body = new JsonObject().put("content", "same words");
    Api.Response byBob = send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key, body);
    Api.Response byAlice = send(HttpMethod.POST, "/api/posts/" + post + "/comments", alice, key, body);
    assertEquals(201, byBob.status(), byBob.toString());
    assertEquals(201, byAlice.status(), byAlice.toString());
    assertNotEquals(byBob.json().getLong("id"), byAlice.json().getLong("id"));
    assertEquals(2, comments(post));
  }

  @Test
  @DisplayName("a key that is too long or has other characters is a 400 naming the header")
  void badKeys() {
    long post = forum.post(alice, board, "Bad keys", "text").getLong("id");
    JsonObject body = new JsonObject().put("content", "never written");
    for (String key : List.of("x".repeat(101), "has space", "semi;colon", "ünïcode")) {
      Api.Response r = send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key, body);
      assertProblem(r, 400, "Idempotency-Key");
    }
    assertEquals(0, comments(post));
  }

  @Test
  @DisplayName("the same comment sent eight times at once with one key is made once; every answer is the same")
  void concurrentRepeats() {
    long post = forum.post(alice, board, "At once", "text").getLong("id");
    String key = UUID.randomUUID().toString();
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sent.add(api.sendAsync(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, keyed(key),
          new JsonObject().put("content", "pressed eight times").toBuffer()));
    }
    Future.join(sent).await();
    JsonObject first = sent.get(0).result().json();
    for (Future<Api.Response> r : sent) {
      assertEquals(201, r.result().status(), r.result().toString());
      assertEquals(first, r.result().json());
    }
    assertEquals(1, comments(post));
  }

  @Test
  @DisplayName("a like repeated with its key after an unlike answers the first outcome and leaves the post unliked")
  void repeatedLike() {
    long post = forum.post(alice, board, "Likes", "text").getLong("id");
    String likeKey = UUID.randomUUID().toString();
    Api.Response liked = send(HttpMethod.PUT, "/api/posts/" + post + "/like", bob, likeKey, null);
    assertEquals(200, liked.status(), liked.toString());
    assertEquals(new JsonObject().put("liked", true).put("likeCount", 1), liked.json());
    Api.Response unliked = send(HttpMethod.DELETE, "/api/posts/" + post + "/like", bob, UUID.randomUUID().toString(), null);
    assertEquals(0L, unliked.json().getLong("likeCount"), unliked.toString());

    Api.Response repeat = send(HttpMethod.PUT, "/api/posts/" + post + "/like", bob, likeKey, null);
    assertEquals(liked.json(), repeat.json(), "the repeat of the like gets the like's own answer");
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id = ?", post),
        "and likes nothing again");
    assertEquals(0L, api.get("/api/posts/" + post).json().getLong("likeCount"));
  }

  @Test
  @DisplayName("a refused write records nothing: its key can carry the corrected request")
  void refusedWriteKeepsKeyFree() {
    String key = UUID.randomUUID().toString();
    Api.Response missing = send(HttpMethod.POST, "/api/posts/999999999/comments", bob, key,
        new JsonObject().put("content", "where?"));
    assertProblem(missing, 404, "does not exist");
    long post = forum.post(alice, board, "Corrected", "text").getLong("id");
    Api.Response made = send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob, key,
        new JsonObject().put("content", "here"));
    assertEquals(201, made.status(), made.toString());
  }

  @Test
  @DisplayName("a registration repeated with its key answers the first account; with other details it is a 422")
  void repeatedRegistration() {
    String name = unique("ireg");
    JsonObject body = new JsonObject().put("username", name).put("email", name.toLowerCase() + "@example.com")
        .put("password", Forum.PASSWORD);
    String key = UUID.randomUUID().toString();
    Api.Response first = send(HttpMethod.POST, "/api/auth/register", null, key, body);
    Api.Response again = send(HttpMethod.POST, "/api/auth/register", null, key, body);
    assertEquals(201, first.status(), first.toString());
    assertEquals(201, again.status(), "not 409 'username taken': " + again);
    assertEquals(first.json(), again.json());
    assertEquals(first.headers().get("Location"), again.headers().get("Location"));
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM users WHERE username = ?", name));
    assertProblem(send(HttpMethod.POST, "/api/auth/register", null, key, body.copy().put("username", name + "x")),
        422, "Idempotency-Key");
  }

  @Test
  @DisplayName("a post, a post's deletion and a notification read each answer their first outcome when repeated")
  void otherWrites() {
    String key = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("boardId", board).put("title", "Once").put("content", "c");
    Api.Response post = send(HttpMethod.POST, "/api/posts", alice, key, body);
    Api.Response postAgain = send(HttpMethod.POST, "/api/posts", alice, key, body);
    assertEquals(201, postAgain.status(), postAgain.toString());
    assertEquals(post.json().getLong("id"), postAgain.json().getLong("id"));
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM posts WHERE author_id = ? AND title = 'Once'",
        post.json().getJsonObject("author").getLong("id")));

    String deleteKey = UUID.randomUUID().toString();
    String path = "/api/posts/" + post.json().getLong("id");
    assertEquals(204, send(HttpMethod.DELETE, path, alice, deleteKey, null).status());
    Api.Response deleteAgain = send(HttpMethod.DELETE, path, alice, deleteKey, null);
    assertEquals(204, deleteAgain.status(), "the repeat of a delete is its 204, not a 404: " + deleteAgain);
    assertProblem(send(HttpMethod.DELETE, path, alice, UUID.randomUUID().toString(), null), 404, "does not exist");

    String readKey = UUID.randomUUID().toString();
    assertEquals(204, send(HttpMethod.POST, "/api/notifications/read-all", bob, readKey, null).status());
    assertEquals(204, send(HttpMethod.POST, "/api/notifications/read-all", bob, readKey, null).status());
  }
}
