package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.Ui;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
@DisplayName("Writing in the browser: a post composed with a server-rendered preview and an image, then edited with a dropped one")
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

  private static Path png(Path dir, String name, Color colour) throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    Path file = dir.resolve(name);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  /**
   * Drops an image file on the compose form's drop zone as a person dragging it from their desktop
   * would: the file's bytes in a DataTransfer, dragover then drop.
   */
  private static void drop(Browser browser, Path file) throws IOException {
    String base64 = java.util.Base64.getEncoder().encodeToString(java.nio.file.Files.readAllBytes(file));
    ((JavascriptExecutor) browser.driver()).executeScript("""
        const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
        const zone = document.querySelector('[data-drop]');
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));""", base64);
  }

  @Test
  @DisplayName("the preview shows what will be stored, the image uploads with the post, and the post page shows both")
  void composeWithPreviewAndImage(@TempDir Path dir) throws IOException {
    String alice = unique("alice");
    long userId = forum.register(alice).id();
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

      browser.driver().findElement(By.cssSelector("[data-image-input]")).sendKeys(png(dir, "blue.png", new Color(36, 87, 197)).toString());
      browser.waitUntil(d -> d.findElement(By.cssSelector("[data-uploads]")).getText().contains("blue.png"), Ui.LIVE,
          "the picked image listed");
      browser.click(By.cssSelector("[data-compose-form] button[type=submit]"));

      browser.waitUntil(d -> d.getCurrentUrl().matches(".*/posts/\\d+$"), Ui.LIVE, "the new post's page");
      browser.waitFor(By.cssSelector("[data-post-title]"), Ui.LIVE);
      assertEquals("Composed in a browser", browser.text(By.cssSelector("[data-post-title]")));
      assertEquals("bold", browser.text(By.cssSelector("[data-post-content] strong")));
      browser.waitUntil(d -> (Boolean) ((JavascriptExecutor) browser.driver()).executeScript(
          "const i = document.querySelector('.images img'); return !!i && i.complete && i.naturalWidth === 64;"),
          Ui.LIVE, "the uploaded image on the post");

      browser.click(By.cssSelector("[data-edit-post]"));
      browser.waitFor(By.id("compose-title-input"), Ui.LIVE);
      Ui.waitForUser(browser, alice);
      browser.driver().findElement(By.id("compose-title-input")).clear();
      browser.type(By.id("compose-title-input"), "Composed and edited");
      drop(browser, png(dir, "orange.png", new Color(240, 165, 0)));
      browser.waitUntil(d -> d.findElement(By.cssSelector("[data-uploads]")).getText().matches("(?s).*dropped\\.png\\s+uploaded.*"),
          Ui.LIVE, "the dropped image uploaded (an edited post takes images at once)");
      browser.click(By.cssSelector("[data-compose-form] button[type=submit]"));
      browser.waitUntil(d -> d.getCurrentUrl().matches(".*/posts/\\d+$")
          && d.findElements(By.cssSelector("[data-post-title]")).stream().anyMatch(t -> t.getText().equals("Composed and edited")),
          Ui.LIVE, "the edited post");
      assertEquals(2, browser.driver().findElements(By.cssSelector(".images img")).size(), "the picked and the dropped image");
      browser.assertNoConsoleProblems();
      // Each write the page made carried an Idempotency-Key of its own, recorded with the write.
      assertEquals(4, TestDb.count("SELECT COUNT(DISTINCT idem_key) FROM idempotency_keys WHERE scope = ?",
          "user:" + userId), "the post, its two images and its edit");
    }
  }
}
