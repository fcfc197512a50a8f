package dev.liveforum;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.config.Setting;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.Pages.ids;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search from the search role's index, on a cluster: node A runs every role but search, B runs HTTP and
 * search, and a third search node joins near the end. Searches are made within this test's boards, so
 * other tests' posts in the same database do not count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Searching from the search role's index, in Korean and in English")
class SearchIndexTest {
  private static final List<String> ALL_BUT_SEARCH = List.of("http", "persistence", "cache", "bridge", "notification",
      "stats");

  private TestNode a;
  private TestNode b;
  private TestNode c;
  private Api api;
  private Forum forum;
  private String admin;
  private String writer;
  private long writerId;
  private String other;
  private long otherId;
  private long board;
  private long secondBoard;
  private long korean;
  private long english;
  private long mixed;
  private long markup;
  private long elsewhere;
  private long comment;
  /** The answers to the issue's words before any search node ran. */
  private final Map<String, Api.Response> beforeIndex = new java.util.HashMap<>();

  @BeforeAll
  void start() {
    a = TestNode.clustered(ALL_BUT_SEARCH.toArray(String[]::new));
    api = new Api(a.port);
    forum = new Forum(api);
    admin = forum.adminToken();
    board = forum.board("검색 ");
    secondBoard = forum.board("Other ");
    Forum.Member w = forum.member("writer");
    writer = w.token();
    writerId = w.id();
    Forum.Member o = forum.member("other");
    other = o.token();
    otherId = o.id();
    korean = forum.postId(writer, board, "실시간 댓글 알림 기능 후기",
        "웹소켓으로 연결하니 정말 편하네요. 게시판검색기능도 좋아요.");
    english = forum.postId(other, board, "Live comments over websockets",
        "Comments arrive instantly over websockets. We tested it and it worked; testing continues.");
    mixed = forum.postId(other, board, "Vert.x 웹소켓 후기",
        "The bridge pushes 댓글 to browsers, and 알림이 바로 와요.");
    markup = forum.postId(writer, board, "<script>alert(1)</script> 마크업",
        "Use <b>bold</b> & 'quotes' in 마크업 posts.");
    elsewhere = forum.postId(writer, secondBoard, "여행 후기 모음", "다른 게시판의 글입니다.");
    comment = forum.commentId(writer, english, null,
        "This explained the subscriptions for me. 구독모델을 이제 이해했어요.");
    for (String word : List.of("댓글", "웹소켓", "comment")) {
      beforeIndex.put(word, search(word));
    }
    b = TestNode.clustered("http", "search");
    eventually("the search node has built its index and answers",
        () -> "index".equals(search("댓글").json().getString("engine")) && ids(search("구독")).contains(english));
  }

  @AfterAll
  void stop() {
    for (TestNode n : new TestNode[] {c, b, a}) {
      if (n != null) {
        n.close();
      }
    }
  }

  private Api.Response search(String words) {
    return search(words, "");
  }

  private Api.Response search(String words, String more) {
    return api.get("/api/search?q=" + URLEncoder.encode(words, StandardCharsets.UTF_8) + "&boardId=" + board + more);
  }

  private Set<Long> found(String words) {
    Api.Response r = search(words);
    assertEquals(200, r.status(), words + ": " + r);
    assertEquals("index", r.json().getString("engine"), r.toString());
    return new HashSet<>(ids(r));
  }

  @Test
  @Order(1)
  @DisplayName("with no search node yet, FULLTEXT answers, and misses what the issue says it misses")
  void fallsBackWithoutIndex() {
    for (Api.Response r : beforeIndex.values()) {
      assertEquals(200, r.status(), r.toString());
      assertEquals("fulltext", r.json().getString("engine"), r.toString());
    }
    assertEquals(List.of(), ids(beforeIndex.get("댓글")), "two syllables are below InnoDB's token size");
    assertEquals(List.of(), ids(beforeIndex.get("comment")), "no stemming");
  }

  @Test
  @Order(2)
  @DisplayName("the issue's table: every word finds its post")
  void issueTable() {
    for (String word : List.of("댓글", "알림", "후기", "웹소켓", "실시간", "편하네요")) {
      assertTrue(found(word).contains(korean), word + " finds the Korean post: " + search(word));
    }
    for (String word : List.of("comment", "websocket", "comments")) {
      assertTrue(found(word).contains(english), word + " finds the English post: " + search(word));
    }
  }

  @Test
  @Order(3)
  @DisplayName("Korean: a word with its particle, and the parts of a compound, find the post")
  void koreanParticlesAndCompounds() {
    assertTrue(found("댓글이").contains(korean), "댓글 + 이");
    assertTrue(found("웹소켓으로").contains(korean));
    assertTrue(found("게시판").contains(korean), "a part of 게시판검색기능");
    assertTrue(found("검색").contains(korean), "another part of 게시판검색기능");
    assertTrue(found("후기를").contains(korean));
    assertFalse(found("여행").contains(korean));
  }

  @Test
  @Order(4)
  @DisplayName("English: plurals and verb forms find each other; a stopword alone finds nothing")
  void englishForms() {
    assertTrue(found("test").contains(english), "tested, testing");
    assertTrue(found("arrived").contains(english), "arrive");
    assertTrue(found("browser").contains(mixed), "browsers");
    assertTrue(found("pushing").contains(mixed), "pushes");
    assertEquals(Set.of(), found("the"));
  }

  @Test
  @Order(5)
  @DisplayName("mixed text: its Korean and its English words are both found")
  void mixedText() {
    assertTrue(found("bridge").contains(mixed));
    assertTrue(found("알림").contains(mixed), "알림이");
    assertTrue(found("vert.x").contains(mixed));
    assertEquals(Set.of(korean, mixed), found("웹소켓 후기").stream().filter(id -> id == korean || id == mixed)
        .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  @Order(6)
  @DisplayName("a comment is found, named with its post; its matched words are marked")
  void commentHit() {
    Api.Response r = search("subscription");
    JsonObject hit = r.json().getJsonArray("items").getJsonObject(0);
    assertEquals(english, hit.getLong("id"), r.toString());
    assertEquals(comment, hit.getJsonObject("comment").getLong("id"));
    assertEquals(writerId, hit.getJsonObject("comment").getJsonObject("author").getLong("id"));
    assertEquals("Live comments over websockets", hit.getString("title"));
    assertTrue(hit.getJsonObject("highlight").getString("text").contains("<mark>subscriptions</mark>"), hit.encode());
    assertTrue(found("구독").contains(english), "구독모델을");
  }

  @Test
  @Order(7)
  @DisplayName("highlights are escaped HTML with the matched words in <mark>")
  void highlightsEscape() {
    JsonObject hit = search("마크업").json().getJsonArray("items").getJsonObject(0);
    assertEquals(markup, hit.getLong("id"));
    JsonObject marks = hit.getJsonObject("highlight");
    assertEquals("&lt;script&gt;alert(1)&lt;/script&gt; <mark>마크업</mark>", marks.getString("title"));
    assertEquals("Use &lt;b&gt;bold&lt;/b&gt; &amp; &#39;quotes&#39; in <mark>마크업</mark> posts.", marks.getString("text"));
    JsonObject en = search("comments").json().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(i -> i.getLong("id") == english && i.getJsonObject("comment") == null).findFirst().orElseThrow();
    assertEquals("Live <mark>comments</mark> over websockets", en.getJsonObject("highlight").getString("title"));
  }

  @Test
  @Order(8)
  @DisplayName("filters: board, author, and days (UTC) from and to")
  void filters() {
    assertEquals(Set.of(korean, mixed), found("후기"));
    assertEquals(Set.of(korean), new HashSet<>(ids(search("후기", "&authorId=" + writerId))));
    assertEquals(Set.of(mixed), new HashSet<>(ids(search("후기", "&authorId=" + otherId))));
    assertEquals(List.of(elsewhere), ids(api.get("/api/search?q=" + URLEncoder.encode("후기", StandardCharsets.UTF_8)
        + "&boardId=" + secondBoard)));
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    assertEquals(Set.of(korean, mixed), new HashSet<>(ids(search("후기", "&from=" + today + "&to=" + today))));
    assertEquals(List.of(), ids(search("후기", "&from=" + today.plusDays(1))));
    assertEquals(List.of(), ids(search("후기", "&to=" + today.minusDays(1))));
    assertProblem(search("후기", "&from=yesterday"), 400, "from");
  }

  @Test
  @Order(9)
  @DisplayName("a quoted phrase must match in order; equal matches come newest first, paged without repeats")
  void phrasesAndPages() {
    assertEquals(Set.of(english), found("\"comments over websockets\""));
    assertEquals(Set.of(), found("\"websockets over comments\""));
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(forum.postId(writer, board, "페이지 넘김 " + i, "같은 내용의 반복 문장"));
    }
    eventually("the five posts are found", () -> found("반복").size() == 5);
    List<Long> order = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    Api.Response page = search("반복", "&limit=2");
    while (true) {
      sizes.add(ids(page).size());
      order.addAll(ids(page));
      if (sizes.size() == 1) {
        forum.postId(writer, board, "반복 반복 반복", "반복 반복"); // after the first page: not in this search
      }
      String next = page.json().getString("nextCursor");
      if (next == null) {
        break;
      }
      page = search("반복", "&limit=2&cursor=" + next);
      assertEquals(200, page.status(), page.toString());
    }
    assertEquals(List.of(2, 2, 1), sizes, "pages " + order + " of " + created);
    assertEquals(dev.liveforum.support.Pages.newestFirst(created), order, "equal scores: newest first");
    String first = search("반복", "&limit=2").json().getString("nextCursor");
    assertProblem(search("페이지", "&limit=2&cursor=" + first), 400, "cursor belongs to another search");
    assertProblem(search("반복", "&limit=2&authorId=" + writerId + "&cursor=" + first), 400, "another search");
  }

  @Test
  @Order(10)
  @DisplayName("any query text is safe: operators and syntax are plain text, never a 500; too long is a 400")
  void hostileQueries() {
    for (String q : List.of("\"", "\"\"", "댓글\"", "\"댓글", "\"댓글 알림", "AND", "댓글 AND 알림", "OR NOT 댓글", "*", "댓글*",
        "?댓글", "댓글~", "댓글^9", "title:댓글", "(댓글", "댓글)", "[댓글 TO 후기]", "{x}", "\\", "/댓글/", "+-!&&||",
        "\u0000댓글", "😀 댓글", "'; DROP TABLE posts; --", "a".repeat(200), "댓 ".repeat(60))) {
      Api.Response r = search(q);
      assertTrue(r.status() == 200 || r.status() == 400, q + ": " + r);
      assertNotNull(r.json(), q);
    }
    assertTrue(found("title:댓글").contains(korean));
    assertTrue(found("(댓글)").contains(korean));
    assertTrue(found("댓글*").contains(korean));
    assertEquals(Set.of(), found("AND OR NOT"));
    assertProblem(search("x".repeat(201)), 400, "q");
    Api.Response huge = search("x".repeat(10_000));
    assertTrue(huge.status() == 400 || huge.status() == 414, "refused before anything reads it: " + huge);
    assertProblem(search("\"*()~"), 400, "q must contain a word");
  }

  @Test
  @Order(8)
  @DisplayName("the search page shows the marked fragments, and a comment hit links to its comment on the post")
  void searchPage() {
    Api.Response r = api.get("/search?q=" + URLEncoder.encode("subscription 마크업", StandardCharsets.UTF_8));
    assertEquals(200, r.status(), r.toString());
    org.jsoup.nodes.Document doc = org.jsoup.Jsoup.parse(r.text());
    org.jsoup.nodes.Element link = doc.selectFirst("li[data-comment-id=" + comment + "] a.comment-hit");
    assertNotNull(link, r.text());
    assertTrue(link.attr("href").matches("/posts/" + english + "(/[^#]*)?#comment-" + comment), link.attr("href"));
    org.jsoup.nodes.Element hit = doc.selectFirst("li[data-post-id=" + markup + "]");
    assertNotNull(hit, r.text());
    assertEquals("마크업", hit.selectFirst("h3 mark").text());
    assertEquals("<script>alert(1)</script> 마크업", hit.selectFirst("h3").text(), "the title's markup shows as text");
    assertTrue(doc.select("script").stream().noneMatch(e -> e.data().contains("alert(1)")));
    assertTrue(hit.selectFirst(".excerpt").text().contains("<b>bold</b> & 'quotes'"));
    assertNull(hit.selectFirst(".excerpt b"), "no markup from a post gets through");
  }

  @Test
  @Order(11)
  @DisplayName("title suggestions: every word, the last as a beginning, newest first")
  void suggestions() {
    assertEquals(List.of(korean), suggest("실시"));
    assertEquals(List.of(korean), suggest("실시간 댓"));
    assertEquals(List.of(english), suggest("live COMM"));
    assertEquals(List.of(), suggest("zzzz"));
    assertProblem(api.get("/api/search/suggest?q=" + "a".repeat(101)), 400, "q");
  }

  private List<Long> suggest(String typed) {
    Api.Response r = api.get("/api/search/suggest?q=" + URLEncoder.encode(typed, StandardCharsets.UTF_8)
        + "&boardId=" + board);
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonArray("items").stream().map(o -> ((JsonObject) o).getLong("id")).toList();
  }

  @Test
  @Order(20)
  @DisplayName("a new search node builds its index from the database and then answers as the first")
  void newNodeRebuilds() {
    c = TestNode.clustered("search");
    List<String> words = List.of("댓글", "웹소켓", "comment", "subscription", "후기", "마크업", "반복");
    eventually("the new node answers as the first", () -> words.stream()
        .allMatch(w -> hits(c, w) != null && hits(c, w).equals(hits(b, w))));
    for (String w : words) {
      assertFalse(hits(c, w).isEmpty(), w);
    }
  }

  @Test
  @Order(21)
  @DisplayName("an edit changes what is found and a delete removes it, on both search nodes")
  void editsAndDeletesOnBothNodes() {
    long post = forum.postId(writer, board, "해바라기 정원", "본문은 첫판입니다");
    long note = forum.commentId(other, post, null, "사과나무 메모입니다");
    onBoth("the new post and comment are found", () -> List.of("해바라기", "사과나무"),
        hits -> hits.get(0).contains("p" + post) && hits.get(1).contains("c" + note));
    assertEquals(200, api.send(HttpMethod.PATCH, "/api/posts/" + post, writer,
        new JsonObject().put("title", "코스모스 정원")).status());
    assertEquals(200, api.send(HttpMethod.PATCH, "/api/comments/" + note, other,
        new JsonObject().put("content", "포도나무 메모입니다")).status());
    onBoth("the edits are found, the old words not", () -> List.of("해바라기", "코스모스", "사과나무", "포도나무"),
        hits -> hits.get(0).isEmpty() && hits.get(1).contains("p" + post) && hits.get(2).isEmpty()
            && hits.get(3).contains("c" + note));
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + note, other, null).status());
    onBoth("the deleted comment is gone", () -> List.of("포도나무", "코스모스"),
        hits -> hits.get(0).isEmpty() && hits.get(1).contains("p" + post));
    long second = forum.commentId(other, post, null, "은행나무 메모");
    onBoth("the new comment is found", () -> List.of("은행나무"), hits -> hits.get(0).contains("c" + second));
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + post, writer, null).status());
    onBoth("the deleted post and its comments are gone", () -> List.of("코스모스", "은행나무", "본문"),
        hits -> hits.stream().allMatch(List::isEmpty));
  }

  @Test
  @Order(22)
  @DisplayName("an admin's rebuild makes a new index on every search node while search goes on")
  void rebuildOnCommand() throws IOException {
    Set<String> before = generations(b);
    assertProblem(api.send(HttpMethod.POST, "/api/admin/search/rebuild", writer, null), 403, "admins");
    Api.Response r = api.send(HttpMethod.POST, "/api/admin/search/rebuild", admin, null);
    assertEquals(202, r.status(), r.toString());
    List<String> words = List.of("댓글", "comment", "subscription");
    for (int i = 0; i < 20; i++) {
      assertTrue(found("댓글").contains(korean), "search goes on during the rebuild");
    }
    eventually("the first search node has a new index", () -> !before.containsAll(generations(b)));
    for (String w : words) {
      assertEquals(hits(b, w), hits(c, w), w);
      assertFalse(hits(b, w).isEmpty(), w);
    }
  }

  @Test
  @Order(23)
  @DisplayName("a search node started again on its directory opens its index and catches up on what it missed")
  void restartCatchesUp() {
    String dir = c.config.searchDir();
    c.close();
    long missed = forum.postId(writer, board, "무궁화 정원", "꺼져 있는 동안 쓴 글");
    eventually("the running search node finds the post", () -> hits(b, "무궁화") != null
        && hits(b, "무궁화").contains("p" + missed));
    c = TestNode.start(TestNode.clusterMember(TestServices.config().with(Setting.SEARCH_DIR, dir), "search"));
    assertEquals(dir, c.config.searchDir());
    eventually("the restarted node finds the post written while it was down", () -> hits(c, "무궁화") != null
        && hits(c, "무궁화").contains("p" + missed));
    for (String w : List.of("댓글", "comment", "subscription")) {
      assertEquals(hits(b, w), hits(c, w), w);
    }
  }

  private static Set<String> generations(TestNode node) {
    try (Stream<Path> dirs = Files.list(Path.of(node.config.searchDir()))) {
      return dirs.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Waits until {@code check} holds for the hits of each of {@code words}, on both search nodes. */
  private void onBoth(String what, java.util.function.Supplier<List<String>> words,
                      java.util.function.Predicate<List<List<String>>> check) {
    eventually(what + " on both search nodes", () -> Stream.of(b, c)
        .allMatch(n -> {
          List<List<String>> hits = words.get().stream().map(w -> hits(n, w)).toList();
          return !hits.contains(null) && check.test(hits);
        }));
  }

  /** The hits of a search within the test's board on one node's index, as "p<post id>" or "c<comment id>"; null when it does not answer. */
  private List<String> hits(TestNode node, String words) {
    String nodeId = ((VertxInternal) node.node.vertx()).clusterManager().getNodeId();
    try {
      JsonObject page = Bus.request(a.node.vertx(), Address.searchQueryOn(nodeId),
          new JsonObject().put("q", words).put("boardId", board).put("limit", 50), null, 5000).await();
      List<String> hits = new ArrayList<>();
      for (Object o : page.getJsonArray("items", new JsonArray())) {
        JsonObject item = (JsonObject) o;
        JsonObject c = item.getJsonObject("comment");
        hits.add(c == null ? "p" + item.getLong("id") : "c" + c.getLong("id"));
      }
      return hits;
    } catch (Exception e) {
      return null;
    }
  }
}
