package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Eventually;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.support.RawConnection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The named limits (README "Limits") on two clustered nodes: A runs every role, B only HTTP and the bridge,
 * so B's counts cross the bus to A's cache role. Small limits, long windows (one test has a short one), and
 * a Redis key prefix of this class's own: the rest of the suite counts lenient limits on 127.0.0.1 too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Writes, searches and typing are limited per user and per IP, across nodes")
class WriteLimitsTest {
  private static final String PASSWORD = Forum.PASSWORD;
  private static final String BOUNDARY = "limits-form";
  private static final int BACKLOG = 12;

  private TestNode a;
  private TestNode b;
  private Api apiA;
  private Api apiB;
  private Forum forum;
  private long board;
  private static final AtomicInteger ADDRESSES = new AtomicInteger();
  private MultiMap from;

  @BeforeAll
  void start() {
    Config config = limited(TestServices.config());
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge", "notification", "search");
    b = TestNode.clustered(config, "http", "bridge");
    apiA = new Api(a.port);
    apiB = new Api(b.port);
    forum = new Forum(apiA);
    board = forum.board("limits");
  }

  /**
   * Each test's requests come from an address of its own (X-Forwarded-For from the trusted 127.0.0.1), so
   * one test's writes do not count against another's per-IP limits.
   */
  @BeforeEach
  void address() {
    from = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "198.51.100." + ADDRESSES.incrementAndGet());
  }

  @AfterAll
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  /** Small counts: perUser 3, newAccount 2, and per IP as each test needs; windows of ten minutes. */
  static Config limited(Config base) {
    return base
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-limits:")
        .with(Setting.REALTIME_BACKLOG, BACKLOG)
        // Every test's client is 127.0.0.1; one that counts per IP says it is another address.
        .with(Setting.HTTP_TRUSTED_PROXIES, "127.0.0.1")
        .with(Setting.LIMITS_NEW_ACCOUNT_HOURS, 1)
        .with(Setting.LIMIT_POST_PER_USER, 3).with(Setting.LIMIT_POST_NEW_ACCOUNT, 2)
        .with(Setting.LIMIT_POST_PER_IP, 1000).with(Setting.LIMIT_POST_WINDOW, 600)
        .with(Setting.LIMIT_COMMENT_PER_USER, 3).with(Setting.LIMIT_COMMENT_NEW_ACCOUNT, 3)
        .with(Setting.LIMIT_COMMENT_PER_IP, 5).with(Setting.LIMIT_COMMENT_WINDOW, 600)
        .with(Setting.LIMIT_EDIT_PER_USER, 3).with(Setting.LIMIT_EDIT_NEW_ACCOUNT, 3)
        .with(Setting.LIMIT_EDIT_PER_IP, 1000).with(Setting.LIMIT_EDIT_WINDOW, 600)
        .with(Setting.LIMIT_LIKE_PER_USER, 6).with(Setting.LIMIT_LIKE_NEW_ACCOUNT, 6)
        .with(Setting.LIMIT_LIKE_PER_IP, 1000).with(Setting.LIMIT_LIKE_WINDOW, 600)
        .with(Setting.LIMIT_LIKE_TARGET_PER_USER, 2).with(Setting.LIMIT_LIKE_TARGET_WINDOW, 600)
        .with(Setting.LIMIT_UPLOAD_PER_USER, 2).with(Setting.LIMIT_UPLOAD_NEW_ACCOUNT, 2)
        .with(Setting.LIMIT_UPLOAD_PER_IP, 1000).with(Setting.LIMIT_UPLOAD_WINDOW, 600)
        .with(Setting.LIMIT_SEARCH_PER_USER, 3).with(Setting.LIMIT_SEARCH_NEW_ACCOUNT, 3)
        .with(Setting.LIMIT_SEARCH_PER_IP, 4).with(Setting.LIMIT_SEARCH_WINDOW, 600)
        .with(Setting.LIMIT_SUGGEST_PER_USER, 3).with(Setting.LIMIT_SUGGEST_NEW_ACCOUNT, 3)
        .with(Setting.LIMIT_SUGGEST_PER_IP, 4).with(Setting.LIMIT_SUGGEST_WINDOW, 600)
        .with(Setting.LIMIT_TYPING_PER_USER, 2).with(Setting.LIMIT_TYPING_NEW_ACCOUNT, 2)
        .with(Setting.LIMIT_TYPING_PER_IP, 1000).with(Setting.LIMIT_TYPING_WINDOW, 600)
        .with(Setting.LIMITS_MENTIONS_PER_TEXT, 3)
        .with(Setting.LIMITS_IMAGE_QUOTA_KIB, 1);
  }

  @Test
  @DisplayName("posts: an account older than limits.newAccountHours makes 3, through either node, then gets 429")
  void postsAcrossNodes() {
    String old = oldUser("poster");
    assertEquals(201, post(apiA, old).status());
    assertEquals(201, post(apiB, old).status());
    assertEquals(201, post(apiA, old).status());
    assertLimited(post(apiB, old), "post", 600, "at most 3 every 600 seconds for each user");
    assertLimited(post(apiA, old), "post", 600, "too many posts");
  }

  @Test
  @DisplayName("a new account is limited sooner than an old one: 2 posts, and the refusal says why")
  void newAccountsSooner() {
    String fresh = forum.user("newbie");
    assertEquals(201, post(apiA, fresh).status());
    assertEquals(201, post(apiB, fresh).status());
    assertLimited(post(apiA, fresh), "post", 600, "at most 2 every 600 seconds for an account younger than 1 hour");
  }

  @Test
  @DisplayName("comments: 3 per user, and 5 per IP whoever signs in; the two counts are separate")
  void commentsPerUserAndPerIp() {
    String author = oldUser("author");
    long post = post(apiA, author).json().getLong("id");
    String first = forum.user("commenter");
    String second = forum.user("commenter");
    for (int i = 0; i < 3; i++) {
      assertEquals(201, comment(i % 2 == 0 ? apiA : apiB, first, post).status());
    }
    assertLimited(comment(apiB, first, post), "comment", 600, "at most 3 every 600 seconds for each user");
    // The refused attempt counted on neither counter: the address has made 3 comments, the second user none.
    assertEquals(201, comment(apiA, second, post).status());
    assertEquals(201, comment(apiB, second, post).status());
    assertLimited(comment(apiA, second, post), "comment", 600, "at most 5 every 600 seconds from one address");
    from = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "203.0.113.7");
    assertEquals(201, comment(apiB, second, post).status(), "the same user from another address");
    assertEquals(3 + 2 + 1, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
  }

  @Test
  @DisplayName("edits of posts and comments share one count: the fourth edit gets 429 and changes nothing")
  void edits() {
    String editor = oldUser("editor");
    long post = post(apiA, editor).json().getLong("id");
    long comment = comment(apiA, editor, post).json().getLong("id");
    for (int i = 0; i < 2; i++) {
      assertEquals(200, send(apiB, HttpMethod.PATCH, "/api/posts/" + post, editor,
          new JsonObject().put("content", "edit " + i)).status());
    }
    assertEquals(200, send(apiA, HttpMethod.PATCH, "/api/comments/" + comment, editor,
        new JsonObject().put("content", "edited comment")).status());
    assertLimited(send(apiA, HttpMethod.PATCH, "/api/comments/" + comment, editor,
        new JsonObject().put("content", "one edit too many")), "edit", 600, "too many edits");
    assertLimited(send(apiB, HttpMethod.PATCH, "/api/posts/" + post, editor,
        new JsonObject().put("content", "one edit too many")), "edit", 600, "too many edits");
    assertEquals("edited comment", TestDb.text("SELECT content FROM comments WHERE id = ?", comment));
    assertEquals("edit 1", TestDb.text("SELECT content FROM posts WHERE id = ?", post));
  }

  @Test
  @DisplayName("like toggles: 2 per target and 6 in all per user, so one user cannot fill the post's catch-up backlog")
  void likeTogglesCannotFloodTheBacklog() {
    String author = oldUser("liked");
    String other = oldUser("liked");
    long post = post(apiA, author).json().getLong("id");
    long[] comments = new long[4];
    for (int i = 0; i < comments.length; i++) {
      comments[i] = comment(apiA, i < 2 ? author : other, post).json().getLong("id");
    }
    String flooder = oldUser("toggler");
    List<Api.Response> onPost = toggles(flooder, "/api/posts/" + post + "/like", 20);
    assertEquals(2, accepted(onPost), "like, unlike, then the target's limit");
    assertLimited(onPost.get(19), "likeTarget", 600, "at most 2 every 600 seconds");
    List<Api.Response> onComments = new ArrayList<>();
    for (long comment : comments) {
      onComments.addAll(toggles(flooder, "/api/comments/" + comment + "/like", 5));
    }
    assertEquals(4, accepted(onComments), "6 toggles in all: 2 on the post, then 2 on each of two comments");
    assertLimited(onComments.get(onComments.size() - 1), "like", 600, "too many likes and unlikes");

    // 4 comments and 6 like changes: within the backlog, so anyone still catches up from the start.
    // (Events are numbered once their writes have answered: read when the last has its number.)
    JsonObject catchUp = apiB.awaitSeq("/api/realtime/post." + post + "?after=0", 4 + 6);
    assertEquals(4 + 6, catchUp.getJsonArray("events").size(), catchUp.encode());
    assertTrue(4 + 6 < BACKLOG);
    Api.Response again = apiA.get("/api/realtime/post." + post + "?after=0");
    assertEquals(200, again.status(), "not 410: " + again);
  }

  @Test
  @DisplayName("uploads: the third image of a user gets 429, from its headers, before its body is asked for")
  void uploads() {
    String uploader = oldUser("uploader");
    long post = post(apiA, uploader).json().getLong("id");
    assertEquals(201, upload(apiA, uploader, post, png(1)).status());
    assertEquals(201, upload(apiB, uploader, post, png(1)).status());
    assertLimited(upload(apiA, uploader, post, png(1)), "upload", 600, "too many image uploads");
    // As curl sends a file: the head alone, waiting for 100 Continue. The refusal comes instead.
    try (RawConnection c = RawConnection.open(b.port)) {
      c.send("POST /api/posts/" + post + "/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + uploader
          + "\r\nX-Forwarded-For: " + from.get("X-Forwarded-For") + "\r\nExpect: 100-continue\r\n"
          + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: 5000000\r\n\r\n");
      Api.Response refused = c.response(20);
      assertLimited(refused, "upload", 600, "too many image uploads");
      assertEquals("close", refused.headers().get("Connection"), refused.toString());
      assertTrue(c.closedWithin(20), "the connection is closed, the body never read");
    }
    assertEquals(2, TestDb.count("SELECT COUNT(*) FROM images WHERE post_id = ?", post));
  }

  @Test
  @DisplayName("the image quota (1 KiB here) refuses the image that would pass it before anything is stored")
  void imageQuota() {
    String uploader = oldUser("quota");
    long first = postId(uploader);
    long second = postId(uploader);
    Api.Response stored = upload(apiA, uploader, first, png(16));
    assertEquals(201, stored.status(), stored.toString());
    long size = stored.json().getLong("size");
    assertTrue(size > 512 && size <= 1024, "a noisy 16x16 PNG takes more than half the quota: " + size);
    Api.Response over = upload(apiB, uploader, second, png(16));
    assertProblem(over, 409, "over the image storage quota");
    assertTrue(over.json().getString("detail").contains("take " + size + " of 1024 bytes"), over.toString());
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM images WHERE post_id = ?", second), "no row, no bytes stored");
  }

  @Test
  @DisplayName("two uploads at once to two posts of one user cannot pass the quota together")
  void imageQuotaUnderConcurrency() {
    String uploader = oldUser("racer");
    long first = postId(uploader);
    long second = postId(uploader);
    List<Api.Response> answers = Future.all(uploadAsync(apiA, uploader, first, png(16)),
        uploadAsync(apiB, uploader, second, png(16))).await().list();
    assertEquals(List.of(201, 409), answers.stream().map(Api.Response::status).sorted().toList(), answers.toString());
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM images WHERE post_id IN (?, ?)", first, second));
  }

  @Test
  @DisplayName("searches: guests 4 per IP; a signed-in user 3 per user, not counted by IP")
  void searchesPerIpForGuestsPerUserForUsers() {
    String reader = forum.user("reader");
    for (int i = 0; i < 4; i++) {
      assertEquals(200, send(i % 2 == 0 ? apiA : apiB, HttpMethod.GET, "/api/search?q=hello", null, null).status());
    }
    assertLimited(send(apiA, HttpMethod.GET, "/api/search?q=hello", null, null), "search", 600, "from one address");
    Api.Response page = send(apiB, HttpMethod.GET, "/search?q=hello", null, null);
    assertEquals(429, page.status(), "the search page is a guest's search too");
    assertTrue(page.contentType().startsWith("text/html"), page.contentType());
    assertTrue(Integer.parseInt(page.headers().get("Retry-After")) > 0);

    // The address is over its guests' limit; a signed-in user has a count of their own.
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send(i % 2 == 0 ? apiB : apiA, HttpMethod.GET, "/api/search?q=hello", reader, null).status());
    }
    assertLimited(send(apiA, HttpMethod.GET, "/api/search?q=hello", reader, null), "search", 600, "for each user");
  }

  @Test
  @DisplayName("title suggestions: guests 4 per IP; a signed-in user 3 per user, counted apart from searches")
  void suggestionsPerIpForGuestsPerUserForUsers() {
    // The search node serves suggestions once its index is built: asked meanwhile from addresses of their own.
    AtomicInteger probe = new AtomicInteger();
    Eventually.eventually("the search node serves suggestions", () -> apiA.send(HttpMethod.GET,
        "/api/search/suggest?q=he", null, MultiMap.caseInsensitiveMultiMap()
            .add("X-Forwarded-For", "203.0.113." + (probe.incrementAndGet() % 250)), null).status() == 200);
    String reader = forum.user("suggester");
    assertEquals(200, send(apiA, HttpMethod.GET, "/api/search?q=hello", null, null).status(),
        "a search counts on the search limit only");
    for (int i = 0; i < 4; i++) {
      assertEquals(200, send(i % 2 == 0 ? apiA : apiB, HttpMethod.GET, "/api/search/suggest?q=he", null, null).status());
    }
    assertLimited(send(apiB, HttpMethod.GET, "/api/search/suggest?q=hel", null, null), "suggest", 600,
        "from one address");
    for (int i = 0; i < 3; i++) {
      assertEquals(200, send(i % 2 == 0 ? apiB : apiA, HttpMethod.GET, "/api/search/suggest?q=he", reader, null).status());
    }
    assertLimited(send(apiA, HttpMethod.GET, "/api/search/suggest?q=he", reader, null), "suggest", 600,
        "for each user");
  }

  @Test
  @DisplayName("typing: 2 signals per user over every socket and bridge node, then typing_too_fast")
  void typingAcrossSockets() {
    String typist = oldUser("typist");
    long x = postId(typist);
    long y = postId(typist);
    try (BridgeClient watcher = BridgeClient.connect(a.bridgePort);
         BridgeClient onA = BridgeClient.connect(a.bridgePort);
         BridgeClient onB = BridgeClient.connect(b.bridgePort)) {
      watcher.subscribe("post." + x, null);
      onA.send("post." + x + ".typing", typist, new JsonObject());
      watcher.event("post." + x, "typing");
      onB.send("post." + x + ".typing", typist, new JsonObject());
      watcher.event("post." + x, "typing");
      // Another post: each socket's own interval would let it through.
      onA.send("post." + y + ".typing", typist, new JsonObject());
      JsonObject refused = onA.error();
      assertEquals("typing_too_fast", refused.getString("body"), refused.encode());
      assertTrue(refused.getString("message").contains("too many typing signals: at most 2 every 600 seconds"),
          refused.encode());
    }
  }

  @Test
  @DisplayName("more than limits.mentionsPerText distinct @names in a post or comment is 422; names differing in case are one")
  void mentionsPerText() {
    String writer = oldUser("mentioner");
    Api.Response tooMany = send(apiA, HttpMethod.POST, "/api/posts", writer, new JsonObject().put("boardId", board)
        .put("title", "Hi @dora").put("content", "@anna @bert @carl"));
    assertProblem(tooMany, 422, "at most 3 distinct @names");
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM posts WHERE title = 'Hi @dora'"));
    Api.Response three = send(apiA, HttpMethod.POST, "/api/posts", writer, new JsonObject().put("boardId", board)
        .put("title", "Hi @Anna").put("content", "@anna @ANNA @bert @carl"));
    assertEquals(201, three.status(), three.toString());
    long post = three.json().getLong("id");
    assertProblem(send(apiB, HttpMethod.PATCH, "/api/posts/" + post, writer, new JsonObject().put("title", "Hi @dora")),
        422, "post mentions more than 3");
    assertEquals("Hi @Anna", TestDb.text("SELECT title FROM posts WHERE id = ?", post));

    Api.Response comment = send(apiA, HttpMethod.POST, "/api/posts/" + post + "/comments", writer,
        new JsonObject().put("content", "@anna @bert @carl"));
    assertEquals(201, comment.status(), comment.toString());
    long id = comment.json().getLong("id");
    assertProblem(send(apiB, HttpMethod.PATCH, "/api/comments/" + id, writer,
        new JsonObject().put("content", "@anna @bert @carl @dora")), 422, "comment mentions more than 3");
    assertProblem(send(apiA, HttpMethod.POST, "/api/posts/" + post + "/comments", writer,
        new JsonObject().put("content", "@anna @bert @carl @dora")), 422, "at most 3");
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post));
  }

  @Test
  @DisplayName("a limit resets when its window ends: Retry-After says when")
  void windowEnds() throws Exception {
    try (TestNode shortWindows = TestNode.clustered(limited(TestServices.config())
        .with(Setting.LIMIT_POST_PER_USER, 1).with(Setting.LIMIT_POST_NEW_ACCOUNT, 1)
        .with(Setting.LIMIT_POST_WINDOW, 2), "http")) {
      Api api = new Api(shortWindows.port);
      String user = forum.user("patient");
      assertEquals(201, post(api, user).status());
      Api.Response refused = post(api, user);
      assertLimited(refused, "post", 2, "at most 1 every 2 seconds");
      Thread.sleep(Integer.parseInt(refused.headers().get("Retry-After")) * 1000L);
      assertEquals(201, post(api, user).status(), "a new window");
    }
  }

  // --- helpers ---

  /** A 429 problem naming {@code action}, with a Retry-After within its window and the same in the body. */
  private static void assertLimited(Api.Response r, String action, int window, String detailPart) {
    assertProblem(r, 429, detailPart);
    long retry = Long.parseLong(r.headers().get("Retry-After"));
    assertTrue(retry >= 1 && retry <= window, "Retry-After within the window: " + retry);
    assertEquals(action, r.json().getString("action"), r.toString());
    assertEquals(retry, r.json().getLong("retryAfter"), r.toString());
    assertTrue(r.json().getString("detail").contains("try again in " + retry + " seconds"), r.toString());
  }

  /** A user whose account is two days old, signed in after it aged (the token says when it was made). */
  private String oldUser(String base) {
    Forum.Member member = forum.member(base);
    TestDb.update("UPDATE users SET created_at = created_at - INTERVAL 2 DAY WHERE id = ?", member.id());
    return forum.login(member.name()).token();
  }

  private long postId(String token) {
    return post(apiA, token).json().getLong("id");
  }

  private Api.Response post(Api api, String token) {
    return send(api, HttpMethod.POST, "/api/posts", token, new JsonObject().put("boardId", board)
        .put("title", "Limited").put("content", "a post"));
  }

  private Api.Response comment(Api api, String token, long post) {
    return send(api, HttpMethod.POST, "/api/posts/" + post + "/comments", token,
        new JsonObject().put("content", "a comment"));
  }

  /** A request from this test's address. */
  private Api.Response send(Api api, HttpMethod method, String path, String token, JsonObject body) {
    return api.send(method, path, token, from, body == null ? null : body.toBuffer());
  }

  /** {@code times} likes and unlikes in turn, through either node. */
  private List<Api.Response> toggles(String token, String path, int times) {
    List<Api.Response> answers = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      answers.add(send(i % 2 == 0 ? apiA : apiB, i % 2 == 0 ? HttpMethod.PUT : HttpMethod.DELETE, path, token, null));
    }
    return answers;
  }

  private static long accepted(List<Api.Response> answers) {
    return answers.stream().filter(r -> r.status() == 200).count();
  }

  private Api.Response upload(Api api, String token, long post, byte[] png) {
    return uploadAsync(api, token, post, png).await();
  }

  private Future<Api.Response> uploadAsync(Api api, String token, long post, byte[] png) {
    Buffer form = Buffer.buffer().appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\";"
            + " filename=\"x.png\"\r\nContent-Type: image/png\r\n\r\n")
        .appendBytes(png).appendString("\r\n--" + BOUNDARY + "--\r\n");
    return api.sendAsync(HttpMethod.POST, "/api/posts/" + post + "/images", token, MultiMap.caseInsensitiveMultiMap()
        .addAll(from).add("Content-Type", "multipart/form-data; boundary=" + BOUNDARY), form);
  }

  /** A square PNG of random pixels (so it compresses badly: a 16x16 one takes most of a KiB). */
  private static byte[] png(int side) {
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(side);
    for (int x = 0; x < side; x++) {
      for (int y = 0; y < side; y++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }
}
