package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.liveforum.support.Pages.ids;
import static dev.liveforum.support.Pages.newestFirst;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Public profiles over REST. Comments are written straight into the database here: this branch has
 * no comment API yet, and a profile only reads them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Public profiles")
class ProfilesTest {
  private static final String PASSWORD = "correct horse battery";

  private TestNode node;
  private Api api;
  private Forum forum;
  private String adminName;
  private long board;
  private long alice;
  private String aliceName;
  private String aliceToken;
  private long bob;
  private String bobToken;
  private final List<Long> alicePosts = new ArrayList<>();
  private final List<Long> aliceComments = new ArrayList<>();
  private long deletedComment;
  private long bobPost;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    adminName = forum.admin("profileadmin").name();
    board = forum.board("Profiles ");
    Forum.Member aliceMember = forum.member("alice");
    aliceName = aliceMember.name();
    alice = aliceMember.id();
    aliceToken = aliceMember.token();
    Forum.Member bobMember = forum.member("bob");
    bob = bobMember.id();
    bobToken = bobMember.token();

    for (int i = 1; i <= 3; i++) {
      alicePosts.add(forum.postId(aliceToken, board, "Alice's post " + i, "Post number " + i + " by Alice."));
    }
    bobPost = forum.postId(bobToken, board, "Bob's only post", "Hello from Bob.");
    aliceComments.add(comment(alice, bobPost, null, "First! " + "x".repeat(400), null));
    aliceComments.add(comment(alice, alicePosts.get(0), null, "Replying on my own post.", null));
    deletedComment = comment(alice, bobPost, null, "Something I took back.", "UTC_TIMESTAMP(3)");
    aliceComments.add(comment(alice, bobPost, aliceComments.get(0), "And a reply to myself.", null));
    comment(bob, alicePosts.get(0), null, "Bob was here.", null);
  }

  @AfterAll
  void stop() {
    node.close();
  }


  /** Inserts a comment as the comment API will (rendered HTML aside); returns its id. */
  private static long comment(long author, long post, Long parent, String content, String deletedAt) {
    TestDb.update("INSERT INTO comments (post_id, author_id, parent_id, root_id, depth, content, content_html,"
            + " created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), "
            + (deletedAt == null ? "NULL" : deletedAt) + ")",
        post, author, parent, parent, parent == null ? 0 : 1, content, "<p>" + content + "</p>");
    return TestDb.count("SELECT MAX(id) FROM comments WHERE author_id = ?", author);
  }

  /** Every page of a list, following nextCursor; fails on a repeated item. */
  private List<Long> allPages(String path) {
    List<Long> all = new ArrayList<>();
    String next = null;
    do {
      Api.Response page = api.get(path + (next == null ? "" : "&cursor=" + next));
      for (Long id : ids(page)) {
        assertFalse(all.contains(id), id + " repeated in " + page);
        all.add(id);
      }
      next = page.json().getString("nextCursor");
    } while (next != null);
    return all;
  }

  @Test
  @DisplayName("a profile shows username, role, joined date and post and comment counts, never the email")
  void profile() {
    Api.Response r = api.get("/api/users/" + alice);
    assertEquals(200, r.status(), r.toString());
    JsonObject p = r.json();
    assertEquals(Set.of("id", "username", "role", "createdAt", "postCount", "commentCount"), p.fieldNames());
    assertEquals(alice, p.getLong("id"));
    assertEquals(aliceName, p.getString("username"));
    assertEquals("user", p.getString("role"));
    assertTrue(p.getString("createdAt").endsWith("Z"), p.encode());
    assertEquals(3, p.getLong("postCount"));
    assertEquals(3, p.getLong("commentCount"), "the deleted comment is not counted");
    assertFalse(r.text().contains("@example.com"), r.text());
    assertFalse(r.text().contains("$2"), r.text());

    JsonObject admin = api.get("/api/users/" + TestDb.count("SELECT id FROM users WHERE username = ?", adminName))
        .json();
    assertEquals("admin", admin.getString("role"));
    assertEquals(0, admin.getLong("postCount"));
    assertEquals(0, admin.getLong("commentCount"));
    assertEquals(200, api.get("/api/users/" + alice, bobToken).status(), "signed in or not");
  }

  @Test
  @DisplayName("a user's posts come newest first, only theirs, as post list items, paged without repeats")
  void posts() {
    Api.Response first = api.get("/api/users/" + alice + "/posts?limit=2");
    assertEquals(newestFirst(alicePosts).subList(0, 2), ids(first));
    JsonObject item = first.json().getJsonArray("items").getJsonObject(0);
    assertEquals("Alice's post 3", item.getString("title"));
    assertEquals(aliceName, item.getJsonObject("author").getString("username"));
    assertEquals(board, item.getJsonObject("board").getLong("id"));
    assertEquals("Post number 3 by Alice.", item.getString("excerpt"));
    assertNull(item.getString("content"));

    assertEquals(newestFirst(alicePosts), allPages("/api/users/" + alice + "/posts?limit=2"));
    assertEquals(List.of(bobPost), ids(api.get("/api/users/" + bob + "/posts")));
    Api.Response none = api.get("/api/users/" + TestDb.count("SELECT id FROM users WHERE username = ?", adminName)
        + "/posts");
    assertEquals(List.of(), ids(none));
    assertNull(none.json().getString("nextCursor"));
  }

  @Test
  @DisplayName("the view counts in a user's posts include views not yet written to the database")
  void postsShowUnflushedViews() {
    long post = forum.postId(bobToken, board, "Bob reads the news", "Extra, extra.");
    assertEquals(200, api.get("/api/posts/" + post, aliceToken).status());
    JsonObject item = api.get("/api/users/" + bob + "/posts?limit=1").json().getJsonArray("items").getJsonObject(0);
    assertEquals(post, item.getLong("id"));
    assertEquals(1, item.getLong("viewCount"));
  }

  @Test
  @DisplayName("a user's comments come newest first with their post and an excerpt, leaving out deleted ones")
  void comments() {
    Api.Response r = api.get("/api/users/" + alice + "/comments");
    assertEquals(newestFirst(aliceComments), ids(r));
    assertFalse(ids(r).contains(deletedComment));
    JsonObject reply = r.json().getJsonArray("items").getJsonObject(0);
    assertEquals(bobPost, reply.getLong("postId"));
    assertEquals("Bob's only post", reply.getString("postTitle"));
    assertEquals(aliceComments.get(0), reply.getLong("parentId"));
    assertEquals("And a reply to myself.", reply.getString("excerpt"));
    assertTrue(reply.getString("createdAt").endsWith("Z"));
    assertEquals(0, reply.getLong("likeCount"));
    JsonObject longOne = r.json().getJsonArray("items").getJsonObject(2);
    assertNull(longOne.getValue("parentId"));
    assertEquals(300, longOne.getString("excerpt").length(), "a long comment is cut to an excerpt");

    assertEquals(newestFirst(aliceComments), allPages("/api/users/" + alice + "/comments?limit=1"));
  }

  @Test
  @DisplayName("a missing user is a 404 on the profile and both lists; a malformed id or limit is a 400")
  void missingAndMalformed() {
    long missing = 9_000_000_000L;
    assertProblem(api.get("/api/users/" + missing), 404, "user " + missing + " does not exist");
    assertProblem(api.get("/api/users/" + missing + "/posts"), 404, "does not exist");
    assertProblem(api.get("/api/users/" + missing + "/comments"), 404, "does not exist");
    assertProblem(api.get("/api/users/abc"), 400, "id");
    assertProblem(api.get("/api/users/0/posts"), 400, "id");
    assertProblem(api.get("/api/users/" + alice + "/comments?limit=0"), 400, "limit");
    assertProblem(api.get("/api/users/" + alice + "/posts?limit=51"), 400, "limit");
    assertEquals(200, api.get("/api/users/me", aliceToken).status(), "/api/users/me is still the signed-in user");
  }

  @Test
  @DisplayName("a cursor only continues its own list: another user's, another kind of list, or a changed one is a 400")
  void cursorsBelongToTheirList() {
    String postsCursor = api.get("/api/users/" + alice + "/posts?limit=1").json().getString("nextCursor");
    String commentsCursor = api.get("/api/users/" + alice + "/comments?limit=1").json().getString("nextCursor");
    assertProblem(api.get("/api/users/" + bob + "/posts?cursor=" + postsCursor), 400, "cursor belongs to another list");
    assertProblem(api.get("/api/users/" + alice + "/comments?cursor=" + postsCursor), 400,
        "cursor belongs to another list");
    assertProblem(api.get("/api/users/" + alice + "/posts?cursor=" + commentsCursor), 400,
        "cursor belongs to another list");
    int sig = postsCursor.indexOf('.') + 1; // the signature's first character: its top bits always count
    String forged = postsCursor.substring(0, sig) + (postsCursor.charAt(sig) == 'A' ? 'Q' : 'A')
        + postsCursor.substring(sig + 1);
    assertProblem(api.get("/api/users/" + alice + "/posts?cursor=" + forged), 400, "cursor is not valid");
  }
}
