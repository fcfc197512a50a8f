package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.Ui;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Writing in the browser: a post composed with a server-rendered preview and an image, then edited")
class ComposeBrowserTest {
  private TestNode node;
  private Api api;
  private Forum forum;
  private String site;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    site = "http://localhost:" + node.port;
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static Path png(Path dir) throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(36, 87, 197));
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    Path file = dir.resolve("blue.png");
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  @Test
  @DisplayName("the preview shows what will be stored, the image uploads with the post, and the post page shows both")
  void composeWithPreviewAndImage(@TempDir Path dir) throws IOException {
    String alice = unique("alice");
    api.newUser(alice, Forum.PASSWORD);
    long board = forum.board("compose");
    try (Browser browser = Browser.desktop()) {
      Ui.signIn(browser, site, alice);
      browser.open(site + "/new");
      Ui.waitForUser(browser, alice);
      new Select(browser.waitFor(By.id("compose-board"), Ui.LIVE)).selectByValue(String.valueOf(board));
      browser.type(By.id("compose-title-input"), "Composed in a browser");
      browser.type(By.id("compose-content"), "Some **bold** words <script>alert(1)</script>");
      browser.click(By.id("tab-preview"));
      browser.waitUntil(d -> !d.findElements(By.cssSelector("[data-preview] strong")).isEmpty(), Ui.LIVE,
          "the preview with bold text");
      assertEquals("bold", browser.text(By.cssSelector("[data-preview] strong")));
      assertTrue(browser.driver().findElements(By.cssSelector("[data-preview] script")).isEmpty(), "a script in the preview");
      browser.click(By.id("tab-write"));

      browser.driver().findElement(By.cssSelector("[data-image-input]")).sendKeys(png(dir).toString());
      browser.waitUntil(d -> d.findElement(By.cssSelector("[data-uploads]")).getText().contains("blue.png"), Ui.LIVE,
          "the picked image listed");
      browser.click(By.cssSelector("[data-compose-form] button[type=submit]"));

      browser.waitUntil(d -> d.getCurrentUrl().matches(".*/posts/\\d+$"), Ui.LIVE, "the new post's page");
      browser.waitFor(By.cssSelector("[data-post-title]"), Ui.LIVE);
      assertEquals("Composed in a browser", browser.text(By.cssSelector("[data-post-title]")));
      assertEquals("bold", browser.text(By.cssSelector("[data-post-content] strong")));
      browser.waitUntil(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) browser.driver()).executeScript(
          "const i = document.querySelector('.images img'); return !!i && i.complete && i.naturalWidth === 64;"),
          Ui.LIVE, "the uploaded image on the post");

      browser.click(By.cssSelector("[data-edit-post]"));
      browser.waitFor(By.id("compose-title-input"), Ui.LIVE);
      Ui.waitForUser(browser, alice);
      browser.driver().findElement(By.id("compose-title-input")).clear();
      browser.type(By.id("compose-title-input"), "Composed and edited");
      browser.click(By.cssSelector("[data-compose-form] button[type=submit]"));
      browser.waitUntil(d -> d.getCurrentUrl().matches(".*/posts/\\d+$")
          && d.findElements(By.cssSelector("[data-post-title]")).stream().anyMatch(t -> t.getText().equals("Composed and edited")),
          Ui.LIVE, "the edited post");
      browser.assertNoConsoleProblems();
    }
  }
}
