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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Comments and likes that arrive while others are being written are written together, in one
 * transaction per batch. Sent all at once, these requests share batches; each must still get the answer
 * it would have got alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Writes that arrive together are committed together, each with its own answer")
class GroupCommitTest {
  private static final int USERS = 20;

  private TestNode node;
  private Api api;
  private Forum forum;
  private String author;
  private long board;
  private final List<String> users = new ArrayList<>();

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    author = forum.user("gcauthor");
    board = forum.board("group-commit");
    for (int i = 0; i < USERS; i++) {
      users.add(forum.user("gcuser"));
    }
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private long post() {
    return forum.post(author, board, "Busy post", "Everyone writes here").getLong("id");
  }

  private Future<Api.Response> comment(String token, long post, Long parent, String content) {
    JsonObject body = new JsonObject().put("content", content);
    if (parent != null) {
      body.put("parentId", parent);
    }
    return api.sendAsync(HttpMethod.POST, "/api/posts/" + post + "/comments", token, null, body.toBuffer());
  }

  private static List<Api.Response> answers(List<Future<Api.Response>> sent) {
    Future.join(sent).await();
    return sent.stream().map(Future::result).toList();
  }

  private static long commentEvents(long post) {
    return TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.comment.created' AND payload LIKE ?",
        "%\"postId\":" + post + ",%");
  }

  private static long likeEvents(long post, boolean liked) {
    return TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.like.changed' AND payload LIKE ?",
        "%\"targetType\":\"post\",\"targetId\":" + post + ",%\"liked\":" + liked + ",%");
  }

  @Test
  @DisplayName("200 comments sent at once over four posts: every 201 is a row, each count is exact, one event each")
  void manyComments() {
    List<Long> posts = List.of(post(), post(), post(), post());
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sent.add(comment(users.get(i % USERS), posts.get(i % posts.size()), null, "comment " + i));
    }
    List<Api.Response> answers = answers(sent);

    Set<Long> ids = new TreeSet<>();
    for (int i = 0; i < answers.size(); i++) {
      Api.Response r = answers.get(i);
      assertEquals(201, r.status(), r.toString());
      assertEquals("comment " + i, r.json().getString("content"), "each request gets its own comment back");
      assertEquals(posts.get(i % posts.size()), r.json().getLong("postId"));
      ids.add(r.json().getLong("id"));
    }
    assertEquals(200, ids.size(), "200 different comments");
    for (long post : posts) {
      assertEquals(50, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
      assertEquals(50, api.get("/api/posts/" + post).json().getLong("commentCount"));
      assertEquals(50, commentEvents(post), "one comment.created event per comment");
      // Each event carries the post's count right after its comment: 1 to 50, each once.
      Set<Long> counts = new TreeSet<>();
      for (long n = 1; n <= 50; n++) {
        if (TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.comment.created' AND payload LIKE ?",
            "%\"postId\":" + post + ",%\"commentCount\":" + n + "}%") == 1) {
          counts.add(n);
        }
      }
      assertEquals(LongStream.rangeClosed(1, 50).boxed().collect(Collectors.toSet()), counts, "post " + post);
    }
  }

  @Test
  @DisplayName("forty of the longest comments sent at once are all written")
  void longComments() {
    long post = post();
    String longest = "\u20AC".repeat(9_999) + "*";
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(comment(users.get(i % USERS), post, null, longest));
    }
    for (Api.Response r : answers(sent)) {
      assertEquals(201, r.status(), () -> r.status() + " " + r.text().substring(0, Math.min(300, r.text().length())));
      assertEquals(longest, r.json().getString("content"));
    }
    assertEquals(40, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
    assertEquals(40, api.get("/api/posts/" + post).json().getLong("commentCount"));
  }

  @Test
  @DisplayName("comments sent together on a live post, a deleted post and under bad parents: only the bad ones fail, "
      + "each with its own status, and they leave nothing behind")
  void badOnesFailAlone() {
    long live = post();
    long other = post();
    long deleted = post();
    long foreign = comment(author, other, null, "elsewhere").await().json().getLong("id");
    long parent = comment(author, live, null, "parent").await().json().getLong("id");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + deleted, author, null).status());

    List<Future<Api.Response>> sent = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < 80; i++) {
      String token = users.get(i % USERS);
      String kind = switch (i % 8) {
        case 1 -> "deleted post";
        case 3 -> "foreign parent";
        case 5 -> "missing parent";
        case 6 -> "reply";
        default -> "root";
      };
      kinds.add(kind);
      sent.add(switch (kind) {
        case "deleted post" -> comment(token, deleted, null, "too late " + i);
        case "foreign parent" -> comment(token, live, foreign, "wrong thread " + i);
        case "missing parent" -> comment(token, live, 999_999_999L, "no parent " + i);
        case "reply" -> comment(token, live, parent, "reply " + i);
        default -> comment(token, live, null, "root " + i);
      });
    }
    List<Api.Response> answers = answers(sent);

    Map<String, Integer> created = new HashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      Api.Response r = answers.get(i);
      switch (kinds.get(i)) {
        case "deleted post" -> assertProblem(r, 404, "post " + deleted);
        case "foreign parent" -> assertProblem(r, 400, "another post");
        case "missing parent" -> assertProblem(r, 404, "comment 999999999");
        default -> {
          assertEquals(201, r.status(), r.toString());
          created.merge(kinds.get(i), 1, Integer::sum);
          if (kinds.get(i).equals("reply")) {
            assertEquals(parent, r.json().getLong("parentId"));
            assertEquals(1, r.json().getInteger("depth"));
          }
        }
      }
    }
    assertEquals(Map.of("root", 40, "reply", 10), created);
    long expected = 1 + 40 + 10;
    assertEquals(expected, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", live));
    assertEquals(expected, api.get("/api/posts/" + live).json().getLong("commentCount"));
    assertEquals(expected, commentEvents(live));
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", deleted));
    assertEquals(0, commentEvents(deleted));
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", other));
  }

  @Test
  @DisplayName("many users liking and unliking several posts at once: no 5xx, each post's answers count 1 to n "
      + "in turn, counts equal rows, one event per change")
  void manyLikes() {
    List<Long> posts = List.of(post(), post(), post());
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (long post : posts) {
      for (String user : users) {
        sent.add(api.sendAsync(HttpMethod.PUT, "/api/posts/" + post + "/like", user, null, null));
      }
    }
    List<Api.Response> liked = answers(sent);
    for (int p = 0; p < posts.size(); p++) {
      Set<Long> counts = new TreeSet<>();
      for (int u = 0; u < USERS; u++) {
        Api.Response r = liked.get(p * USERS + u);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().getBoolean("liked"), r.toString());
        counts.add(r.json().getLong("likeCount"));
      }
      assertEquals(LongStream.rangeClosed(1, USERS).boxed().collect(Collectors.toSet()), counts,
          "the likes of post " + posts.get(p) + " were applied one after another");
    }

    // Now each user likes again and unlikes twice, all at once: whatever order these land in, every answer
    // is a 200, the count is the rows, and the events add up to the rows.
    sent.clear();
    for (long post : posts) {
      for (String user : users) {
        String path = "/api/posts/" + post + "/like";
        sent.add(api.sendAsync(HttpMethod.PUT, path, user, null, null));
        sent.add(api.sendAsync(HttpMethod.DELETE, path, user, null, null));
        sent.add(api.sendAsync(HttpMethod.DELETE, path, user, null, null));
      }
    }
    for (Api.Response r : answers(sent)) {
      assertEquals(200, r.status(), r.toString());
    }
    for (long post : posts) {
      long rows = TestDb.count("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id = ?", post);
      assertEquals(rows, api.get("/api/posts/" + post).json().getLong("likeCount"));
      assertEquals(rows, likeEvents(post, true) - likeEvents(post, false),
          "one event per like and per unlike that changed something");
      assertTrue(likeEvents(post, true) >= USERS, "the first likes all changed something");
    }
  }
}
