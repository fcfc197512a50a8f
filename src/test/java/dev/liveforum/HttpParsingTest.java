package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("HTTP parsing: ambiguous framing refused, the decoder's refusals as problems, no h2c, 405 says Allow")
class HttpParsingTest {
  private static final String LOGOUT = "{\"refreshToken\":\"nothing-to-revoke\"}";
  private TestNode node;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config());
  }

  @AfterAll
  void stop() {
    node.close();
  }

  /** What came back on a raw connection: its status line's code, its header block and its body. */
  private record Raw(int status, String head, String body) {
    String header(String name) {
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
          return line.substring(name.length() + 1).strip();
        }
      }
      return null;
    }

    JsonObject problem() {
      assertEquals("application/problem+json", header("Content-Type"), toString());
      return new JsonObject(body);
    }
  }

  /** Sends {@code request} as it is and reads the first response (the server closes after a refusal). */
  private Raw raw(String request) {
    return raw(node.port, request);
  }

  /** As {@link #raw(String)}, to {@code port}. */
  private static Raw raw(int port, String request) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream seen = new ByteArrayOutputStream();
      int headEnd = -1;
      int length = -1;
      while (headEnd < 0 || seen.size() < headEnd + length) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        seen.write(b);
        String text = seen.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0 && text.endsWith("\r\n\r\n")) {
          headEnd = text.length();
          Raw head = new Raw(0, text, "");
          String declared = head.header("Content-Length");
          length = declared == null ? Integer.MAX_VALUE : Integer.parseInt(declared);
        }
      }
      String text = seen.toString(StandardCharsets.UTF_8);
      int split = text.indexOf("\r\n\r\n");
      return new Raw(Integer.parseInt(text.substring(9, 12)), text.substring(0, split), text.substring(split + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String logout(String framingHeaders, String body) {
    return "POST /api/auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + framingHeaders + "\r\n" + body;
  }

  private static String chunked(String body) {
    return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
  }

  @Test
  @DisplayName("plain Content-Length and plain chunked bodies are read")
  void plainFraming() {
    assertEquals(204, raw(logout("Content-Length: " + LOGOUT.length() + "\r\nConnection: close\r\n", LOGOUT)).status());
    assertEquals(204, raw(logout("Transfer-Encoding: chunked\r\nConnection: close\r\n", chunked(LOGOUT))).status());
  }

  @Test
  @DisplayName("a Transfer-Encoding other than exactly chunked, or one next to Content-Length, is 400")
  void ambiguousFraming() {
    Raw xchunked = raw(logout("Transfer-Encoding: xchunked\r\nContent-Length: " + LOGOUT.length() + "\r\n", LOGOUT));
    assertEquals(400, xchunked.status(), xchunked.toString());
    assertTrue(xchunked.problem().getString("detail").contains("Transfer-Encoding must be exactly `chunked`"), xchunked.toString());

    Raw both = raw(logout("Transfer-Encoding: identity\r\nContent-Length: " + LOGOUT.length() + "\r\n", LOGOUT));
    assertEquals(400, both.status(), both.toString());
    // Plain chunked next to a Content-Length: the HTTP decoder would drop the Content-Length and read chunks.
    Raw chunkedAndLength = raw(logout("Transfer-Encoding: chunked\r\nContent-Length: " + LOGOUT.length() + "\r\n",
        chunked(LOGOUT)));
    assertEquals(400, chunkedAndLength.status(), chunkedAndLength.toString());
    assertTrue(chunkedAndLength.problem().getString("detail").contains("not both"), chunkedAndLength.toString());
    assertEquals("close", chunkedAndLength.header("Connection"), chunkedAndLength.toString());

    for (String encoding : new String[] {"gzip, chunked", "chunked\r\nTransfer-Encoding: chunked", "identity"}) {
      Raw r = raw(logout("Transfer-Encoding: " + encoding + "\r\n", chunked(LOGOUT)));
      assertEquals(400, r.status(), encoding + ": " + r);
      assertEquals("close", r.header("Connection"), r.toString());
    }
  }

  @Test
  @DisplayName("the bridge port reads requests as the HTTP port does: ambiguous framing and unreadable requests are problems")
  void bridgeFraming() {
    String frames = "[\"{}\"]";
    String send = "POST /eventbus/123/abcdefgh/xhr_send HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n";
    Raw both = raw(node.bridgePort, send + "Transfer-Encoding: chunked\r\nContent-Length: " + frames.length() + "\r\n\r\n"
        + chunked(frames));
    assertEquals(400, both.status(), both.toString());
    assertTrue(both.problem().getString("detail").contains("not both"), both.toString());
    assertEquals("close", both.header("Connection"), both.toString());

    Raw gzip = raw(node.bridgePort, send + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked(frames));
    assertEquals(400, gzip.status(), gzip.toString());
    assertTrue(gzip.problem().getString("detail").contains("Transfer-Encoding must be exactly `chunked`"), gzip.toString());

    Raw garbage = raw(node.bridgePort, "GET /eventbus/info HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n");
    assertEquals(400, garbage.status(), garbage.toString());
    assertTrue(garbage.problem().getString("detail").contains("not well-formed"), garbage.toString());
  }

  @Test
  @DisplayName("what the HTTP decoder refuses (long URI, large headers, no HTTP) is a problem saying what was wrong")
  void decoderRefusals() {
    Raw longUri = raw("GET /api/boards?" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertEquals(414, longUri.status(), longUri.toString());
    assertTrue(longUri.problem().getString("detail").contains("request line is too long"), longUri.toString());

    Raw bigHeaders = raw("GET /api/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "y".repeat(20_000) + "\r\n\r\n");
    assertEquals(431, bigHeaders.status(), bigHeaders.toString());
    assertTrue(bigHeaders.problem().getString("detail").contains("headers are too large"), bigHeaders.toString());

    Raw garbage = raw("GET /api/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n");
    assertEquals(400, garbage.status(), garbage.toString());
    assertTrue(garbage.problem().getString("detail").contains("not well-formed"), garbage.toString());
  }

  @Test
  @DisplayName("cleartext HTTP/2 is off: no h2c upgrade and no prior-knowledge preface")
  void noH2c() {
    Raw upgrade = raw("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade, HTTP2-Settings\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
    assertEquals(200, upgrade.status(), upgrade.toString());
    assertTrue(upgrade.head().startsWith("HTTP/1.1 200"), upgrade.head());
    // Without h2c the preface is an HTTP/1 request of an unknown version, answered in text, not with HTTP/2 frames.
    Raw preface = raw("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assertTrue(preface.head().startsWith("HTTP/") && preface.status() >= 400, preface.head());
  }

  @Test
  @DisplayName("a 405 names the methods the path allows")
  void allow() {
    Api api = new Api(node.port);
    Api.Response me = api.send(HttpMethod.DELETE, "/api/users/me", null, (JsonObject) null);
    assertEquals(405, me.status(), me.toString());
    assertEquals("GET, PATCH", me.headers().get("Allow"), me.toString());
    Api.Response posts = api.send(HttpMethod.PUT, "/api/posts", null, (JsonObject) null);
    assertEquals(405, posts.status(), posts.toString());
    assertEquals("GET, POST", posts.headers().get("Allow"), posts.toString());
  }
}
