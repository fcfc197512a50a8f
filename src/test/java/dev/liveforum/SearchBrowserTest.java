package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search box as a reader uses it: titles suggested while typing, then the results with the words marked. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Searching in the browser: suggestions as one types, marked results")
class SearchBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestNode node;
  private Api api;
  private String title;
  private long post;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    Forum forum = new Forum(api);
    String word = "해바라기" + Long.toString(System.nanoTime() % 100_000, 36);
    title = "실시간 댓글 알림 " + word;
    post = forum.postId(forum.user("reader"), forum.board("Search"), title, "웹소켓으로 연결하니 편하네요.");
    eventually("the post is in the search index", () -> api.get("/api/search/suggest?q="
        + URLEncoder.encode(word, StandardCharsets.UTF_8)).text().contains(word));
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("typing the start of a title's word lists the title; Enter shows the post with 댓글 marked")
  void suggestThenSearch() {
    try (Browser browser = Browser.desktop()) {
      browser.open("http://localhost:" + node.port + "/");
      String prefix = title.substring(title.lastIndexOf(' ') + 1, title.length() - 2);
      browser.type(By.id("site-search"), prefix);
      browser.waitUntil(d -> d.findElements(By.cssSelector("#title-suggestions option")).stream()
          .anyMatch(o -> title.equals(o.getAttribute("value"))), WAIT, "the title is suggested for " + prefix);
      WebElement box = browser.driver().findElement(By.id("site-search"));
      box.clear();
      box.sendKeys("댓글이", Keys.ENTER);
      WebElement hit = browser.waitFor(By.cssSelector("li.search-hit[data-post-id='" + post + "']"), WAIT);
      assertEquals("댓글", hit.findElement(By.cssSelector("h3 mark")).getText());
      assertTrue(hit.findElement(By.cssSelector(".excerpt")).getText().contains("웹소켓으로"), hit.getText());
      browser.screenshot("search-results");
      browser.assertNoConsoleProblems();
    }
  }
}
