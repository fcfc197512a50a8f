package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.Ui;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;
import java.util.function.Supplier;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every page as an administrator sees it, on a desktop and on a phone: no console error or policy
 * violation anywhere, screenshots for the README, the weight of a post page; then the list pages'
 * offer of new posts and the admin page at work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("A tour of the pages: every page works at both widths; lists offer new posts; admins run boards and watch statistics")
class TourBrowserTest {
  /** What a post page may move on its first load, images aside. */
  static final long POST_PAGE_BUDGET = 150_000;

  private TestNode node;
  private Api api;
  private Forum forum;
  private String site;
  private String admin;
  private String adminToken;
  private String bobToken;
  private long board;
  private long post;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    site = "http://localhost:" + node.port;
    Forum.Member administrator = forum.admin("admin");
    admin = administrator.name();
    adminToken = administrator.token();
    String bob = unique("bob");
    bobToken = forum.register(bob).token();
    board = forum.board("Announcements");
    post = forum.postId(adminToken, board, "Welcome to the forum",
        "Here everything is **live**: comments, likes and readers.\n\n- say hello below\n- be kind");
    long first = forum.commentId(bobToken, post, null, "Hello! Glad to be here, @" + admin);
    long reply = forum.commentId(adminToken, post, first, "Welcome, bob. Make yourself at home.");
    forum.commentId(bobToken, post, reply, "Thanks! Is there a **Markdown** cheat sheet?");
    forum.commentId(bobToken, post, null, "And a second thread, to show how replies nest.");
    forum.postId(bobToken, board, "안녕하세요 — 첫 글입니다", "한국어로 쓴 글입니다.");
    forum.postId(bobToken, board, "Weekend meetup?", "Who is in town on Saturday?");
    assertEquals(200, api.send(HttpMethod.PUT, "/api/posts/" + post + "/like", bobToken, null).status());
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("every page loads without a console error or policy violation, on a desktop and a phone, and is photographed")
  void everyPage() {
    for (String form : List.of("desktop", "phone")) {
      try (Browser browser = form.equals("desktop") ? Browser.desktop() : Browser.phone()) {
        Ui.signIn(browser, site, admin);
        visit(browser, "/", "home-" + form, () -> browser.text(By.cssSelector("[data-post-list]")).contains("Weekend meetup?"));
        visit(browser, "/posts/" + post, "post-" + form,
            () -> browser.text(By.cssSelector("[data-presence]")).equals("1"));
        visit(browser, "/new", "compose-" + form, () -> browser.driver().findElement(By.id("compose-title-input")).isDisplayed());
        visit(browser, "/notifications", "notifications-" + form,
            () -> browser.text(By.cssSelector("[data-notifications]")).contains("replied to you"));
        visit(browser, "/admin", "admin-" + form,
            () -> !browser.driver().findElements(By.cssSelector("[data-chart] canvas")).isEmpty()
                && browser.text(By.cssSelector("[data-figures] tbody")).length() > 0);
        for (String path : List.of("/boards/" + board, "/users/1", "/search?q=meetup", "/settings",
            "/posts/" + post + "/edit", "/login", "/register", "/nope")) {
          browser.open(site + path);
          Ui.waitForUser(browser, admin);
        }
        Ui.assertNoOtherConsoleProblems(browser, "/nope", 404);
      }
    }
  }

  @Test
  @DisplayName("a guest sees every page without a console error or policy violation")
  void everyPageForAGuest() {
    try (Browser browser = Browser.desktop()) {
      for (String path : List.of("/", "/boards/" + board, "/posts/" + post, "/users/1", "/search?q=meetup", "/login",
          "/register", "/settings", "/notifications", "/new", "/posts/" + post + "/edit", "/admin")) {
        browser.open(site + path);
        browser.waitFor(By.cssSelector("[data-account] a[href='/login']"), Ui.LIVE);
        if (path.startsWith("/posts/") && !path.endsWith("/edit")) {
          Ui.waitLive(browser);
        }
      }
      assertTrue(browser.driver().findElement(By.cssSelector("[data-guest]")).isDisplayed(), "the admin page's note for guests");
      browser.assertNoConsoleProblems();
    }
  }

  private void visit(Browser browser, String path, String shot, Supplier<Boolean> shown) {
    browser.open(site + path);
    Ui.waitForUser(browser, admin);
    browser.waitUntil(d -> shown.get(), Ui.LIVE, path + " to show its content");
    browser.screenshot(shot);
  }

  @Test
  @DisplayName("a guest's first load of a post page moves less than 150 KB besides images")
  void postPageWeight() {
    try (Browser browser = Browser.desktop()) {
      browser.open(site + "/posts/" + post);
      Ui.waitLive(browser);
      long bytes = ((Number) ((JavascriptExecutor) browser.driver()).executeScript("""
          const page = performance.getEntriesByType('navigation')[0].transferSize;
          return page + performance.getEntriesByType('resource')
            .filter(r => r.initiatorType !== 'img').reduce((sum, r) => sum + r.transferSize, 0);""")).longValue();
      assertTrue(bytes > 10_000 && bytes < POST_PAGE_BUDGET, "a post page moved " + bytes + " bytes");
      browser.assertNoConsoleProblems();
    }
  }

  @Test
  @DisplayName("a board page offers a new post without moving the list, and shows it on request")
  void newPostsOffered() {
    try (Browser browser = Browser.desktop()) {
      browser.open(site + "/boards/" + board);
      Ui.waitLive(browser);
      List<String> before = titles(browser);
      long fresh = forum.postId(bobToken, board, "Fresh off the press", "Just now");
      browser.waitUntil(d -> d.findElement(By.cssSelector("[data-new-posts]")).isDisplayed(), Ui.LIVE, "the offer of a new post");
      assertEquals("Show 1 new post", browser.text(By.cssSelector("[data-new-posts] button")));
      assertEquals(before, titles(browser), "the list moved before the reader asked");
      browser.click(By.cssSelector("[data-new-posts] button"));
      assertEquals("Fresh off the press", titles(browser).get(0));
      assertEquals(String.valueOf(fresh), browser.driver().findElement(By.cssSelector("[data-post-list] li")).getDomAttribute("data-post-id"));
      assertTrue(!browser.driver().findElement(By.cssSelector("[data-new-posts]")).isDisplayed());
      browser.assertNoConsoleProblems();
    }
  }

  private static List<String> titles(Browser browser) {
    return browser.driver().findElements(By.cssSelector("[data-post-list] .post-title")).stream().map(e -> e.getText()).toList();
  }

  @Test
  @DisplayName("an admin creates, renames and deletes a board on the admin page, and today's figures follow a new comment live")
  void adminPage() {
    try (Browser browser = Browser.desktop()) {
      Ui.signIn(browser, site, admin);
      browser.open(site + "/admin");
      browser.waitUntil(d -> !d.findElements(By.cssSelector("[data-today] dd")).isEmpty(), Ui.LIVE, "today's figures");
      String name = unique("Help");
      browser.type(By.id("board-name"), name);
      browser.type(By.id("board-description"), "Questions and answers");
      browser.click(By.cssSelector("[data-board-form] button[type=submit]"));
      browser.waitUntil(d -> boardNames(browser).contains(name), Ui.LIVE, "the new board listed");
      assertTrue(api.get("/api/boards").text().contains(name));

      var field = browser.driver().findElements(By.cssSelector("[data-boards] input[name=name]")).stream()
          .filter(e -> name.equals(e.getDomProperty("value"))).findFirst().orElseThrow();
      field.clear();
      field.sendKeys(name + "_renamed");
      field.submit();
      // The field shows what was typed at once; the list drawn again from the server shows the saved name.
      browser.waitUntil(d -> ExpectedConditions.stalenessOf(field).apply(d) && boardNames(browser).contains(name + "_renamed"),
          Ui.LIVE, "the renamed board, listed again");
      assertTrue(api.get("/api/boards").text().contains(name + "_renamed"));

      long comments = todays(browser, "Comments");
      forum.commentId(bobToken, post, null, "Counted live on the admin page");
      browser.waitUntil(d -> todays(browser, "Comments") == comments + 1, Ui.LIVE, "today's comments to count one more");

      int index = boardNames(browser).indexOf(name + "_renamed");
      browser.driver().findElements(By.cssSelector("[data-boards] [data-delete]")).get(index).click();
      browser.driver().switchTo().alert().accept();
      browser.waitUntil(d -> !boardNames(browser).contains(name + "_renamed"), Ui.LIVE, "the board gone from the list");
      assertTrue(!api.get("/api/boards").text().contains(name + "_renamed"));
      browser.assertNoConsoleProblems();
    }
  }

  /** Read in one script, as the page redraws these lists whenever they change. */
  @SuppressWarnings("unchecked")
  private static List<String> boardNames(Browser browser) {
    return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript(
        "return [...document.querySelectorAll('[data-boards] input[name=name]')].map(i => i.value);");
  }

  private static long todays(Browser browser, String label) {
    Object value = ((JavascriptExecutor) browser.driver()).executeScript("""
        const div = [...document.querySelectorAll('[data-today] div')].find(d => d.querySelector('dt').textContent === arguments[0]);
        return div ? Number(div.querySelector('dd').textContent) : -1;""", label);
    return ((Number) value).longValue();
  }
}
