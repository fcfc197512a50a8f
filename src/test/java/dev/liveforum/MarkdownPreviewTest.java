package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Previewing Markdown: POST /api/preview")
class MarkdownPreviewTest {
  private TestNode node;
  private Api api;
  private Forum forum;
  private String token;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
    token = forum.user("pia");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("the preview is the sanitized HTML the post would store: **b** is <strong>, a <script> is inert text")
  void rendersAsStored() {
    String content = "Hello **b** and _i_\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror=alert(3)>";
    Api.Response r = preview(token, content);
    assertEquals(200, r.status(), r.toString());
    String html = r.json().getString("html");
    assertTrue(html.contains("<strong>b</strong>"), html);
    assertTrue(html.contains("<em>i</em>"), html);
    assertFalse(html.contains("<script"), html);
    assertTrue(html.contains("&lt;script&gt;"), "shown as text: " + html);
    assertFalse(html.contains("javascript:"), html);
    assertFalse(html.contains("<img"), html);

    JsonObject post = forum.post(token, forum.board("preview"), "Previewed", content);
    assertEquals(post.getString("contentHtml"), html, "exactly what is stored");
  }

  @Test
  @DisplayName("guests get 401")
  void guests() {
    assertProblem(preview(null, "**b**"), 401, "access token");
  }

  @Test
  @DisplayName("empty, blank, oversized and too deeply nested content is 400, and says why")
  void badContent() {
    assertProblem(preview(token, ""), 400, "content");
    assertProblem(preview(token, "   \n "), 400, "content must be 1 to 40000 characters");
    assertEquals(200, preview(token, "a".repeat(40_000)).status());
    assertProblem(preview(token, "a".repeat(40_001)), 400, "content");
    assertProblem(preview(token, ">".repeat(200) + " deep"), 400, "more than 100 levels deep");
    assertProblem(api.send(HttpMethod.POST, "/api/preview", token, new JsonObject()), 400, "content");
    assertProblem(api.send(HttpMethod.POST, "/api/preview", token, new JsonObject().put("content", "x")
        .put("boardId", 1)), 400, "boardId");
  }

  private Api.Response preview(String token, String content) {
    return api.send(HttpMethod.POST, "/api/preview", token, new JsonObject().put("content", content));
  }
}
