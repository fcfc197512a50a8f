package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.support.Ui;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.ArrayList;
import java.util.List;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The post page with a root comment holding more replies than a page shows (3 on this node): the
 * first ones, then "Show n more replies", which loads the rest in place, counts up live, and without
 * JavaScript leads to a page of them. Replies go 2 levels deep; the deepest comment can be answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Reply pages in the browser: a root shows its first replies and a link that loads the rest")
class ReplyPagesBrowserTest {
  private static final int CAP = 3;

  private TestNode node;
  private Api api;
  private Forum forum;
  private String site;
  private long board;
  private String alice;
  private String aliceToken;
  private String bob;
  private String bobToken;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config().with(Setting.COMMENTS_REPLIES_PER_ROOT, CAP)
        .with(Setting.COMMENTS_MAX_DEPTH, 2));
    api = new Api(node.port);
    forum = new Forum(api);
    site = "http://localhost:" + node.port;
    board = new Forum(api).board("reply pages");
    alice = unique("alice");
    bob = unique("bob");
    aliceToken = forum.register(alice).token();
    bobToken = forum.register(bob).token();
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** A post whose first root has 8 replies (the third answers the second) and a second root with one. */
  private record Thread(long post, long root, List<Long> replies, long other) {}

  private Thread thread() {
    long post = forum.postId(aliceToken, board, "A busy thread", "Everyone has something to say.");
    long root = forum.commentId(aliceToken, post, null, "Which tomato grows best on a balcony?");
    List<Long> replies = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Long parent = i == 2 ? replies.get(1) : root;
      replies.add(forum.commentId(i % 2 == 0 ? bobToken : aliceToken, post, parent, "Answer number " + (i + 1)));
    }
    long other = forum.commentId(bobToken, post, null, "A second root, after the busy one");
    forum.commentId(aliceToken, post, other, "Its only reply");
    return new Thread(post, root, replies, other);
  }

  /** The ids of the replies shown below {@code root}, in page order. */
  private static List<Long> repliesShown(Browser browser, long root) {
    return browser.driver().findElements(By.cssSelector("[data-comment-id='" + root + "'] .replies [data-comment-id]"))
        .stream().map(e -> Long.parseLong(e.getDomAttribute("data-comment-id"))).toList();
  }

  private static By moreLink(long root) {
    return By.cssSelector("[data-comment-id='" + root + "'] > .more-replies a");
  }

  @Test
  @DisplayName("the first replies and 'Show 5 more replies'; a click loads them in thread order; on a desktop and a phone")
  void showMoreLoadsTheRest() {
    Thread t = thread();
    // thread order is age order here: the third reply answers the second, which is just before it
    List<Long> all = t.replies();
    for (String form : List.of("desktop", "phone")) {
      try (Browser browser = form.equals("desktop") ? Browser.desktop() : Browser.phone()) {
        browser.open(site + "/posts/" + t.post());
        Ui.waitLive(browser);
        assertEquals(all.subList(0, CAP), repliesShown(browser, t.root()));
        WebElement more = browser.waitFor(moreLink(t.root()), Ui.LIVE);
        assertEquals("Show 5 more replies", more.getText());
        assertEquals(0, browser.driver().findElements(moreLink(t.other())).size(), "the second root shows all its replies");
        browser.screenshot("replies-" + form + "-before");
        browser.click(moreLink(t.root()));
        browser.waitUntil(d -> repliesShown(browser, t.root()).size() == all.size(), Ui.LIVE, "every reply to show");
        assertEquals(all, repliesShown(browser, t.root()));
        assertEquals(t.replies().get(1), Long.parseLong(Ui.comment(browser, t.replies().get(2))
            .findElement(By.xpath("../..")).getDomAttribute("data-comment-id")), "the answer to a reply sits under it");
        assertTrue(Ui.comment(browser, t.replies().get(7)).getText().contains("Answer number 8"));
        assertEquals(0, browser.driver().findElements(moreLink(t.root())).size(), "nothing more to show");
        // the second root and its reply stay where they were, after the busy root
        List<Long> order = Ui.commentIds(browser);
        assertTrue(order.indexOf(t.replies().get(7)) < order.indexOf(t.other()), order.toString());
        browser.screenshot("replies-" + form + "-after");
        browser.assertNoConsoleProblems();
      }
    }
  }

  @Test
  @DisplayName("a reply arriving live under a root with replies not shown counts up its link; loading then shows it last")
  void liveReplyCountsUp() {
    Thread t = thread();
    try (Browser browser = Browser.desktop()) {
      browser.open(site + "/posts/" + t.post());
      Ui.waitLive(browser);
      long late = forum.commentId(bobToken, t.post(), t.root(), "A late answer, sent while the page was open");
      browser.waitUntil(d -> d.findElement(moreLink(t.root())).getText().equals("Show 6 more replies"), Ui.LIVE,
          "the link to count the new reply");
      assertEquals(t.replies().subList(0, CAP), repliesShown(browser, t.root()), "the new reply waits behind the others");
      // a reply under the root that shows all its replies appears at once
      long shownAtOnce = forum.commentId(bobToken, t.post(), t.other(), "Seen at once");
      browser.waitUntil(d -> repliesShown(browser, t.other()).contains(shownAtOnce), Ui.LIVE, "the reply to the second root");
      browser.click(moreLink(t.root()));
      List<Long> expected = new ArrayList<>(t.replies());
      expected.add(late);
      browser.waitUntil(d -> repliesShown(browser, t.root()).equals(expected), Ui.LIVE, "every reply, the late one last");
      // the two roots, their 9 replies and the two new ones
      assertEquals("13", browser.text(By.cssSelector("[data-post] [data-comment-count]")));
      browser.assertNoConsoleProblems();
    }
  }

  @Test
  @DisplayName("a reply not shown yet that is deleted counts the link down; with none left the link goes")
  void hiddenReplyDeletedCountsDown() {
    Thread t = thread();
    try (Browser browser = Browser.desktop()) {
      browser.open(site + "/posts/" + t.post());
      Ui.waitLive(browser);
      assertEquals("Show 5 more replies", browser.waitFor(moreLink(t.root()), Ui.LIVE).getText());
      delete(t.replies().get(4), bobToken);
      browser.waitUntil(d -> d.findElement(moreLink(t.root())).getText().equals("Show 4 more replies"), Ui.LIVE,
          "the link to count the deleted reply out");
      delete(t.replies().get(3), aliceToken);
      delete(t.replies().get(5), aliceToken);
      delete(t.replies().get(6), bobToken);
      browser.waitUntil(d -> d.findElement(moreLink(t.root())).getText().equals("Show 1 more reply"), Ui.LIVE,
          "one left to show");
      delete(t.replies().get(7), aliceToken);
      browser.waitUntil(d -> d.findElements(moreLink(t.root())).isEmpty(), Ui.LIVE, "the link to go with nothing left");
      assertEquals(t.replies().subList(0, CAP), repliesShown(browser, t.root()), "the shown replies stay");
      browser.assertNoConsoleProblems();
    }
  }

  private void delete(long comment, String token) {
    Api.Response r = api.send(io.vertx.core.http.HttpMethod.DELETE, "/api/comments/" + comment, token, null);
    assertEquals(204, r.status(), r.toString());
  }

  @Test
  @DisplayName("without JavaScript the link leads to a page of the root's replies, with the way back to the post")
  void withoutJavaScript() {
    Thread t = thread();
    try (Browser browser = Browser.withoutJavaScript()) {
      browser.open(site + "/posts/" + t.post());
      assertEquals(t.replies().subList(0, CAP), repliesShown(browser, t.root()));
      browser.click(moreLink(t.root()));
      browser.waitUntil(d -> d.getCurrentUrl().endsWith("/comments/" + t.root()), Ui.LIVE, "the replies page");
      assertEquals(t.replies(), repliesShown(browser, t.root()));
      assertTrue(browser.text(By.tagName("h1")).startsWith("Replies to " + alice), browser.text(By.tagName("h1")));
      browser.screenshot("replies-page-without-javascript");
      browser.click(By.linkText("Back to the post"));
      browser.waitUntil(d -> d.getCurrentUrl().contains("/posts/" + t.post()), Ui.LIVE, "the post again");
    }
  }

  @Test
  @DisplayName("the deepest comment has a Reply button; the reply goes beside it and says whom it answers")
  void replyAtTheDeepestLevel() {
    long post = forum.postId(aliceToken, board, "Deep talk", "Back and forth");
    long root = forum.commentId(aliceToken, post, null, "Level 0");
    long one = forum.commentId(bobToken, post, root, "Level 1");
    long two = forum.commentId(aliceToken, post, one, "Level 2, the deepest");
    try (Browser browser = Browser.desktop()) {
      Ui.signIn(browser, site, bob);
      browser.open(site + "/posts/" + post);
      Ui.waitLive(browser);
      browser.click(By.cssSelector("[data-comment-id='" + two + "'] > .comment-body [data-reply]"));
      browser.type(By.id("reply-" + two), "Answering the deepest comment");
      browser.click(By.cssSelector(".reply-form button[type=submit]"));
      By beside = By.cssSelector("[data-comment-id='" + one + "'] > .replies > [data-comment-id]");
      browser.waitUntil(d -> d.findElements(beside).size() == 2, Ui.LIVE, "the reply beside the deepest comment");
      WebElement reply = browser.driver().findElements(beside).get(1);
      assertTrue(reply.getText().contains("Answering the deepest comment"), reply.getText());
      assertEquals("↪ " + alice, reply.findElement(By.cssSelector("[data-reply-to]")).getText());
      assertEquals("#comment-" + two, reply.findElement(By.cssSelector("[data-reply-to]")).getDomAttribute("href"));
      // as the server renders it for the next reader
      browser.open(site + "/posts/" + post);
      Ui.waitLive(browser);
      WebElement rendered = browser.driver().findElements(beside).get(1);
      assertEquals("↪ " + alice, rendered.findElement(By.cssSelector("[data-reply-to]")).getText());
      assertTrue(rendered.findElement(By.cssSelector("[data-reply]")).isDisplayed(), "it can be answered too");
      browser.screenshot("replies-deepest-desktop");
      browser.assertNoConsoleProblems();
    }
  }
}
