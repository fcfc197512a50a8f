package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Likes on posts and comments over REST")
class LikesTest {
  private static final int CROWD = 50;

  private TestNode node;
  private Api api;
  private Forum forum;
  private String admin;
  private long boardId;
  private Forum.Member alice;
  private Forum.Member bob;
  private final List<String> crowd = new ArrayList<>();

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    admin = forum.adminToken();
    boardId = forum.board();
    alice = forum.member("lalice");
    bob = forum.member("lbob");
    for (int i = 0; i < CROWD; i++) {
      crowd.add(forum.user("fan"));
    }
  }

  @AfterAll
  void stop() {
    node.close();
  }


  private long newComment(String token, long postId) {
    return forum.commentId(token, postId, null, "a comment");
  }

  private Api.Response like(String token, String path) {
    return api.send(HttpMethod.PUT, path + "/like", token, null);
  }

  private Api.Response unlike(String token, String path) {
    return api.send(HttpMethod.DELETE, path + "/like", token, null);
  }

  private static void assertState(Api.Response r, boolean liked, long count) {
    assertEquals(200, r.status(), r.toString());
    assertEquals(new JsonObject().put("liked", liked).put("likeCount", count), r.json());
  }


  private static long rows(String type, long id) {
    return TestDb.count("SELECT COUNT(*) FROM likes WHERE target_type = ? AND target_id = ?", type, id);
  }

  private static long events(String type, long id) {
    return TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.like.changed' AND payload LIKE ?",
        "%\"targetType\":\"" + type + "\",\"targetId\":" + id + ",%");
  }

  private JsonObject comment(long postId, long commentId, String token) {
    for (Object o : api.get("/api/posts/" + postId + "/comments", token).json().getJsonArray("items")) {
      if (((JsonObject) o).getLong("id") == commentId) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("comment " + commentId + " not in the thread");
  }

  @Test
  @DisplayName("liking a post is idempotent; the post shows the count, likedByMe and a higher hot rank; unliking too")
  void likePost() {
    long post = forum.post(alice.token());
    String path = "/api/posts/" + post;
    double hotBefore = api.get(path).json().getDouble("hotScore");

    assertState(like(bob.token(), path), true, 1);
    assertState(like(bob.token(), path), true, 1);
    assertEquals(1, rows("post", post));
    assertEquals(1, events("post", post), "an unchanged like records no event");
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.like.changed' AND payload LIKE ?",
        "%\"targetId\":" + post + ",\"postId\":" + post + ",\"userId\":" + bob.id() + ",\"liked\":true,\"likeCount\":1,"
            + "\"targetAuthorId\":" + alice.id() + "%"));

    JsonObject seenByBob = api.get(path, bob.token()).json();
    assertEquals(1, seenByBob.getLong("likeCount"));
    assertTrue(seenByBob.getBoolean("likedByMe"));
    assertFalse(api.get(path, alice.token()).json().getBoolean("likedByMe"));
    assertFalse(api.get(path).json().getBoolean("likedByMe"));
    assertTrue(seenByBob.getDouble("hotScore") > hotBefore, "a like raises the hot rank");

    assertState(like(alice.token(), path), true, 2);
    assertState(like(admin, path), true, 3);
    assertEquals(3, api.get(path).json().getLong("likeCount"));

    assertState(unlike(bob.token(), path), false, 2);
    assertState(unlike(bob.token(), path), false, 2);
    assertEquals(2, rows("post", post));
    assertEquals(2, api.get(path).json().getLong("likeCount"));
    assertFalse(api.get(path, bob.token()).json().getBoolean("likedByMe"));
    assertEquals(4, events("post", post), "three likes and one unlike changed something");
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.like.changed' AND payload LIKE ?",
        "%\"targetId\":" + post + ",%\"userId\":" + bob.id() + ",\"liked\":false,\"likeCount\":2,%"));

    // the list shows it as well
    JsonObject listed = api.get("/api/posts?boardId=" + boardId + "&limit=50", alice.token()).json().getJsonArray("items")
        .stream().map(JsonObject.class::cast).filter(p -> p.getLong("id") == post).findFirst().orElseThrow();
    assertEquals(2, listed.getLong("likeCount"));
    assertTrue(listed.getBoolean("likedByMe"));
  }

  @Test
  @DisplayName("liking a comment is idempotent; the thread shows the count and likedByMe")
  void likeComment() {
    long post = forum.post(alice.token());
    long c = newComment(alice.token(), post);
    String path = "/api/comments/" + c;

    assertState(like(bob.token(), path), true, 1);
    assertState(like(bob.token(), path), true, 1);
    assertState(like(admin, path), true, 2);
    assertEquals(2, rows("comment", c));
    JsonObject seen = comment(post, c, bob.token());
    assertEquals(2, seen.getLong("likeCount"));
    assertTrue(seen.getBoolean("likedByMe"));
    assertFalse(comment(post, c, alice.token()).getBoolean("likedByMe"));
    assertFalse(comment(post, c, null).getBoolean("likedByMe"));
    assertEquals(0, api.get("/api/posts/" + post).json().getLong("likeCount"), "a comment's like is not the post's");
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.like.changed' AND payload LIKE ?",
        "%\"targetType\":\"comment\",\"targetId\":" + c + ",\"postId\":" + post + ",\"userId\":" + bob.id()
            + ",\"liked\":true,\"likeCount\":1,\"targetAuthorId\":" + alice.id() + "%"));

    assertState(unlike(bob.token(), path), false, 1);
    assertState(unlike(bob.token(), path), false, 1);
    assertEquals(1, comment(post, c, null).getLong("likeCount"));
    assertFalse(comment(post, c, bob.token()).getBoolean("likedByMe"));
    assertEquals(3, events("comment", c));
  }

  @Test
  @DisplayName("a missing post or comment, or a deleted comment, is a 404 and leaves no row")
  void missingTargets() {
    assertProblem(like(bob.token(), "/api/posts/999999999"), 404, "post 999999999");
    assertProblem(unlike(bob.token(), "/api/posts/999999999"), 404, "post 999999999");
    assertProblem(like(bob.token(), "/api/comments/999999999"), 404, "comment 999999999");
    assertProblem(unlike(bob.token(), "/api/comments/999999999"), 404, "comment 999999999");
    assertEquals(0, rows("post", 999999999));
    assertEquals(0, rows("comment", 999999999));

    long post = forum.post(alice.token());
    long c = newComment(alice.token(), post);
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + c, alice.token(), null).status());
    assertProblem(like(bob.token(), "/api/comments/" + c), 404, "deleted");
    assertProblem(unlike(bob.token(), "/api/comments/" + c), 404, "deleted");
    assertEquals(0, rows("comment", c));
    assertEquals(0, events("comment", c));

    // a deleted post takes its likes and its comments' likes with it
    long c2 = newComment(alice.token(), post);
    assertState(like(bob.token(), "/api/posts/" + post), true, 1);
    assertState(like(bob.token(), "/api/comments/" + c2), true, 1);
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + post, alice.token(), null).status());
    assertEquals(0, rows("post", post));
    assertEquals(0, rows("comment", c2));
    assertProblem(like(bob.token(), "/api/posts/" + post), 404, "post " + post);
    assertProblem(like(bob.token(), "/api/comments/" + c2), 404, "comment " + c2);
    assertEquals(0, rows("post", post));
  }

  @Test
  @DisplayName("likes need a valid token: a guest gets 401 and nothing changes; bad ids are a 400")
  void guestsAndBadIds() {
    long post = forum.post(alice.token());
    long c = newComment(alice.token(), post);
    for (String path : List.of("/api/posts/" + post, "/api/comments/" + c)) {
      assertEquals(401, like(null, path).status());
      assertEquals(401, unlike(null, path).status());
      assertProblem(like("not.a.token", path), 401, "");
    }
    assertEquals(0, rows("post", post));
    assertEquals(0, rows("comment", c));
    assertProblem(like(bob.token(), "/api/posts/abc"), 400, "id");
    assertProblem(like(bob.token(), "/api/comments/-1"), 400, "id");
    assertProblem(unlike(bob.token(), "/api/comments/1.5"), 400, "id");
    assertEquals(405, api.send(HttpMethod.POST, "/api/posts/" + post + "/like", bob.token(), null).status());
  }

  @Test
  @DisplayName("50 users liking one post at once: exactly 50, 50 rows, 50 events, no 5xx; then all unlike at once")
  void crowdLikesPost() {
    long post = forum.post(alice.token());
    String path = "/api/posts/" + post + "/like";
    List<Api.Response> liked = all(HttpMethod.PUT, path, crowd);
    List<Long> counts = new ArrayList<>();
    for (Api.Response r : liked) {
      assertEquals(200, r.status(), r.toString());
      assertTrue(r.json().getBoolean("liked"));
      counts.add(r.json().getLong("likeCount"));
    }
    assertEquals(CROWD, api.get("/api/posts/" + post).json().getLong("likeCount"));
    assertEquals(CROWD, rows("post", post));
    assertEquals(CROWD, events("post", post));
    // each like saw a different count: they were applied one after another
    assertEquals(CROWD, counts.stream().distinct().count(), counts.toString());

    for (Api.Response r : all(HttpMethod.DELETE, path, crowd)) {
      assertEquals(200, r.status(), r.toString());
    }
    assertEquals(0, api.get("/api/posts/" + post).json().getLong("likeCount"));
    assertEquals(0, rows("post", post));
  }

  @Test
  @DisplayName("one user liking twice at once counts once; liking and unliking at once ends consistent")
  void sameUserAtOnce() {
    long post = forum.post(alice.token());
    String path = "/api/posts/" + post + "/like";
    for (Api.Response r : all(HttpMethod.PUT, path, List.of(bob.token(), bob.token(), bob.token(), bob.token()))) {
      assertEquals(200, r.status(), r.toString());
      assertEquals(new JsonObject().put("liked", true).put("likeCount", 1), r.json());
    }
    assertEquals(1, api.get("/api/posts/" + post).json().getLong("likeCount"));
    assertEquals(1, rows("post", post));
    assertEquals(1, events("post", post));

    long c = newComment(alice.token(), post);
    String cpath = "/api/comments/" + c + "/like";
    for (Api.Response r : all(HttpMethod.PUT, cpath, List.of(bob.token(), bob.token()))) {
      assertEquals(200, r.status(), r.toString());
    }
    assertEquals(1, rows("comment", c));
    assertEquals(1, comment(post, c, null).getLong("likeCount"));

    // likes and unlikes of one user interleaved: the count always equals the rows
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(api.sendAsync(i % 2 == 0 ? HttpMethod.DELETE : HttpMethod.PUT, path, bob.token(), null, null));
    }
    Future.join(sent).await();
    sent.forEach(f -> assertEquals(200, f.result().status(), f.result().toString()));
    assertEquals(rows("post", post), api.get("/api/posts/" + post).json().getLong("likeCount"));
  }

  @Test
  @DisplayName("the crowd liking one comment at once: exactly 50")
  void crowdLikesComment() {
    long post = forum.post(alice.token());
    long c = newComment(bob.token(), post);
    for (Api.Response r : all(HttpMethod.PUT, "/api/comments/" + c + "/like", crowd)) {
      assertEquals(200, r.status(), r.toString());
    }
    assertEquals(CROWD, rows("comment", c));
    assertEquals(CROWD, comment(post, c, null).getLong("likeCount"));
  }

  @Test
  @DisplayName("likes racing the deletion of their post: each is a 200 or a 404, never a 5xx, and no like outlives the post")
  void likesRaceDelete() {
    for (int round = 0; round < 3; round++) {
      long post = forum.post(alice.token());
      List<Long> comments = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        comments.add(newComment(bob.token(), post));
      }
      List<Future<Api.Response>> sent = new ArrayList<>();
      for (int i = 0; i < CROWD; i++) {
        String target = i % 5 == 0 ? "/api/posts/" + post : "/api/comments/" + comments.get(i % 5);
        sent.add(api.sendAsync(HttpMethod.PUT, target + "/like", crowd.get(i), null, null));
        if (i == CROWD / 2) {
          sent.add(api.sendAsync(HttpMethod.DELETE, "/api/posts/" + post, alice.token(), null, null));
        }
      }
      Future.join(sent).await();
      for (Future<Api.Response> f : sent) {
        int status = f.result().status();
        assertTrue(status == 200 || status == 204 || status == 404, f.result().toString());
      }
      assertEquals(0, rows("post", post));
      for (long c : comments) {
        assertEquals(0, rows("comment", c));
      }
    }
  }

  /** Sends one request per token before waiting for any answer. */
  private List<Api.Response> all(HttpMethod method, String path, List<String> tokens) {
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (String token : tokens) {
      sent.add(api.sendAsync(method, path, token, null, null));
    }
    Future.join(sent).await();
    return sent.stream().map(Future::result).toList();
  }
}
