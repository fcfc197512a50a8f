package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
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
import java.util.function.IntUnaryOperator;

import static dev.liveforum.support.CommentPages.ids;
import static dev.liveforum.support.CommentPages.item;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12, point 3: a page of comments is bounded however many replies a root has and however deep
 * a chain goes; the rest of a root's replies are read through their own paged endpoint. The node shows
 * 5 replies per root and lets replies go 3 levels deep, so the tests stay small.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Reply pages: replies under a root are capped and paged, depth is bounded, every answer has a size")
class ReplyPagesTest {
  private static final int CAP = 5;
  private static final int MAX_DEPTH = 3;

  private TestNode node;
  private Api api;
  private Forum forum;
  private long board;
  private String alice;
  private String bob;
  private long bobId;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config().with(Setting.COMMENTS_REPLIES_PER_ROOT, CAP)
        .with(Setting.COMMENTS_MAX_DEPTH, MAX_DEPTH));
    api = new Api(node.port);
    forum = new Forum(api);
    board = forum.board("replies");
    alice = forum.user("ralice");
    Forum.Member b = forum.member("rbob");
    bob = b.token();
    bobId = b.id();
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private long post() {
    return forum.postId(alice, board, "Replies", "Talk below");
  }

  private JsonObject get(String path) {
    Api.Response r = api.get(path);
    assertEquals(200, r.status(), r.toString());
    return r.json();
  }

  /**
   * {@code n} replies below {@code root}, by bob and alice in turn; reply {@code i} answers reply
   * {@code answers.applyAsInt(i)} when that is not negative, else the root. Their ids, oldest first.
   */
  private List<Long> replies(long post, long root, int n, IntUnaryOperator answers) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int to = answers.applyAsInt(i);
      ids.add(forum.commentId(i % 2 == 0 ? bob : alice, post, to < 0 ? root : ids.get(to), "reply " + i));
    }
    return ids;
  }

  /** Each item's parent is the root, an item before it on this page, or one in {@code before}. */
  private static void assertParentsFirst(long root, JsonObject page, Set<Long> before) {
    Set<Long> seen = new HashSet<>(before);
    seen.add(root);
    for (Object o : page.getJsonArray("items")) {
      JsonObject c = (JsonObject) o;
      if (c.getValue("parentId") != null) {
        assertTrue(seen.contains(c.getLong("parentId")), "the parent of " + c.getLong("id") + " comes first: " + page.encode());
      }
      seen.add(c.getLong("id"));
    }
  }

  @Test
  @DisplayName("a root with more replies than the cap shows its oldest ones, with their parents, and counts the rest")
  void capAndCount() {
    long post = post();
    long busy = forum.commentId(alice, post, null, "busy root");
    // every third reply answers the reply before it: a tree, not a list
    List<Long> replies = replies(post, busy, 12, i -> i % 3 == 2 ? i - 1 : -1);
    long quiet = forum.commentId(bob, post, null, "quiet root");
    long q1 = forum.commentId(alice, post, quiet, "only reply");

    JsonObject page = get("/api/posts/" + post + "/comments?limit=10");
    List<Long> shown = ids(page);
    // the 5 oldest replies of the busy root, depth-first: r2 answers r1
    assertEquals(List.of(busy, replies.get(0), replies.get(1), replies.get(2), replies.get(3), replies.get(4), quiet, q1),
        shown);
    assertParentsFirst(busy, page, Set.of());
    JsonObject root = item(page, busy);
    assertEquals(7, root.getInteger("moreReplies"));
    assertNotNull(root.getString("repliesCursor"));
    assertEquals(0, item(page, quiet).getInteger("moreReplies"));
    assertNull(item(page, quiet).getValue("repliesCursor"));
    assertTrue(item(page, quiet).containsKey("repliesCursor"));
    // replies do not carry the root's counts
    assertTrue(!item(page, replies.get(0)).containsKey("moreReplies"), item(page, replies.get(0)).encode());

    // a deleted reply beyond the page is not counted; one on the page without live replies goes
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + replies.get(11), alice, null).status());
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + replies.get(3), alice, null).status());
    page = get("/api/posts/" + post + "/comments?limit=10");
    assertEquals(List.of(busy, replies.get(0), replies.get(1), replies.get(2), replies.get(4), quiet, q1), ids(page));
    assertEquals(6, item(page, busy).getInteger("moreReplies"));
  }

  @Test
  @DisplayName("paging a root's replies through /api/comments/{id}/replies returns every reply once, oldest first, parents first")
  void pagingThroughReplies() {
    long post = post();
    long root = forum.commentId(alice, post, null, "root");
    List<Long> all = replies(post, root, 23, i -> i % 4 == 3 ? i - 2 : -1);
    JsonObject first = get("/api/posts/" + post + "/comments");
    Set<Long> seen = new HashSet<>(ids(first));
    seen.remove(root);
    assertEquals(CAP, seen.size());
    assertEquals(23 - CAP, item(first, root).getInteger("moreReplies"));

    List<Long> read = new ArrayList<>(seen);
    read.sort(null);
    String cursor = item(first, root).getString("repliesCursor");
    int remaining = 23 - CAP;
    int pages = 0;
    while (cursor != null) {
      JsonObject page = get("/api/comments/" + root + "/replies?limit=7&cursor=" + cursor);
      pages++;
      assertEquals(root, page.getJsonObject("root").getLong("id"));
      assertEquals("root", page.getJsonObject("root").getString("content"));
      List<Long> ids = ids(page);
      assertEquals(Math.min(7, remaining), ids.size(), page.encode());
      // the next replies by age, none repeated
      List<Long> sorted = new ArrayList<>(ids);
      sorted.sort(null);
      assertEquals(all.subList(read.size(), read.size() + ids.size()), sorted);
      assertParentsFirst(root, page, seen);
      remaining -= ids.size();
      assertEquals(remaining, page.getInteger("moreReplies"));
      ids.forEach(id -> assertTrue(seen.add(id), "reply " + id + " came twice"));
      read.addAll(sorted);
      cursor = page.getString("nextCursor");
    }
    assertEquals(3, pages);
    assertEquals(all, read);

    // without a cursor the replies start from the oldest; a reply arriving later is read next
    assertEquals(all.subList(0, 7), sortedIds(get("/api/comments/" + root + "/replies?limit=7")));
    JsonObject last = get("/api/comments/" + root + "/replies?limit=50");
    assertNull(last.getValue("nextCursor"));
    assertEquals(0, last.getInteger("moreReplies"));
    assertEquals(23, last.getJsonArray("items").size());
    long late = forum.commentId(bob, post, all.get(5), "late");
    JsonObject again = get("/api/comments/" + root + "/replies?limit=20");
    assertEquals(4, again.getInteger("moreReplies"));
    JsonObject rest = get("/api/comments/" + root + "/replies?cursor=" + again.getString("nextCursor"));
    assertEquals(List.of(all.get(20), all.get(21), all.get(22), late), sortedIds(rest));
    // the late reply's parent was on an earlier page: it starts a branch and says where it goes
    assertEquals(all.get(5), item(rest, late).getLong("parentId"));
  }

  private static List<Long> sortedIds(JsonObject page) {
    List<Long> ids = new ArrayList<>(ids(page));
    ids.sort(null);
    return ids;
  }

  @Test
  @DisplayName("a deleted reply keeps its place on a reply page while a live reply below it is on a later page")
  void deletedReplyAnsweredLater() {
    long post = post();
    long root = forum.commentId(alice, post, null, "root");
    long gone = forum.commentId(bob, post, root, "soon deleted");
    List<Long> fill = new ArrayList<>();
    for (int i = 0; i < CAP + 2; i++) {
      fill.add(forum.commentId(alice, post, root, "filler " + i));
    }
    long answer = forum.commentId(alice, post, gone, "an answer to the deleted one, beyond the first replies");
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + gone, bob, null).status());
    JsonObject page = get("/api/posts/" + post + "/comments");
    assertTrue(item(page, gone).getBoolean("deleted"), page.encode());
    assertEquals(List.of(root, gone, fill.get(0), fill.get(1), fill.get(2), fill.get(3)), ids(page));
    assertEquals(4, item(page, root).getInteger("moreReplies"));
    JsonObject rest = get("/api/comments/" + root + "/replies?cursor=" + item(page, root).getString("repliesCursor"));
    assertEquals(List.of(fill.get(4), fill.get(5), fill.get(6), answer), sortedIds(rest));
    // once the answer is deleted too, the placeholder has nothing to hold and goes
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + answer, alice, null).status());
    page = get("/api/posts/" + post + "/comments");
    // (the page's oldest replies held it: it shows one fewer, and counts the three after them)
    assertEquals(List.of(root, fill.get(0), fill.get(1), fill.get(2), fill.get(3)), ids(page));
    assertEquals(3, item(page, root).getInteger("moreReplies"));
  }

  @Test
  @DisplayName("60 replies of 10,000 characters and a 30-deep chain: limit=1 answers the root and the cap, under 150 KB")
  void pageSizeIsBounded() {
    long post = post();
    long root = forum.commentId(alice, post, null, "a root that draws a flood");
    String longText = "x".repeat(9_990) + " flood";
    for (int i = 0; i < 60; i++) {
      forum.commentId(bob, post, root, longText);
    }
    long chain = forum.commentId(alice, post, null, "a chain");
    Long parent = chain;
    for (int i = 0; i < 30; i++) {
      parent = forum.commentId(i % 2 == 0 ? bob : alice, post, parent, "deeper " + i);
    }
    Api.Response r = api.get("/api/posts/" + post + "/comments?limit=1");
    assertEquals(200, r.status());
    JsonObject page = r.json();
    assertEquals(1 + CAP, page.getJsonArray("items").size());
    assertEquals(60 - CAP, item(page, root).getInteger("moreReplies"));
    // each comment is at most 10,000 characters, sent as text and as HTML: about 20 KB here
    assertTrue(r.body().length() < (1 + CAP) * 25_000, "the page is " + r.body().length() + " bytes");
    Api.Response chainPage = api.get("/api/posts/" + post + "/comments?limit=1&cursor=" + page.getString("nextCursor"));
    assertEquals(1 + CAP, chainPage.json().getJsonArray("items").size());
    assertEquals(30 - CAP, item(chainPage.json(), chain).getInteger("moreReplies"));
    int deepest = chainPage.json().getJsonArray("items").stream().mapToInt(o -> ((JsonObject) o).getInteger("depth"))
        .max().orElseThrow();
    assertEquals(MAX_DEPTH, deepest);
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ? AND depth > ?", post, MAX_DEPTH));
    // a page of replies is bounded by its limit
    Api.Response replies = api.get("/api/comments/" + root + "/replies?limit=50");
    assertEquals(50, replies.json().getJsonArray("items").size());
    assertTrue(replies.body().length() < 51 * 25_000, "the replies page is " + replies.body().length() + " bytes");
  }

  @Test
  @DisplayName("a reply to a comment at the deepest level goes beside it and names whom it answers; that author is told")
  void depthLimit() {
    long post = post();
    long root = forum.commentId(alice, post, null, "root");
    long d1 = forum.commentId(bob, post, root, "level 1");
    long d2 = forum.commentId(alice, post, d1, "level 2");
    long d3 = forum.commentId(bob, post, d2, "level 3, the deepest");
    Api.Response r = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", alice,
        new JsonObject().put("content", "answering level 3").put("parentId", d3));
    assertEquals(201, r.status(), r.toString());
    JsonObject flat = r.json();
    assertEquals(MAX_DEPTH, flat.getInteger("depth"));
    assertEquals(d2, flat.getLong("parentId"));
    assertEquals(d3, flat.getJsonObject("replyTo").getLong("id"));
    assertEquals(bobId, flat.getJsonObject("replyTo").getJsonObject("author").getLong("id"));
    long back = forum.commentId(bob, post, flat.getLong("id"), "and back");

    JsonObject page = get("/api/posts/" + post + "/comments");
    assertEquals(List.of(root, d1, d2, d3, flat.getLong("id"), back), ids(page));
    assertNull(item(page, d3).getValue("replyTo"));
    assertEquals(flat.getLong("id"), item(page, back).getJsonObject("replyTo").getLong("id"));
    assertEquals(d2, item(page, back).getLong("parentId"));
    // the answered author is told as of a reply (the event names them as the parent's author)
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM outbox WHERE address = 'event.comment.created'"
        + " AND payload LIKE ?", "%\"commentId\":" + flat.getLong("id") + ",%\"replyTo\":{\"id\":" + d3
        + ",%\"parentAuthorId\":" + bobId + "%"));
    // once the answered comment is deleted, the reply still says it answered one, without an author
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + d3, bob, null).status());
    JsonObject after = item(get("/api/posts/" + post + "/comments"), flat.getLong("id")).getJsonObject("replyTo");
    assertEquals(d3, after.getLong("id"));
    assertNull(after.getValue("author"));
  }

  @Test
  @DisplayName("bad reply requests are 4xx problems: unknown comment, a reply's id, bad limits, bad or foreign cursors")
  void badInput() {
    long post = post();
    long root = forum.commentId(alice, post, null, "root");
    long other = forum.commentId(alice, post, null, "another root");
    List<Long> replies = replies(post, root, CAP + 2, i -> i == 0 ? -1 : 0);
    String cursor = item(get("/api/posts/" + post + "/comments"), root).getString("repliesCursor");
    assertNotNull(cursor);
    assertProblem(api.get("/api/comments/999999999/replies"), 404, "comment 999999999");
    assertProblem(api.get("/api/comments/" + replies.get(1) + "/replies"), 400, "/api/comments/" + root + "/replies");
    assertProblem(api.get("/api/comments/" + root + "/replies?limit=0"), 400, "limit");
    assertProblem(api.get("/api/comments/" + root + "/replies?limit=51"), 400, "limit");
    assertProblem(api.get("/api/comments/" + root + "/replies?limit=abc"), 400, "limit");
    assertProblem(api.get("/api/comments/abc/replies"), 400, "id");
    assertProblem(api.get("/api/comments/" + root + "/replies?cursor=garbage"), 400, "cursor");
    assertProblem(api.get("/api/comments/" + other + "/replies?cursor=" + cursor), 400, "cursor");
    for (int i = 0; i < 3; i++) {
      forum.commentId(alice, post, null, "more roots " + i);
    }
    String pageCursor = get("/api/posts/" + post + "/comments?limit=1").getString("nextCursor");
    assertProblem(api.get("/api/comments/" + root + "/replies?cursor=" + pageCursor), 400, "cursor");
    assertProblem(api.get("/api/posts/" + post + "/comments?cursor=" + cursor), 400, "cursor");
  }
}
