package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.RawConnection;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Connections: header, idle and body deadlines, and caps per client IP and in all, on the HTTP and bridge ports")
class ConnectionLimitsTest {
  private static final int HEADER_SECONDS = 2;
  private static final int IDLE_SECONDS = 4;
  private static final int BODY_SECONDS = 2;
  private static final int BRIDGE_IDLE_SECONDS = 3;
  private static final int PER_IP = 3;
  private static final int TOTAL = 8;
  private static final String PROXY = "127.0.0.9";
  /** How long a test waits for the server to act on one of its deadlines: far more than the deadline. */
  private static final int GRACE = 5;

  private TestNode node;
  private Forum forum;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config()
        .with(Setting.HTTP_HEADER_TIMEOUT, HEADER_SECONDS)
        .with(Setting.HTTP_IDLE_TIMEOUT, IDLE_SECONDS)
        .with(Setting.HTTP_BODY_TIMEOUT, BODY_SECONDS)
        .with(Setting.HTTP_MAX_CONNECTIONS_PER_IP, PER_IP)
        .with(Setting.HTTP_MAX_CONNECTIONS, TOTAL)
        .with(Setting.BRIDGE_IDLE_TIMEOUT, BRIDGE_IDLE_SECONDS)
        .with(Setting.BRIDGE_MAX_CONNECTIONS_PER_IP, PER_IP)
        .with(Setting.BRIDGE_MAX_CONNECTIONS, TOTAL)
        .with(Setting.HTTP_TRUSTED_PROXIES, PROXY));
    forum = new Forum(new Api(node.port));
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  /** A connection from {@code from} whose request was answered 200: the server took it. */
  private static RawConnection answered(String from, int port, String path) {
    RawConnection c = RawConnection.open(from, port);
    Api.Response r = c.send(get(path)).response(30);
    assertEquals(200, r.status(), r.toString());
    return c;
  }

  /**
   * As {@link #answered}, but a connection closed at once is tried again for a while: connections that
   * other tests closed a moment ago may still count toward the total until the server has seen them go.
   */
  private static RawConnection answeredOnceFree(String from, int port, String path) {
    return eventually("a connection from " + from + " to port " + port + " is answered", Duration.ofSeconds(GRACE),
        () -> {
          try {
            return answered(from, port, path);
          } catch (java.io.UncheckedIOException closedAtOnce) {
            return null;
          }
        }, Objects::nonNull);
  }

  /** A connection from {@code from} that the server closes at once, its request never answered. */
  private static boolean refused(String from, int port, String path) {
    try (RawConnection c = RawConnection.open(from, port)) {
      try {
        c.send(get(path));
      } catch (UncheckedIOException e) {
        return true; // closed before the request was even written
      }
      return c.closedWithin(30);
    }
  }

  /** Sends a request's head one line at a time, one every half second; true once the server has closed. */
  private static boolean trickleUntilClosed(int port, String path, int seconds) {
    try (RawConnection c = RawConnection.open(port)) {
      c.send("GET " + path + " HTTP/1.1\r\n");
      for (int i = 0; i < seconds * 2; i++) {
        try {
          c.send("X-Slow-" + i + ": 1\r\n");
        } catch (UncheckedIOException e) {
          return true;
        }
        if (c.closedWithin(1)) {
          return true;
        }
      }
      return false;
    }
  }

  private static void close(List<RawConnection> connections) {
    connections.forEach(RawConnection::close);
    connections.clear();
  }

  /**
   * {@code max} connections from {@code from} (one address, or one each from 127.0.0.{first}…) are taken
   * and the next is refused. Connections that other tests closed a moment ago may still count, so a
   * try that sees fewer taken is repeated once they are gone.
   */
  private static void assertCap(int port, String path, int max, String from, int first) {
    List<RawConnection> open = new ArrayList<>();
    try {
      eventually(max + " connections taken, the next refused", Duration.ofSeconds(30), () -> {
        close(open);
        for (int i = 0; i < max; i++) {
          String address = from != null ? from : "127.0.0." + (first + i);
          try {
            open.add(answered(address, port, path));
          } catch (RuntimeException | AssertionError e) {
            return false;
          }
        }
        return refused(from != null ? from : "127.0.0." + (first + max), port, path);
      }, () -> open.size() + " taken");
    } finally {
      close(open);
    }
  }

  @Test
  @DisplayName("HTTP: headers trickled a line at a time are cut off at the header deadline, as is a connection that sends nothing")
  void slowHeaders() {
    assertTrue(trickleUntilClosed(node.port, "/health/live", HEADER_SECONDS * GRACE));
    try (RawConnection silent = RawConnection.open(node.port)) {
      assertTrue(silent.closedWithin(HEADER_SECONDS * GRACE));
    }
  }

  @Test
  @DisplayName("HTTP: a kept-alive connection that sends no next request is closed")
  void idleKeepAlive() {
    try (RawConnection c = answered("127.0.0.1", node.port, "/health/live")) {
      assertTrue(c.closedWithin(IDLE_SECONDS * GRACE));
    }
  }

  @Test
  @DisplayName("HTTP: an upload whose body stops arriving is answered 408 and closed; the next upload is stored")
  void stalledUpload() {
    String author = forum.user("painter");
    long postId = forum.post(author, forum.board("Stalls"), "Pictures", "look").getLong("id");
    byte[] png = java.util.Base64.getDecoder().decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
    String boundary = "----StallBoundary";
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    String request = "POST /api/posts/" + postId + "/images HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + author + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
        + (head.length + png.length + tail.length) + "\r\n\r\n";
    try (RawConnection c = RawConnection.open(node.port)) {
      c.send(request).send(head);
      Api.Response r = c.response(BODY_SECONDS * GRACE);
      assertProblem(r, 408, "stopped arriving");
      assertEquals("close", r.headers().get("Connection"));
      assertTrue(c.closedWithin(GRACE));
    }
    try (RawConnection c = RawConnection.open(node.port)) {
      Api.Response r = c.send(request).send(head).send(png).send(tail).response(30);
      assertEquals(201, r.status(), r.toString());
    }
  }

  @Test
  @DisplayName("HTTP: one client IP gets its cap of connections and the next is closed at once; other clients still get in")
  void perIpCap() {
    assertCap(node.port, "/health/live", PER_IP, "127.0.0.21", 0);
    try (RawConnection other = answered("127.0.0.22", node.port, "/health/live")) {
      assertFalse(other.closedWithin(1), "another client's connection stays open");
    }
  }

  @Test
  @DisplayName("HTTP: the node takes its cap of connections from everyone, and the next is closed at once")
  void totalCap() {
    assertCap(node.port, "/health/live", TOTAL, null, 31);
  }

  @Test
  @DisplayName("HTTP: a trusted proxy's connections count only toward the total, not as one client's")
  void proxyNotCappedPerIp() {
    List<RawConnection> open = new ArrayList<>();
    try {
      for (int i = 0; i <= PER_IP; i++) {
        open.add(answeredOnceFree(PROXY, node.port, "/health/live"));
      }
    } finally {
      close(open);
    }
  }

  @Test
  @DisplayName("bridge: trickled headers are cut off at the header deadline; an answered connection that stays idle is closed")
  void bridgeDeadlines() {
    assertTrue(trickleUntilClosed(node.bridgePort, "/eventbus/info", HEADER_SECONDS * GRACE));
    try (RawConnection c = answered("127.0.0.1", node.bridgePort, "/eventbus/info")) {
      assertTrue(c.closedWithin(BRIDGE_IDLE_SECONDS * GRACE));
    }
  }

  @Test
  @DisplayName("bridge: a socket outlives the idle deadline of plain connections and still registers")
  void bridgeSocketKept() throws InterruptedException {
    long boardId = forum.board("Kept");
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      Thread.sleep(BRIDGE_IDLE_SECONDS * 2 * 1000L);
      assertFalse(client.isClosed());
      client.subscribe("board." + boardId, null);
    }
  }

  @Test
  @DisplayName("bridge: connections are capped per client IP and in all")
  void bridgeCaps() {
    assertCap(node.bridgePort, "/eventbus/info", PER_IP, "127.0.0.41", 0);
    assertCap(node.bridgePort, "/eventbus/info", TOTAL, null, 51);
  }
}
