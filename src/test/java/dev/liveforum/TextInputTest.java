package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Text that is not clean Unicode in UTF-8 JSON is refused with a 400 that says why")
class TextInputTest {
  private TestNode node;
  private Api api;
  private String author;
  private String admin;
  private long boardId;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    Forum forum = new Forum(api);
    admin = forum.adminToken();
    author = forum.user("writer");
    boardId = forum.board("Texts");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static MultiMap json() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
  }

  /** A post whose JSON body is exactly these bytes. */
  private Api.Response post(byte[] body) {
    return api.send(HttpMethod.POST, "/api/posts", author, json(), Buffer.buffer(body));
  }

  private Api.Response post(String title, String content) {
    return api.send(HttpMethod.POST, "/api/posts", author,
        new JsonObject().put("boardId", boardId).put("title", title).put("content", content));
  }

  private long posts() {
    return TestDb.count("SELECT COUNT(*) FROM posts WHERE board_id = ?", boardId);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a lone surrogate in a title or content is refused, not stored as '?'")
  void loneSurrogates() {
    long before = posts();
    assertProblem(post(utf8("{\"boardId\":" + boardId + ",\"title\":\"a\\ud800b\",\"content\":\"x\"}")),
        400, "title holds a lone UTF-16 surrogate (U+D800)");
    assertProblem(post(utf8("{\"boardId\":" + boardId + ",\"title\":\"t\",\"content\":\"x \\udc00\"}")),
        400, "content holds a lone UTF-16 surrogate (U+DC00)");
    assertEquals(before, posts());
    // A surrogate pair is a character like any other.
    assertEquals(201, post(utf8("{\"boardId\":" + boardId + ",\"title\":\"\\ud83d\\ude00\",\"content\":\"x\"}")).status());
  }

  @Test
  @DisplayName("NUL and other control characters are refused in titles, content and board names; tabs and lines in content are kept")
  void controlCharacters() {
    long before = posts();
    assertProblem(post("a\u0000b", "x"), 400, "title holds the control character U+0000");
    assertProblem(post("t", "bad\u0000content"), 400, "content holds the control character U+0000");
    assertProblem(post("t", "bell\u0007"), 400, "U+0007");
    assertProblem(post("two\nlines", "x"), 400, "one line");
    assertEquals(before, posts());
    assertProblem(api.send(HttpMethod.POST, "/api/boards", admin, new JsonObject().put("name", "Board\u0000" + before)),
        400, "name holds the control character U+0000");
    Api.Response ok = post("fine", "line one\n\tindented\r\nline three");
    assertEquals(201, ok.status(), ok.toString());
    assertEquals("line one\n\tindented\r\nline three", api.get("/api/posts/" + ok.json().getLong("id")).json().getString("content"));
  }

  @Test
  @DisplayName("an overlong or invalid UTF-8 body is refused, never decoded as another character")
  void invalidUtf8() {
    long before = posts();
    // C0 AF is an overlong '/'.
    Buffer overlong = Buffer.buffer("{\"boardId\":" + boardId + ",\"title\":\"a").appendByte((byte) 0xC0)
        .appendByte((byte) 0xAF).appendString("b\",\"content\":\"x\"}");
    assertProblem(post(overlong.getBytes()), 400, "not valid UTF-8");
    Buffer truncated = Buffer.buffer("{\"boardId\":" + boardId + ",\"title\":\"a").appendByte((byte) 0xE2)
        .appendString("\",\"content\":\"x\"}");
    assertProblem(post(truncated.getBytes()), 400, "not valid UTF-8");
    assertEquals(before, posts());
  }

  @Test
  @DisplayName("a JSON body in UTF-16, with or without a byte order mark, is refused: JSON is UTF-8")
  void utf16Refused() {
    long before = posts();
    String body = "{\"boardId\":" + boardId + ",\"title\":\"sixteen\",\"content\":\"x\"}";
    assertProblem(post(body.getBytes(StandardCharsets.UTF_16LE)), 400, "UTF-8");
    assertProblem(post(body.getBytes(StandardCharsets.UTF_16)), 400, "UTF-8");
    assertEquals(before, posts());
  }

  @Test
  @DisplayName("a JSON body naming a key twice is refused")
  void duplicateKeys() {
    long before = posts();
    assertProblem(post(utf8("{\"boardId\":" + boardId + ",\"title\":\"first\",\"title\":\"second\",\"content\":\"x\"}")),
        400, "key twice ('title')");
    assertProblem(api.send(HttpMethod.PATCH, "/api/users/me", author, json(),
        Buffer.buffer("{\"username\":\"a_name\",\"username\":\"other_name\"}")), 400, "key twice");
    assertEquals(before, posts());
  }

  @Test
  @DisplayName("bidirectional overrides and isolates are refused in titles, board names and usernames")
  void bidiControls() {
    long before = posts();
    assertProblem(post("invoice\u202Efdp.exe", "x"), 400, "bidirectional formatting character U+202E");
    assertProblem(post("a\u2066b\u2069", "x"), 400, "U+2066");
    assertEquals(before, posts());
    assertProblem(api.send(HttpMethod.POST, "/api/boards", admin, new JsonObject().put("name", "News\u202A")),
        400, "U+202A");
    Api.Response user = api.post("/api/auth/register", new JsonObject().put("username", "evil\u202Eeve")
        .put("email", unique("bidi") + "@example.com").put("password", Forum.PASSWORD));
    assertProblem(user, 400, "username");
  }

  @Test
  @DisplayName("lengths are counted in code points by contract and code alike: 200 emoji pass, 201 fail with one reason")
  void lengthsInCodePoints() {
    String emoji = "\uD83D\uDE00";
    Api.Response ok = post(emoji.repeat(200), "x");
    assertEquals(201, ok.status(), ok.toString());
    assertEquals(emoji.repeat(200), ok.json().getString("title"));
    Api.Response tooLong = post(emoji.repeat(201), "x");
    assertEquals(400, tooLong.status(), tooLong.toString());
    Api.Response board = api.send(HttpMethod.POST, "/api/boards", admin, new JsonObject().put("name", emoji.repeat(80)));
    assertEquals(201, board.status(), board.toString());
  }
}
