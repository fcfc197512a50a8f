package dev.liveforum.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.util.List;

/** What a person does on LiveForum's pages, for browser tests. */
public final class Ui {
  public static final Duration LIVE = Duration.ofSeconds(15);

  private Ui() {}

  /** Signs in through the sign-in form and waits until the account menu names the user. */
  public static void signIn(Browser browser, String site, String username) {
    browser.open(site + "/login");
    browser.type(By.id("login-email"), username.toLowerCase() + "@example.com");
    browser.type(By.id("login-password"), Forum.PASSWORD);
    browser.click(By.cssSelector("[data-login-form] button[type=submit]"));
    waitForUser(browser, username);
  }

  public static void waitForUser(Browser browser, String username) {
    browser.waitUntil(d -> d.findElements(By.cssSelector("[data-account] a.me")).stream()
        .anyMatch(a -> a.getText().equals(username)), LIVE, "the account menu to name " + username);
  }

  /** Waits until the page is connected to the realtime bridge. */
  public static void waitLive(Browser browser) {
    browser.waitUntil(d -> "open".equals(d.findElement(By.tagName("html")).getDomAttribute("data-live")), LIVE,
        "the page to connect to the realtime bridge");
  }

  /** The ids of the comments shown, in page order. */
  public static List<Long> commentIds(Browser browser) {
    return browser.driver().findElements(By.cssSelector("[data-comments] [data-comment-id]")).stream()
        .map(e -> Long.parseLong(e.getDomAttribute("data-comment-id"))).toList();
  }

  /**
   * Fails on any console problem but the browser's own note of an answer the test provoked on purpose
   * (e.g. "…/api/auth/session - Failed to load resource: the server responded with a status of 401").
   */
  public static void assertNoOtherConsoleProblems(Browser browser, String path, int status) {
    List<String> other = browser.consoleProblems().stream()
        .filter(p -> !(p.contains(path) && p.contains("status of " + status))).toList();
    if (!other.isEmpty()) {
      throw new AssertionError("console problems: " + other);
    }
  }

  public static WebElement comment(Browser browser, long id) {
    return browser.driver().findElement(By.cssSelector("[data-comment-id='" + id + "']"));
  }
}
