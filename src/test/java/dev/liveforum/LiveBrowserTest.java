package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.support.Ui;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two people in two browsers on a two-node cluster: alice reads on node B (an edge: pages and bridge),
 * bob writes through node A. What one does, the other sees without reloading.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Live pages: what one person does in a browser, another sees at once, on another node")
class LiveBrowserTest {
  private TestNode a;
  private TestNode b;
  private Api api;
  private Forum forum;
  private long board;
  private String alice;
  private String bob;
  private String aliceToken;
  private String bobToken;

  @BeforeAll
  void start() {
    Config config = TestServices.config().with(Setting.BRIDGE_PRESENCE_INTERVAL, 200);
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge", "notification");
    b = TestNode.clustered(config, "http", "bridge");
    api = new Api(a.port);
    forum = new Forum(api);
    board = forum.board("live pages");
    alice = unique("alice");
    bob = unique("bob");
    aliceToken = forum.register(alice).token();
    bobToken = forum.register(bob).token();
  }

  @AfterAll
  void stop() {
    b.close();
    a.close();
  }

  private String siteA() {
    return "http://localhost:" + a.port;
  }

  private String siteB() {
    return "http://localhost:" + b.port;
  }

  @Test
  @DisplayName("bob's reply appears under its parent in alice's open page; his typing, likes, edit and deletion follow")
  void replyLikesEditsAndDeletionsArriveLive() {
    long post = forum.post(aliceToken, board, "Watched live", "Say something").getLong("id");
    long root = forum.commentId(aliceToken, post, null, "Alice's first comment");
    try (Browser alicePage = Browser.desktop(); Browser bobPage = Browser.desktop()) {
      Ui.signIn(alicePage, siteB(), alice);
      alicePage.open(siteB() + "/posts/" + post);
      Ui.waitLive(alicePage);
      Ui.signIn(bobPage, siteA(), bob);
      bobPage.open(siteA() + "/posts/" + post);
      Ui.waitLive(bobPage);
      alicePage.waitUntil(d -> d.findElement(By.cssSelector("[data-presence]")).getText().equals("2"), Ui.LIVE,
          "the page to count two readers");

      bobPage.click(By.cssSelector("[data-comment-id='" + root + "'] [data-reply]"));
      bobPage.type(By.id("reply-" + root), "Hello @" + alice + ", this is bob");
      alicePage.waitUntil(d -> d.findElement(By.cssSelector("[data-typing]")).getText().equals(bob + " is typing…"),
          Ui.LIVE, "alice's page to say that bob is typing");
      bobPage.click(By.cssSelector(".reply-form button[type=submit]"));

      By reply = By.cssSelector("[data-comment-id='" + root + "'] > .replies > [data-comment-id]");
      alicePage.waitUntil(d -> d.findElements(reply).stream().anyMatch(e -> e.getText().contains("this is bob")), Ui.LIVE,
          "bob's reply under alice's comment");
      long replyId = Long.parseLong(alicePage.driver().findElement(reply).getDomAttribute("data-comment-id"));
      assertEquals("2", alicePage.text(By.cssSelector("[data-post] [data-comment-count]")));

      bobPage.click(By.cssSelector("[data-post] [data-like]"));
      alicePage.waitUntil(d -> d.findElement(By.cssSelector("[data-post] [data-like-count]")).getText().equals("1"),
          Ui.LIVE, "the post's like count to become 1");
      bobPage.click(By.cssSelector("[data-comment-id='" + root + "'] > .comment-body [data-like]"));
      alicePage.waitUntil(d -> d.findElement(By.cssSelector("[data-comment-id='" + root + "'] > .comment-body [data-like-count]"))
          .getText().equals("1"), Ui.LIVE, "alice's comment's like count to become 1");

      Api.Response edit = api.send(HttpMethod.PATCH, "/api/comments/" + replyId, bobToken,
          new JsonObject().put("content", "Edited by **bob**"));
      assertEquals(200, edit.status(), edit.toString());
      alicePage.waitUntil(d -> Ui.comment(alicePage, replyId).getText().contains("Edited by bob")
          && Ui.comment(alicePage, replyId).findElement(By.cssSelector("[data-edited]")).isDisplayed(),
          Ui.LIVE, "the edited reply, marked as edited");
      assertEquals("bob", Ui.comment(alicePage, replyId).findElement(By.cssSelector("[data-content] strong")).getText());

      assertEquals(204, api.send(HttpMethod.DELETE, "/api/comments/" + replyId, bobToken, null).status());
      alicePage.waitUntil(d -> Ui.comment(alicePage, replyId).getText().equals("This comment was deleted."), Ui.LIVE,
          "the deleted reply's placeholder");
      assertEquals("1", alicePage.text(By.cssSelector("[data-post] [data-comment-count]")));
      assertEquals(1, alicePage.driver().findElements(By.cssSelector("[data-comment-id='" + replyId + "']")).size(),
          "the reply is shown once");

      Api.Response postEdit = api.send(HttpMethod.PATCH, "/api/posts/" + post, aliceToken,
          new JsonObject().put("title", "Watched live, edited").put("content", "Now with *more*"));
      assertEquals(200, postEdit.status(), postEdit.toString());
      bobPage.waitUntil(d -> d.findElement(By.cssSelector("[data-post-notice]")).getText().equals("The author edited this post.")
          && d.findElement(By.cssSelector("[data-post-title]")).getText().equals("Watched live, edited"), Ui.LIVE,
          "bob's page to show the edited post and say so");
      assertEquals("more", bobPage.text(By.cssSelector("[data-post-content] em")));

      alicePage.assertNoConsoleProblems();
      bobPage.assertNoConsoleProblems();
    }
  }

  @Test
  @DisplayName("carol's badge counts bob's @mention live, and reading it in one tab clears it in the other")
  void badgeFollowsAcrossTabs() {
    // A reader of her own: the other tests' notifications for alice arrive whenever their jobs run.
    String carol = unique("carol");
    Forum.Member carolAccount = forum.register(carol);
    long post = forum.post(bobToken, board, "Mentions", "Nothing yet").getLong("id");
    try (Browser browser = Browser.desktop()) {
      Ui.signIn(browser, siteB(), carol);
      browser.open(siteB() + "/");
      Ui.waitLive(browser);
      String firstTab = browser.driver().getWindowHandle();
      By badge = By.cssSelector("[data-badge]");
      assertEquals(0, unread(browser));

      forum.commentId(bobToken, post, null, "What do you think, @" + carol + "?");
      try {
        browser.waitUntil(d -> unread(browser) == 1, Ui.LIVE, "the badge to count the mention");
      } catch (AssertionError e) {
        // Which step lost it: the notification itself, its numbered event, or the delivery to the page.
        String token = carolAccount.token();
        long id = carolAccount.id();
        throw new AssertionError(e.getMessage() + "\nnotifications: " + api.get("/api/notifications", token)
            + "\ncatch-up: " + api.get("/api/realtime/user." + id + "?after=0", token), e);
      }
      browser.waitUntil(d -> d.findElements(By.cssSelector(".toast")).stream()
          .anyMatch(t -> t.getText().contains(bob + " mentioned you")), Ui.LIVE, "a toast about the mention");

      browser.driver().switchTo().newWindow(WindowType.TAB);
      browser.open(siteB() + "/notifications");
      Ui.waitForUser(browser, carol);
      browser.waitUntil(d -> d.findElements(By.cssSelector("[data-notifications] li.unread")).stream()
          .anyMatch(li -> li.getText().contains(bob + " mentioned you in “Mentions”")), Ui.LIVE, "the mention, unread");
      browser.click(By.cssSelector("[data-read-all]"));
      browser.waitUntil(d -> d.findElements(By.cssSelector("[data-notifications] li.unread")).isEmpty(), Ui.LIVE,
          "no unread notification in this tab");

      browser.driver().switchTo().window(firstTab);
      browser.waitUntil(d -> !d.findElement(badge).isDisplayed(), Ui.LIVE, "the badge in the first tab to clear");
      assertEquals(0, unread(browser));
      browser.assertNoConsoleProblems();
    }
  }

  @Test
  @DisplayName("alice deletes her comment and then her post with the page's buttons; a reader on another node sees both")
  void deletionsThroughThePage() {
    long post = forum.post(aliceToken, board, "Soon gone", "Read it while you can").getLong("id");
    long mine = forum.commentId(aliceToken, post, null, "A comment I will take back");
    try (Browser alicePage = Browser.desktop(); Browser reader = Browser.desktop()) {
      reader.open(siteA() + "/posts/" + post);
      Ui.waitLive(reader);
      Ui.signIn(alicePage, siteB(), alice);
      alicePage.open(siteB() + "/posts/" + post);
      Ui.waitLive(alicePage);

      alicePage.click(By.cssSelector("[data-comment-id='" + mine + "'] [data-delete]"));
      alicePage.driver().switchTo().alert().accept();
      alicePage.waitUntil(d -> Ui.comment(alicePage, mine).getText().equals("This comment was deleted."), Ui.LIVE,
          "the placeholder on alice's page");
      reader.waitUntil(d -> Ui.comment(reader, mine).getText().equals("This comment was deleted."), Ui.LIVE,
          "the placeholder on the reader's page");

      alicePage.click(By.cssSelector("[data-delete-post]"));
      alicePage.driver().switchTo().alert().accept();
      alicePage.waitUntil(d -> d.getCurrentUrl().endsWith("/boards/" + board), Ui.LIVE, "alice taken to the board");
      reader.waitUntil(d -> d.findElement(By.cssSelector("[data-post-notice]")).getText().equals("This post was deleted."),
          Ui.LIVE, "the reader told that the post was deleted");
      assertEquals(404, api.get("/api/posts/" + post).status());
      alicePage.assertNoConsoleProblems();
      reader.assertNoConsoleProblems();
    }
  }

  private static long unread(Browser browser) {
    var badges = browser.driver().findElements(By.cssSelector("[data-badge]"));
    if (badges.isEmpty() || !badges.get(0).isDisplayed()) {
      return 0;
    }
    String text = badges.get(0).getText();
    assertTrue(text.matches("\\d+"), "badge shows " + text);
    return Long.parseLong(text);
  }
}
