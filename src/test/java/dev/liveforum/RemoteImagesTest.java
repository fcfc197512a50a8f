package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Images on other hosts are links unless an admin allows the host, so readers' browsers call no one")
class RemoteImagesTest {
  private static final String CONTENT = "Look ![tracking pixel](https://evil.example/pixel.png) and "
      + "![ours](/api/images/1) and ![cdn](https://images.example/cat.png) and ![sneaky](//evil.example/p.gif)";

  /** Posts {@link #CONTENT} on a fresh board of {@code node} and returns the post's JSON. */
  private static JsonObject postOn(TestNode node) {
    Forum forum = new Forum(new Api(node.port));
    return forum.post(forum.user("author"), forum.board("Pics"), "pictures", CONTENT);
  }

  private static Document page(TestNode node, long postId) {
    Api.Response r = new Api(node.port).get("/posts/" + postId);
    assertEquals(200, r.status(), r.toString());
    return Jsoup.parse(r.text());
  }

  @Test
  @DisplayName("by default a remote image renders as a link to it; the site's own image stays an image")
  void remoteImagesAreLinks() {
    try (TestNode node = TestNode.start()) {
      JsonObject post = postOn(node);
      Document html = Jsoup.parse(post.getString("contentHtml"));
      assertEquals(1, html.select("img").size(), html.html());
      assertEquals("/api/images/1", html.selectFirst("img").attr("src"));
      assertEquals("tracking pixel", html.selectFirst("a[href=https://evil.example/pixel.png]").text());
      assertEquals("sneaky", html.selectFirst("a[href=//evil.example/p.gif]").text());
      assertTrue(html.select("img[src*=example]").isEmpty(), html.html());

      Document page = page(node, post.getLong("id"));
      assertTrue(page.select("img[src*=example]").isEmpty(), "no remote image on the page");
      String csp = new Api(node.port).get("/posts/" + post.getLong("id")).headers().get("Content-Security-Policy");
      assertTrue(csp.contains("img-src 'self' data:;"), csp);

      Api api = new Api(node.port);
      String token = new Forum(api).user("reader");
      Api.Response preview = api.send(HttpMethod.POST, "/api/preview", token, new JsonObject().put("content", CONTENT));
      assertEquals(200, preview.status(), preview.toString());
      assertTrue(Jsoup.parse(preview.json().getString("html")).select("img[src*=example]").isEmpty(), preview.text());
    }
  }

  @Test
  @DisplayName("an allowed host's images are images, and the pages' img-src names that host")
  void allowedHost() {
    Config config = TestServices.config().with(Setting.MARKDOWN_IMAGE_HOSTS, new JsonArray().add("images.example"));
    try (TestNode node = TestNode.start(config)) {
      JsonObject post = postOn(node);
      Document html = Jsoup.parse(post.getString("contentHtml"));
      assertEquals("cdn", html.selectFirst("img[src=https://images.example/cat.png]").attr("alt"));
      assertTrue(html.select("img[src*=evil]").isEmpty(), html.html());
      String csp = new Api(node.port).get("/posts/" + post.getLong("id")).headers().get("Content-Security-Policy");
      assertTrue(csp.contains("img-src 'self' data: images.example;"), csp);
    }
  }

  @Test
  @DisplayName("an allow-list entry that is not a host name is refused at start-up")
  void badHostRefused() {
    Config base = TestServices.config();
    var e = org.junit.jupiter.api.Assertions.assertThrows(Config.ConfigException.class,
        () -> base.with(Setting.MARKDOWN_IMAGE_HOSTS, new JsonArray().add("x.example; script-src *")));
    assertTrue(e.getMessage().contains("markdown.imageHosts"), e.getMessage());
  }
}
