package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page as a guest without JavaScript reads it: the HTML the server sends holds the content, the
 * paging links lead on, hostile text stays text, errors are pages, and the headers keep scripts to the
 * site's own files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Pages for a guest without JavaScript")
class PagesTest {
  /** The API's default page size, which the lists use. */
  private static final int PAGE = 20;
  private static final List<String> HOSTILE = List.of("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
      "[x](javascript:alert(1))", "\"><svg onload=alert(1)>");
  private static final String SEARCH_WORD = "zanzibarite";
  private static final String KOREAN_TITLE = "서울의 봄 날씨 이야기";

  private TestNode node;
  private Api api;
  private String site;
  private Forum forum;

  private String writerName;
  private long writerId;
  private long board;
  private String boardName;
  private long post;
  private String postTitle;
  private long rootComment;
  private long reply;
  private long otherRoot;

  private long pagingBoard;
  private long prolificId;
  private final List<Long> pagingPosts = new ArrayList<>();
  private long longThread;
  private final List<Long> longThreadRoots = new ArrayList<>();

  private long hostileBoard;
  private String hostileBoardName;
  private long hostilePost;
  private long hostileComment;
  private long koreanPost;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    site = "http://127.0.0.1:" + node.port;
    forum = new Forum(api);

    // Paging first: the lists show newest first, so what the other tests look for comes after it.
    pagingBoard = forum.board("Paging ");
    Forum.Member prolific = forum.member("prolific");
    prolificId = prolific.id();
    for (int i = 1; i <= PAGE + 3; i++) {
      pagingPosts.add(forum.post(prolific.token(), pagingBoard, "Paged post number " + i,
          "Body of paged post " + i).getLong("id"));
    }
    longThread = forum.post(prolific.token(), pagingBoard, "A long thread", "Many comments.")
        .getLong("id");
    for (int i = 1; i <= 52; i++) {
      longThreadRoots.add(forum.commentId(prolific.token(), longThread, null, "Root comment number " + i));
    }

    Forum.Member writer = forum.member("writer");
    String writerToken = writer.token();
    writerName = writer.name();
    writerId = writer.id();

    hostileBoardName = String.join(" ", HOSTILE.subList(0, 2)) + " " + unique("b").substring(0, 8);
    hostileBoard = board(hostileBoardName, String.join(" ", HOSTILE));
    hostilePost = forum.post(writerToken, hostileBoard, HOSTILE.get(0) + HOSTILE.get(3),
        String.join("\n\n", HOSTILE) + "\n\n<a href=\"javascript:alert(2)\" onclick=\"alert(3)\">raw link</a>")
        .getLong("id");
    hostileComment = forum.commentId(writerToken, hostilePost, null, String.join("\n\n", HOSTILE));

    koreanPost = forum.post(writerToken, pagingBoard, KOREAN_TITLE, "오늘은 **맑음** 입니다. 산책하기 좋은 날.")
        .getLong("id");

    boardName = unique("Gardening ");
    board = board(boardName, "Growing things in small spaces.");
    postTitle = "Balcony tomatoes " + SEARCH_WORD;
    post = forum.post(writerToken, board, postTitle,
        "Use **bold** compost and *water* daily.\n\nA second paragraph about trellises.").getLong("id");
    rootComment = forum.commentId(writerToken, post, null, "First root comment about seedlings");
    reply = forum.commentId(forum.user("replier"), post, rootComment, "A reply to the first, **nested**");
    otherRoot = forum.commentId(writerToken, post, null, "Second root comment about pots");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("the home page holds the latest posts' titles, excerpts, authors and boards, and the page's meta tags")
  void home() {
    Document doc = page("/");
    Element item = item(doc, post);
    assertEquals(postTitle, item.selectFirst(".post-title a").text());
    assertTrue(item.selectFirst(".excerpt").text().contains("compost and"), item.outerHtml());
    assertEquals(writerName, item.selectFirst("a[href=/users/" + writerId + "]").text());
    assertEquals(boardName, item.selectFirst("a.board-tag").text());
    assertEquals("3 comments", item.select(".counts span").get(1).text());
    assertTrue(doc.select("aside.boards a").eachText().contains(boardName), "the boards column names every board");
    assertHead(doc, "LiveForum", "Boards and the latest posts of this forum.", site + "/?sort=latest");
  }

  @Test
  @DisplayName("a board page names the board and holds its posts, with the board as title and description")
  void board() {
    Document doc = page("/boards/" + board);
    assertEquals(boardName, doc.selectFirst("h1").text());
    assertEquals("Growing things in small spaces.", doc.selectFirst(".lead").text());
    assertEquals(postTitle, item(doc, post).selectFirst(".post-title a").text());
    assertEquals(1, doc.select(".post-list > li.post-item").size());
    assertHead(doc, boardName, "Growing things in small spaces.", site + "/boards/" + board + "?sort=latest");
    assertEquals(boardName + " · LiveForum", doc.title());
  }

  @Test
  @DisplayName("a post page holds the rendered Markdown, the threaded comments with a reply inside its parent, and the counts")
  void post() {
    String path = "/posts/" + post + "/balcony-tomatoes-" + SEARCH_WORD;
    Document doc = page(path);
    assertEquals(postTitle, doc.selectFirst("h1").text());
    assertEquals("bold", doc.selectFirst("[data-post-content] strong").text());
    assertEquals("water", doc.selectFirst("[data-post-content] em").text());
    assertEquals(2, doc.select("[data-post-content] p").size());
    assertEquals(writerName, doc.selectFirst("article.post .meta a[href=/users/" + writerId + "]").text());
    assertEquals(boardName, doc.selectFirst(".crumbs a[href=/boards/" + board + "]").text());
    assertEquals("3", doc.selectFirst("[data-comment-count]").text());
    assertEquals("0", doc.selectFirst("[data-like-count]").text());

    Elements roots = doc.select("ol[data-comments] > li.comment");
    assertEquals(List.of("comment-" + rootComment, "comment-" + otherRoot), roots.eachAttr("id"));
    assertEquals("First root comment about seedlings", roots.get(0).selectFirst("> article [data-content]").text());
    Element nested = roots.get(0).selectFirst("> ol.replies > li.comment");
    assertNotNull(nested, "the reply sits in its parent's replies: " + roots.get(0).outerHtml());
    assertEquals("comment-" + reply, nested.id());
    assertEquals("nested", nested.selectFirst("[data-content] strong").text());
    assertTrue(roots.get(1).select("ol.replies > li").isEmpty());

    assertHead(doc, postTitle, "Use **bold** compost and *water* daily. A second paragraph about trellises.",
        site + path);
    assertEquals(postTitle + " · LiveForum", doc.title());
    assertTrue(doc.select("link[rel=next]").isEmpty(), "one page of comments");
  }

  @Test
  @DisplayName("a profile page holds the user's posts and comments with links to them")
  void profile() {
    Document doc = page("/users/" + writerId);
    assertEquals(writerName, doc.selectFirst("h1").text());
    assertEquals(postTitle, item(doc, post).selectFirst(".post-title a").text());
    Element comment = doc.select(".comment-list > li").stream()
        .filter(li -> li.text().contains("Second root comment about pots")).findFirst().orElseThrow();
    assertEquals("/posts/" + post + "/balcony-tomatoes-" + SEARCH_WORD + "#comment-" + otherRoot,
        comment.selectFirst("a").attr("href"));
    assertEquals(postTitle, comment.selectFirst("a").text());
    assertTrue(doc.selectFirst(".profile .meta").text().contains("3 posts"), doc.selectFirst(".profile").text());
    assertHead(doc, writerName, writerName + "'s posts and comments on LiveForum.", site + "/users/" + writerId);
  }

  @Test
  @DisplayName("the search page holds the matching posts and keeps the words in its box and title")
  void search() {
    Document doc = page("/search?q=" + SEARCH_WORD);
    assertEquals(List.of(post), doc.select(".post-list > li.post-item").eachAttr("data-post-id").stream()
        .map(Long::valueOf).toList());
    assertEquals(postTitle, item(doc, post).selectFirst(".post-title a").text());
    assertEquals(SEARCH_WORD, doc.selectFirst("#search-q").val());
    assertEquals("Results for “" + SEARCH_WORD + "”", doc.selectFirst("h1").text());
    assertHead(doc, "Search: " + SEARCH_WORD, "Posts matching " + SEARCH_WORD, site + "/search?q=" + SEARCH_WORD);
    assertTrue(page("/search?q=nowordlikethisanywhere").selectFirst(".empty").text().startsWith("No posts match"));
  }

  @Test
  @DisplayName("a board with more posts than a page links to the older ones, which follow without repeats")
  void boardPaging() {
    Document first = page("/boards/" + pagingBoard);
    String older = next(first, "Older posts", "/boards/" + pagingBoard + "?sort=latest&cursor=");
    Document second = page(older);
    List<Long> all = new ArrayList<>(itemIds(first));
    all.addAll(itemIds(second));
    List<Long> expected = new ArrayList<>(pagingPosts);
    expected.add(longThread);
    expected.add(koreanPost);
    expected.sort((a, b) -> Long.compare(b, a));
    assertEquals(expected, all, "both pages, newest first, each post once");
    assertTrue(second.select("link[rel=next]").isEmpty() && second.select("a[rel=next]").isEmpty(), "the last page");
    assertEquals("/boards/" + pagingBoard + "?sort=latest", second.selectFirst(".pager a").attr("href"), "First page");
    assertEquals(site + older, second.selectFirst("link[rel=canonical]").attr("href"));
    assertTrue(second.text().contains("Paged post number 1"), "the oldest post is on the older page");
  }

  @Test
  @DisplayName("a post with more than 50 root comments links to the rest, which follow without repeats")
  void commentPaging() {
    Document first = page("/posts/" + longThread);
    Elements firstRoots = first.select("ol[data-comments] > li.comment");
    assertEquals(50, firstRoots.size());
    Element more = first.selectFirst("a[rel=next]");
    assertNotNull(more, "a More comments link");
    assertEquals("More comments", more.text());
    assertEquals(more.attr("href"), first.selectFirst("link[rel=next]").attr("href"));
    assertEquals("52", first.selectFirst("[data-comment-count]").text());

    Document second = page(more.attr("href"));
    List<Long> ids = new ArrayList<>();
    firstRoots.forEach(li -> ids.add(Long.valueOf(li.attr("data-comment-id"))));
    second.select("ol[data-comments] > li.comment").forEach(li -> ids.add(Long.valueOf(li.attr("data-comment-id"))));
    assertEquals(longThreadRoots, ids, "oldest first, each comment once");
    assertTrue(second.text().contains("Root comment number 52"));
    assertTrue(second.select("a[rel=next]").isEmpty() && second.select("link[rel=next]").isEmpty());
    assertEquals("/posts/" + longThread + "/a-long-thread",
        second.select("a").stream().filter(a -> a.text().equals("Back to the first comments")).findFirst()
            .orElseThrow().attr("href"));
  }

  @Test
  @DisplayName("a profile with more posts than a page links to the older ones, which follow without repeats")
  void profilePaging() {
    Document first = page("/users/" + prolificId);
    Document second = page(next(first, "More posts", "/users/" + prolificId + "?posts="));
    List<Long> all = new ArrayList<>(itemIds(first));
    all.addAll(itemIds(second));
    List<Long> expected = new ArrayList<>(pagingPosts);
    expected.add(longThread);
    expected.sort((a, b) -> Long.compare(b, a));
    assertEquals(expected, all);
    assertTrue(second.select("a[rel=next]").isEmpty());
  }

  @Test
  @DisplayName("hostile board names, titles, comments and Markdown stay inert text on every page that shows them")
  void hostileInput() {
    String title = HOSTILE.get(0) + HOSTILE.get(3);
    for (String path : List.of("/", "/boards/" + hostileBoard, "/posts/" + hostilePost, "/users/" + writerId,
        "/search?q=" + URLEncoder.encode("alert script svg onload", StandardCharsets.UTF_8),
        "/search?q=" + URLEncoder.encode(String.join(" ", HOSTILE), StandardCharsets.UTF_8))) {
      Document doc = page(path);
      assertInert(doc, path);
    }
    Document board = page("/boards/" + hostileBoard);
    assertEquals(hostileBoardName, board.selectFirst("h1").text());
    assertEquals(String.join(" ", HOSTILE), board.selectFirst(".lead").text());
    assertEquals(String.join(" ", HOSTILE), board.selectFirst("meta[name=description]").attr("content"));
    assertEquals(hostileBoardName + " · LiveForum", board.title());
    assertEquals(title, item(board, hostilePost).selectFirst(".post-title a").text());
    assertTrue(item(board, hostilePost).selectFirst(".excerpt").text().startsWith(String.join(" ", HOSTILE)));

    Document post = page("/posts/" + hostilePost);
    assertEquals(title, post.selectFirst("h1").text());
    assertEquals(title, post.selectFirst("meta[property=og:title]").attr("content"));
    assertEquals(hostileBoardName, post.selectFirst(".crumbs a[href=/boards/" + hostileBoard + "]").text());
    String content = post.selectFirst("[data-post-content]").text();
    for (String shown : List.of(HOSTILE.get(0), HOSTILE.get(1), HOSTILE.get(3))) {
      assertTrue(content.contains(shown), "shown as text: " + shown + " in " + content);
    }
    String comment = post.selectFirst("#comment-" + hostileComment + " [data-content]").text();
    for (String shown : List.of(HOSTILE.get(0), HOSTILE.get(1), HOSTILE.get(3))) {
      assertTrue(comment.contains(shown), "shown as text: " + shown + " in " + comment);
    }

    Document search = page("/search?q=" + URLEncoder.encode(HOSTILE.get(3), StandardCharsets.UTF_8));
    assertEquals(HOSTILE.get(3), search.selectFirst("#search-q").val());
    assertEquals(HOSTILE.get(3), search.selectFirst("#site-search").val());
    assertEquals("Search: " + HOSTILE.get(3) + " · LiveForum", search.title());
  }

  @Test
  @DisplayName("Korean titles and text render in UTF-8, the Korean slug address works, and any slug leads to the post")
  void korean() {
    String slug = "서울의-봄-날씨-이야기";
    String path = "/posts/" + koreanPost + "/" + URLEncoder.encode(slug, StandardCharsets.UTF_8);
    Api.Response r = api.get(path);
    assertEquals(200, r.status());
    assertEquals("text/html; charset=utf-8", r.contentType().toLowerCase(Locale.ROOT));
    Document doc = Jsoup.parse(r.text(), site);
    assertEquals("utf-8", doc.selectFirst("meta[charset]").attr("charset"));
    assertEquals(KOREAN_TITLE, doc.selectFirst("h1").text());
    assertEquals("맑음", doc.selectFirst("[data-post-content] strong").text());
    assertEquals(KOREAN_TITLE + " · LiveForum", doc.title());
    assertEquals(site + path, doc.selectFirst("link[rel=canonical]").attr("href"));
    assertEquals(path, item(page("/boards/" + pagingBoard), koreanPost).selectFirst(".post-title a").attr("href"),
        "lists link to the slug address");
    for (String other : List.of("/posts/" + koreanPost, "/posts/" + koreanPost + "/any-old-slug",
        "/posts/" + koreanPost + "/" + URLEncoder.encode("다른-제목", StandardCharsets.UTF_8))) {
      Document same = page(other);
      assertEquals(KOREAN_TITLE, same.selectFirst("h1").text(), other);
      assertEquals(site + path, same.selectFirst("link[rel=canonical]").attr("href"), "one canonical address");
    }
  }

  @Test
  @DisplayName("a missing post or page is an HTML 404 page, while /api keeps answering problem+json")
  void notFound() {
    for (String path : List.of("/posts/abc", "/posts/abc/slug", "/posts/0", "/posts/", "/posts/999999999",
        "/posts/999999999/some-slug", "/boards/x", "/boards/999999999", "/users/999999999", "/nope", "/nope/deeper")) {
      Element main = errorPage(path, 404);
      assertEquals("Not found", main.selectFirst("h1").text(), path);
    }
    assertEquals("there is nothing at /nope", errorPage("/nope", 404).selectFirst("p").text());
    Api.Response api404 = api.get("/api/nope");
    assertEquals(404, api404.status());
    assertEquals("application/problem+json", api404.contentType());
    assertEquals(404, api404.json().getInteger("status"));
  }

  @Test
  @DisplayName("an unknown sort or period is an HTML 400 naming the allowed values, and a damaged cursor is a 400, never a 500")
  void badQueries() {
    assertEquals("sort must be one of hot, latest, top", errorPage("/?sort=bogus", 400).selectFirst("p").text());
    assertEquals("period must be one of all, day, month, week",
        errorPage("/boards/" + board + "?sort=top&period=year", 400).selectFirst("p").text());

    String boardCursor = cursorOf(page("/boards/" + pagingBoard).selectFirst("link[rel=next]").attr("href"), "cursor");
    String commentCursor = cursorOf(page("/posts/" + longThread).selectFirst("link[rel=next]").attr("href"), "cursor");
    String profileCursor = cursorOf(page("/users/" + prolificId).selectFirst("link[rel=next]").attr("href"), "posts");
    for (String path : List.of("/?cursor=garbage", "/?cursor=", "/?cursor=" + "a".repeat(1001),
        "/boards/" + board + "?cursor=abc.def", "/boards/" + pagingBoard + "?sort=hot&cursor=" + boardCursor,
        "/boards/" + board + "?cursor=" + boardCursor, "/?cursor=" + commentCursor,
        "/posts/" + post + "?cursor=garbage", "/posts/" + post + "?cursor=" + commentCursor,
        "/posts/" + longThread + "?cursor=" + boardCursor, "/users/" + writerId + "?posts=garbage",
        "/users/" + writerId + "?comments=%00%FF", "/users/" + writerId + "?posts=" + profileCursor,
        "/users/" + prolificId + "?comments=" + profileCursor, "/search?q=tomato&cursor=zz",
        "/search?q=" + "a".repeat(201))) {
      Element main = errorPage(path, 400);
      assertEquals("That did not work", main.selectFirst("h1").text(), path);
    }
  }

  @Test
  @DisplayName("pages carry a CSP without inline scripts that lets them reach the bridge; Swagger UI keeps its own")
  void securityHeaders() {
    MultiMap asLocalhost = MultiMap.caseInsensitiveMultiMap().add("Host", "localhost:" + node.port);
    String bridge = "http://localhost:" + node.bridgePort;
    for (String path : List.of("/", "/posts/" + post, "/users/" + writerId, "/search?q=x", "/login", "/nope")) {
      Api.Response r = api.send(HttpMethod.GET, path, null, asLocalhost, null);
      String csp = r.headers().get("Content-Security-Policy");
      assertNotNull(csp, path);
      assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval"), path + ": " + csp);
      assertTrue(csp.contains("script-src 'self';"), csp);
      assertTrue(csp.contains("style-src 'self';"), csp);
      assertTrue(csp.contains("connect-src 'self' " + bridge + " ws://localhost:" + node.bridgePort), csp);
      assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
      assertEquals("DENY", r.headers().get("X-Frame-Options"));
    }
    Document doc = Jsoup.parse(api.send(HttpMethod.GET, "/", null, asLocalhost, null).text());
    assertEquals(bridge + "/eventbus", doc.selectFirst("meta[name=lf-bridge]").attr("content"));
    assertEquals("http://localhost:" + node.port + "/?sort=latest", doc.selectFirst("link[rel=canonical]").attr("href"));
    for (Element script : doc.select("script")) {
      assertTrue(script.attr("src").startsWith("/assets/") && script.data().isBlank(), script.outerHtml());
    }

    Api.Response docs = api.get("/api/docs/");
    assertEquals(200, docs.status());
    String csp = docs.headers().get("Content-Security-Policy");
    assertTrue(csp.contains("style-src 'self' 'unsafe-inline'") && csp.contains("connect-src 'self'"), csp);
    assertFalse(csp.contains("ws://") || csp.contains("script-src 'unsafe"), csp);
  }

  @Test
  @DisplayName("a post page kept for the next readers still names each reader's own host as its address and bridge")
  void keptPageFollowsHost() {
    long id = forum.post(forum.user("hosts"), forum.board("Hosts "), "Read under two names", "Same post.")
        .getLong("id");
    String path = "/posts/" + id + "/read-under-two-names";
    for (String host : List.of("localhost", "evil.example", "127.0.0.1", "localhost")) {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Host", host + ":" + node.port);
      Api.Response r = api.send(HttpMethod.GET, path, null, headers, null);
      assertEquals(200, r.status());
      Document doc = Jsoup.parse(r.text());
      assertEquals("Read under two names", doc.selectFirst("h1").text());
      assertEquals("http://" + host + ":" + node.port + path, doc.selectFirst("link[rel=canonical]").attr("href"), host);
      assertEquals("http://" + host + ":" + node.port + path, doc.selectFirst("meta[property=og:url]").attr("content"));
      String bridge = "http://" + host + ":" + node.bridgePort;
      assertEquals(bridge + "/eventbus", doc.selectFirst("meta[name=lf-bridge]").attr("content"), host);
      assertTrue(r.headers().get("Content-Security-Policy").contains("connect-src 'self' " + bridge + " "),
          "the policy lets the page reach the bridge it names");
    }
  }

  @Test
  @DisplayName("Chromium without JavaScript shows a post's thread, its nested reply and comment count, and the forms' note")
  void withoutJavaScript() {
    try (Browser b = Browser.withoutJavaScript()) {
      b.open(site + "/posts/" + post);
      assertEquals(postTitle, b.text(By.cssSelector("h1")));
      assertTrue(b.text(By.cssSelector("[data-post-content]")).contains("Use bold compost and water daily."));
      assertEquals("3", b.text(By.cssSelector("[data-comment-count]")));
      assertEquals("First root comment about seedlings",
          b.text(By.cssSelector("#comment-" + rootComment + " > article [data-content]")));
      assertEquals("A reply to the first, nested",
          b.text(By.cssSelector("#comment-" + rootComment + " > ol.replies > #comment-" + reply + " [data-content]")));
      assertEquals("Second root comment about pots", b.text(By.cssSelector("#comment-" + otherRoot + " [data-content]")));
      assertTrue(b.text(By.cssSelector("time")).endsWith(" UTC"), "no script rewrote the server's times");
      assertEquals(postTitle + " · LiveForum", b.driver().getTitle());

      b.open(site + "/login");
      assertEquals("Signing in needs JavaScript. Reading the forum does not.", b.text(By.cssSelector("main .notice")));
    }
  }

  @Test
  @DisplayName("the form pages answer HTML that says in a noscript note that the action needs JavaScript")
  void formPages() {
    for (String path : List.of("/login", "/register", "/settings", "/notifications", "/new", "/admin",
        "/posts/" + post + "/edit")) {
      Document doc = page(path);
      Element note = doc.selectFirst("main noscript");
      assertNotNull(note, path + " has a noscript note");
      String said = Jsoup.parse(note.html()).text() + note.text();
      assertTrue(said.contains("needs JavaScript. Reading the forum does not."), path + ": " + note.outerHtml());
      assertInert(doc, path);
      assertTrue(doc.title().endsWith(" · LiveForum"), doc.title());
    }
  }

  private Document page(String path) {
    Api.Response r = api.get(path);
    assertEquals(200, r.status(), path + " answered " + r.status() + ": " + r.text());
    assertEquals("text/html; charset=utf-8", r.contentType(), path);
    return Jsoup.parse(r.text(), site + path);
  }

  /** The {@code <main>} of an HTML error page answered with {@code status}. */
  private Element errorPage(String path, int status) {
    Api.Response r = api.get(path);
    assertEquals(status, r.status(), path + " answered " + r.text());
    assertEquals("text/html; charset=utf-8", r.contentType(), path);
    Document doc = Jsoup.parse(r.text(), site);
    Element main = doc.selectFirst("main .error-page");
    assertNotNull(main, path + " is an error page: " + r.text());
    assertFalse(r.text().contains("Exception") || r.text().contains("\tat "), path + " shows no stack trace");
    assertEquals("Back to the forum", main.selectFirst("a[href=/]").text());
    return main;
  }

  /** The older page a full first page of posts links to, by its {@code rel=next} link and its head's. */
  private static String next(Document first, String linkText, String hrefStart) {
    assertEquals(PAGE, itemIds(first).size(), "a full first page");
    Element link = first.selectFirst("main a[rel=next]");
    assertNotNull(link, "a link to the next page on " + first.location());
    assertEquals(linkText, link.text());
    assertTrue(link.attr("href").startsWith(hrefStart), link.attr("href"));
    assertEquals(link.attr("href"), first.selectFirst("link[rel=next]").attr("href"));
    return link.attr("href");
  }

  private static Element item(Document doc, long postId) {
    Element item = doc.selectFirst("li.post-item[data-post-id=" + postId + "]");
    assertNotNull(item, "post " + postId + " is listed on " + doc.location());
    return item;
  }

  private static List<Long> itemIds(Document doc) {
    List<Long> ids = doc.select("section .post-list > li.post-item").eachAttr("data-post-id").stream()
        .map(Long::valueOf).toList();
    assertEquals(ids.size(), new HashSet<>(ids).size(), "no post twice on a page");
    return ids;
  }

  private static void assertHead(Document doc, String title, String description, String canonical) {
    assertEquals(description, doc.selectFirst("meta[name=description]").attr("content"));
    assertEquals(canonical, doc.selectFirst("link[rel=canonical]").attr("href"));
    assertEquals(title, doc.selectFirst("meta[property=og:title]").attr("content"));
    assertEquals(description, doc.selectFirst("meta[property=og:description]").attr("content"));
    assertEquals(canonical, doc.selectFirst("meta[property=og:url]").attr("content"));
  }

  /** No script but the site's own files, no handler attribute, no javascript: address. */
  private static void assertInert(Document doc, String path) {
    for (Element script : doc.select("script")) {
      assertTrue(script.attr("src").startsWith("/assets/") && script.data().isBlank(), path + ": " + script.outerHtml());
    }
    assertTrue(doc.select("svg, iframe, object, embed").isEmpty(), path);
    for (Element e : doc.getAllElements()) {
      for (Attribute a : e.attributes()) {
        String value = a.getValue().strip().toLowerCase(Locale.ROOT);
        assertFalse(a.getKey().toLowerCase(Locale.ROOT).startsWith("on"), path + ": " + e.outerHtml());
        if (List.of("href", "src", "action", "formaction").contains(a.getKey().toLowerCase(Locale.ROOT))) {
          assertFalse(value.startsWith("javascript:"), path + ": " + e.outerHtml());
        }
      }
    }
    assertTrue(doc.select("img").stream().allMatch(img -> img.attr("src").startsWith("/")), path);
  }

  private static String cursorOf(String href, String name) {
    String marker = name + "=";
    return href.substring(href.indexOf(marker) + marker.length());
  }

  private long board(String name, String description) {
    Api.Response r = api.send(HttpMethod.POST, "/api/boards", forum.adminToken(),
        new JsonObject().put("name", name).put("description", description));
    assertEquals(201, r.status(), r.toString());
    return r.json().getLong("id");
  }

}
