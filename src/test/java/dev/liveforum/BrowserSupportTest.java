package dev.liveforum;

import dev.liveforum.support.Browser;
import dev.liveforum.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Browser} against the one page that exists before the forum's own: Swagger UI at /api/docs/. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Browser test support: Debian's Chromium against a real node")
class BrowserSupportTest {
  private static final By LOGIN = By.cssSelector(".opblock-summary-path[data-path='/api/auth/login']");
  private TestNode node;
  private String docs;

  @BeforeAll
  void start() {
    node = TestNode.start();
    docs = "http://127.0.0.1:" + node.port + "/api/docs/";
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("Swagger UI lists the API's operations on a desktop and on a phone, with nothing in the console")
  void docsRender() throws Exception {
    try (Browser desktop = Browser.desktop(); Browser phone = Browser.phone()) {
      for (Browser b : List.of(desktop, phone)) {
        b.open(docs);
        assertEquals("/api/auth/login", b.text(LOGIN).replace("\u200b", ""));
        // Chromium asks every page's origin for /favicon.ico, which the node does not serve (yet): that 404 is
        // the one entry expected. Swagger UI itself logs nothing.
        List<String> problems = b.consoleProblems();
        assertTrue(problems.stream().allMatch(p -> p.contains("/favicon.ico - Failed to load resource: "
            + "the server responded with a status of 404")), problems.toString());
      }
      assertEquals(List.of(1280L, 1L), script(desktop, "return [window.innerWidth, window.devicePixelRatio]"));
      // screen, not window: a page without <meta name="viewport"> (this one) lays out 980 px wide on a phone.
      assertEquals(List.of(375L, 2L), script(phone, "return [screen.width, window.devicePixelRatio]"));
      Path shot = phone.screenshot("api-docs-phone");
      assertTrue(Files.size(shot) > 20_000 && Files.size(desktop.screenshot("api-docs-desktop")) > 20_000);
    }
  }

  @Test
  @DisplayName("a console error and an inline script the Content-Security-Policy blocks are both reported")
  void consoleProblems() {
    try (Browser b = Browser.desktop()) {
      b.open(docs);
      b.text(LOGIN);
      script(b, """
          console.error('deliberate console error');
          const s = document.createElement('script');
          s.textContent = 'window.inlineRan = true';
          document.head.append(s);""");
      List<String> problems = b.waitUntil(d -> b.consoleProblems().size() >= 2 ? b.consoleProblems() : null,
          Duration.ofSeconds(5), "expected the console error and the CSP refusal in the browser log");
      assertTrue(problems.stream().anyMatch(p -> p.contains("deliberate console error")), problems.toString());
      assertTrue(problems.stream().anyMatch(p -> p.startsWith("SEVERE security")
          && p.contains("inline script violates the following Content Security Policy directive")), problems.toString());
      assertEquals(false, script(b, "return window.inlineRan === true"), "the policy did block it");
      AssertionError e = assertThrows(AssertionError.class, b::assertNoConsoleProblems);
      assertTrue(e.getMessage().contains("deliberate console error"), e.getMessage());
    }
  }

  @Test
  @DisplayName("without JavaScript the docs never render, and the timeout says which page showed what")
  void withoutJavaScript() {
    try (Browser b = Browser.withoutJavaScript()) {
      b.open(docs);
      AssertionError e = assertThrows(AssertionError.class, () -> b.waitFor(LOGIN, Duration.ofSeconds(2)));
      assertTrue(e.getMessage().startsWith("expected to see " + LOGIN + " within 2000 ms"), e.getMessage());
      assertTrue(e.getMessage().contains(docs + " (title \"LiveForum API\") showed: "), e.getMessage());
    }
  }

  @Test
  @DisplayName("the storage dump holds what page scripts can read: both storages and script-visible cookies, not HttpOnly ones")
  void storageDump() {
    try (Browser b = Browser.desktop()) {
      b.open(docs);
      b.driver().manage().addCookie(new Cookie.Builder("hidden", "http-only").isHttpOnly(true).build());
      script(b, "localStorage.setItem('a', '1'); sessionStorage.setItem('b', '2'); document.cookie = 'c=3';");
      assertEquals(Map.of("localStorage.a", "1", "sessionStorage.b", "2", "document.cookie", "c=3"), b.storageDump());
    }
  }

  private static Object script(Browser b, String js) {
    return ((JavascriptExecutor) b.driver()).executeScript(js);
  }
}
