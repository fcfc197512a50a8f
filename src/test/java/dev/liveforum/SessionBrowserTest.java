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
import org.openqa.selenium.WindowType;

import java.time.Duration;
import java.util.Map;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing in, registering and signing out through the pages' forms, on a node whose access tokens live
 * ten seconds, so a page that stays open must refresh its token to keep working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Signing in through the pages: forms, errors, a session that survives reloads, refreshes, and ends everywhere")
class SessionBrowserTest {
  private TestNode node;
  private Api api;
  private Forum forum;
  private String site;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config().with(Setting.ACCESS_TTL, 10));
    api = new Api(node.port);
    forum = new Forum(api);
    site = "http://localhost:" + node.port;
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("register shows the server's error next to the field, then signs the new user in; no token is kept where scripts can read it")
  void registerWithFieldError() {
    String taken = unique("taken");
    forum.register(taken);
    String fresh = unique("fresh");
    try (Browser browser = Browser.desktop()) {
      browser.open(site + "/register");
      browser.type(By.id("register-username"), taken);
      browser.type(By.id("register-email"), fresh + "@example.com");
      browser.type(By.id("register-password"), Forum.PASSWORD);
      browser.click(By.cssSelector("[data-register-form] button[type=submit]"));
      browser.waitUntil(d -> d.findElement(By.id("register-username-error")).getText().contains("already taken"),
          Ui.LIVE, "the username field's error");
      assertEquals("true", browser.driver().findElement(By.id("register-username")).getDomAttribute("aria-invalid"));

      browser.driver().findElement(By.id("register-username")).clear();
      browser.type(By.id("register-username"), fresh);
      browser.click(By.cssSelector("[data-register-form] button[type=submit]"));
      Ui.waitForUser(browser, fresh);
      assertEquals(site + "/", browser.driver().getCurrentUrl());

      browser.driver().navigate().refresh();
      Ui.waitForUser(browser, fresh);
      for (Map.Entry<String, String> kept : browser.storageDump().entrySet()) {
        assertFalse(kept.getValue().matches("(?s).*eyJ[\\w-]+\\.[\\w-]+\\..*"), "a token in " + kept);
        assertFalse(kept.getValue().contains("lf_session"), "the session cookie is readable by scripts: " + kept);
      }
      Ui.assertNoOtherConsoleProblems(browser, "/api/auth/register", 409);
    }
  }

  @Test
  @DisplayName("a wrong password is refused in the form; the right one signs in, and the session outlives its access token")
  void loginAndRefresh() throws InterruptedException {
    String alice = unique("alice");
    String aliceToken = forum.register(alice).token();
    long post = forum.post(aliceToken, forum.board("session"), "Like me later", "Body").getLong("id");
    try (Browser browser = Browser.desktop()) {
      browser.open(site + "/login");
      browser.type(By.id("login-email"), alice.toLowerCase() + "@example.com");
      browser.type(By.id("login-password"), "not the password");
      browser.click(By.cssSelector("[data-login-form] button[type=submit]"));
      browser.waitUntil(d -> !d.findElement(By.cssSelector("[data-login-form]")).getText().isBlank()
          && d.findElements(By.cssSelector("[data-login-form] .field-error")).stream().anyMatch(e -> !e.getText().isBlank()),
          Ui.LIVE, "the form's error");
      assertTrue(browser.driver().findElements(By.cssSelector("[data-account] a.me")).isEmpty());

      browser.driver().findElement(By.id("login-password")).clear();
      browser.type(By.id("login-password"), Forum.PASSWORD);
      browser.click(By.cssSelector("[data-login-form] button[type=submit]"));
      Ui.waitForUser(browser, alice);
      browser.open(site + "/posts/" + post);
      Ui.waitForUser(browser, alice);

      Thread.sleep(Duration.ofSeconds(12).toMillis()); // the access token the page started with has expired
      browser.click(By.cssSelector("[data-post] [data-like]"));
      browser.waitUntil(d -> d.findElement(By.cssSelector("[data-post] [data-like-count]")).getText().equals("1"),
          Ui.LIVE, "the like, made with a refreshed token");
      assertEquals("true", browser.driver().findElement(By.cssSelector("[data-post] [data-like]")).getDomAttribute("aria-pressed"));
      Ui.assertNoOtherConsoleProblems(browser, "/api/auth/session", 401);
    }
  }

  @Test
  @DisplayName("signing out in one tab signs out the others, and the session cannot be refreshed again")
  void logoutEverywhere() {
    String carol = unique("carol");
    forum.register(carol);
    try (Browser browser = Browser.desktop()) {
      Ui.signIn(browser, site, carol);
      String first = browser.driver().getWindowHandle();
      browser.driver().switchTo().newWindow(WindowType.TAB);
      browser.open(site + "/");
      Ui.waitForUser(browser, carol);
      browser.click(By.cssSelector("[data-account] button"));
      browser.waitUntil(d -> !d.findElements(By.cssSelector("[data-account] a[href='/login']")).isEmpty(), Ui.LIVE,
          "the sign-in link after signing out");

      browser.driver().switchTo().window(first);
      browser.waitUntil(d -> !d.findElements(By.cssSelector("[data-account] a[href='/login']")).isEmpty(), Ui.LIVE,
          "the other tab to show the sign-in link");
      browser.driver().navigate().refresh();
      browser.waitFor(By.cssSelector("[data-account] a[href='/login']"), Ui.LIVE);
      assertTrue(browser.driver().findElements(By.cssSelector("[data-account] a.me")).isEmpty(), "still signed in after reload");
      browser.assertNoConsoleProblems();
    }
  }
}
