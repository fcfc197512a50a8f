package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.support.Ui;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The page keeps its private channel past its access token's expiry: it hands the bridge the refreshed token. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("A signed-in page outlives its access tokens")
class TokenRenewalBrowserTest {
  private static final int TTL_SECONDS = 10;
  private TestNode node;
  private Api api;
  private String site;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config().with(Setting.ACCESS_TTL, TTL_SECONDS));
    api = new Api(node.port);
    site = "http://localhost:" + node.port;
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("a reply's notification reaches the badge live after the token the page subscribed with expired")
  void badgeStaysLive() {
    String carol = unique("carol");
    Forum forum = new Forum(api);
    long carolId = forum.register(carol).id();
    Forum.Member bob = forum.member("bob");
    long post = forum.postId(bob.token(), forum.board("Renewals"), "Renewals", "nothing yet");
    try (Browser browser = Browser.desktop()) {
      Ui.signIn(browser, site, carol);
      browser.open(site + "/");
      Ui.waitLive(browser);
      // A socket of carol's signed in after the page subscribed: its token expires no earlier than the page's first.
      String channel = "user." + carolId;
      try (BridgeClient witness = BridgeClient.connect(node.bridgePort)) {
        witness.subscribe(channel, forum.login(carol).token());
        JsonObject ended = witness.await("the witness's token to expire", f -> "err".equals(f.getString("type"))
            && channel.equals(f.getString("address")), 3 * TTL_SECONDS);
        assertEquals("token_expired", ended.getString("body"));
      }
      forum.commentId(forum.login(bob.name()).token(), post, null, "@" + carol + " are you there?");
      browser.waitUntil(d -> !d.findElements(By.cssSelector("[data-badge]")).isEmpty()
          && d.findElement(By.cssSelector("[data-badge]")).isDisplayed()
          && d.findElement(By.cssSelector("[data-badge]")).getText().equals("1"), Ui.LIVE, "the badge to count the mention");
    }
  }
}
