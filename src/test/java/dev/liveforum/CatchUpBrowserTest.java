package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.support.Ui;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A page whose bridge node goes away: the comments written meanwhile are fetched when it is back,
 * each once and in order, and a notification made before the page first reached it still counts.
 * Node A holds the data, B serves the page, C is the bridge the page uses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Catching up: a page that lost its bridge shows what it missed, once each, in order")
class CatchUpBrowserTest {
  private TestNode a;
  private TestNode b;
  private TestNode c;
  private Config bridgeConfig;
  private Api api;
  private Forum forum;

  /** Each channel keeps its last three events: three missed can be caught up, more cannot. */
  private static final int BACKLOG = 3;

  @BeforeAll
  void start() {
    Config config = TestServices.config().with(Setting.REALTIME_BACKLOG, BACKLOG);
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge", "notification");
    int[] ports = TestNode.freePorts(4);
    // Node C's bridge serves pages of node B, another origin: it lets exactly that one in.
    bridgeConfig = TestNode.clusterMember(config.with(Setting.BRIDGE_ORIGINS,
        new JsonArray().add("http://localhost:" + ports[2])), "bridge");
    c = TestNode.startOn(bridgeConfig, ports[0], ports[1]);
    b = TestNode.startOn(TestNode.clusterMember(config.with(Setting.PAGES_BRIDGE_URLS,
        new JsonArray().add("http://localhost:" + c.bridgePort + "/eventbus")), "http"), ports[2], ports[3]);
    api = new Api(a.port);
    forum = new Forum(api);
  }

  @AfterAll
  void stop() {
    b.close();
    c.close();
    a.close();
  }

  /**
   * Opens the post's page on node B, sees one comment arrive live, stops the bridge node, writes
   * {@code missed} comments, starts the bridge node again and returns the ids of all comments in the order written.
   */
  private List<Long> dropWhileWriting(Browser page, String token, long post, int missed) {
    page.open("http://localhost:" + b.port + "/posts/" + post);
    Ui.waitLive(page);
    long first = forum.commentId(token, post, null, "Before the drop");
    page.waitUntil(d -> Ui.commentIds(page).equals(List.of(first)), Ui.LIVE, "the first comment, live");
    c.close();
    page.waitUntil(d -> !"open".equals(d.findElement(By.tagName("html")).getDomAttribute("data-live")), Ui.LIVE,
        "the page to notice that its bridge is gone");
    List<Long> written = new ArrayList<>(List.of(first));
    for (int i = 1; i <= missed; i++) {
      written.add(forum.commentId(token, post, null, "Missed " + i));
    }
    assertEquals(List.of(first), Ui.commentIds(page), "nothing can arrive while the bridge is down");
    c = TestNode.startOn(bridgeConfig, c.port, c.bridgePort);
    page.waitUntil(d -> Ui.commentIds(page).size() >= written.size(), Duration.ofSeconds(30), "the missed comments");
    return written;
  }

  /** While the node was down the browser could not reach it, and says so; nothing else may go wrong. */
  private void onlyExpectedProblems(Browser page, String... alsoExpected) {
    String bridge = "localhost:" + c.bridgePort + "/eventbus";
    List<String> other = page.consoleProblems().stream()
        .filter(p -> !(p.contains(bridge) && p.contains("ERR_CONNECTION_REFUSED")))
        .filter(p -> java.util.Arrays.stream(alsoExpected).noneMatch(p::contains)).toList();
    assertEquals(List.of(), other);
  }

  @Test
  @DisplayName("when more was missed than the channel keeps, the page reads its thread again and shows every comment once")
  void tooManyMissedReloadsTheThread() {
    String bob = forum.user("bob");
    long post = forum.post(bob, forum.board("reset"), "Long outage", "Body").getLong("id");
    try (Browser page = Browser.desktop()) {
      List<Long> written = dropWhileWriting(page, bob, post, BACKLOG + 2);
      assertTrue(page.consoleProblems().stream().anyMatch(p -> p.contains("/api/realtime/post." + post) && p.contains("status of 410")),
          "the page asked for the missed events and was told they are gone: " + page.consoleProblems());
      assertEquals(written, Ui.commentIds(page), "every comment once, in the order written");
      assertEquals(String.valueOf(written.size()), page.text(By.cssSelector("[data-post] [data-comment-count]")));
      forum.commentId(bob, post, null, "After the outage");
      page.waitUntil(d -> Ui.commentIds(page).size() == written.size() + 1, Ui.LIVE, "a new comment, live again");
      onlyExpectedProblems(page, "status of 410");
    }
  }

  @Test
  @DisplayName("a mention made after the page showed its unread count, before it reached its bridge, still counts on the badge")
  void mentionBeforeTheBridgeCounts() {
    String carol = unique("carol");
    String carolToken = forum.register(carol).token();
    String bob = forum.user("bob");
    long post = forum.post(bob, forum.board("mentions"), "Who is there", "Body").getLong("id");
    forum.commentId(bob, post, null, "Hello @" + carol);
    awaitUnread(carolToken, 1);
    String site = "http://localhost:" + b.port;
    c.close();
    try (Browser page = Browser.desktop()) {
      Ui.signIn(page, site, carol);
      page.open(site + "/");
      By badge = By.cssSelector("[data-badge]");
      page.waitUntil(d -> d.findElement(badge).isDisplayed() && d.findElement(badge).getText().equals("1"), Ui.LIVE,
          "the badge to show the unread count the page read");
      forum.commentId(bob, post, null, "Still there, @" + carol + "?");
      awaitUnread(carolToken, 2);
      c = TestNode.startOn(bridgeConfig, c.port, c.bridgePort);
      Ui.waitLive(page);
      page.waitUntil(d -> d.findElement(badge).getText().equals("2"), Ui.LIVE,
          "the badge to count the mention made before the bridge was reached");
      onlyExpectedProblems(page);
    }
  }

  private void awaitUnread(String token, long count) {
    eventually("the unread count to be " + count,
        () -> api.get("/api/notifications/unread-count", token).json().getLong("count") == count);
  }

  @Test
  @DisplayName("three comments written while the page's bridge node is down appear once each, in order, when it is back")
  void missedCommentsArriveInOrder() {
    String bob = forum.user("bob");
    long post = forum.post(bob, forum.board("catch up"), "Flaky network", "Body").getLong("id");
    try (Browser page = Browser.desktop()) {
      List<Long> expected = dropWhileWriting(page, bob, post, BACKLOG);
      assertEquals(expected, Ui.commentIds(page), "each missed comment once, in the order written");
      for (int i = 1; i <= BACKLOG; i++) {
        assertEquals("Missed " + i, page.text(By.cssSelector("[data-comment-id='" + expected.get(i) + "'] [data-content]")));
      }
      assertEquals("4", page.text(By.cssSelector("[data-post] [data-comment-count]")));
      onlyExpectedProblems(page);
    }
  }

}
