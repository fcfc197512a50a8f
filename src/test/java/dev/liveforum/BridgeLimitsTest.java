package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Bridge: bad frames, forbidden addresses, floods and origins are refused; the node stays healthy")
class BridgeLimitsTest {
  private TestNode node;
  private Api api;
  private Forum forum;
  private String alice;
  private long post;

  @BeforeAll
  void start() {
    Config config = TestServices.config()
        .with(Setting.BRIDGE_MAX_HANDLERS, 5)
        .with(Setting.BRIDGE_MAX_FRAME, 1024)
        .with(Setting.BRIDGE_MESSAGE_RATE, 10)
        .with(Setting.BRIDGE_TYPING_INTERVAL, 1000)
        .with(Setting.BRIDGE_PING_TIMEOUT, 5)
        .with(Setting.REALTIME_BACKLOG, 3);
    node = TestNode.start(config);
    api = new Api(node.port);
    forum = new Forum(api, config);
    alice = forum.user("alice");
    post = forum.post(alice, forum.board("limits"), "Limits", "body").getLong("id");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("frames that are not JSON, lack a type or an address, or have an unknown type get an error frame each")
  void malformedFrames() {
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      client.raw("this is not json");
      assertEquals("invalid_json", client.error().getString("body"));
      client.raw("[1,2,3]");
      assertEquals("invalid_json", client.error().getString("body"));
      client.frame(new JsonObject().put("address", "post." + post));
      assertEquals("missing_type", client.error().getString("body"));
      client.frame(new JsonObject().put("type", "register"));
      assertEquals("missing_address", client.error().getString("body"));
      client.frame(new JsonObject().put("type", "explode").put("address", "post." + post));
      assertEquals("invalid_type", client.error().getString("body"));
      client.frame(new JsonObject().put("type", "register").put("address", "post." + "9".repeat(70)));
      assertEquals("max_address_length_reached", client.error().getString("body"));
      // None of that cost the connection.
      client.subscribe("post." + post, null);
    }
  }

  @Test
  @DisplayName("wildcards, internal addresses and anything that is not a channel cannot be registered or sent to")
  void forbiddenAddresses() {
    AtomicInteger leaked = new AtomicInteger();
    MessageConsumer<Object> internal = node.node.vertx().eventBus().consumer("event.comment.created",
        m -> leaked.incrementAndGet());
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      for (String address : List.of("post.*", "post.>", "post", "post.", "post.0", "post.-1", "post.1.2", "#",
          "event.comment.created", "persistence.user.get", "user.*", "board.1 ", "POST.1")) {
        client.register(address, alice);
        JsonObject error = client.error();
        assertEquals("access_denied", error.getString("body"), address);
        assertEquals(address, error.getString("address"));
      }
    }
    // A second connection: the first has used most of its burst allowance.
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      for (String address : List.of("event.comment.created", "persistence.user.get", "post." + post,
          "post." + post + ".typing.x", "bridge.typing")) {
        client.send(address, alice, new JsonObject().put("data", new JsonObject().put("postId", post)));
        assertEquals("access_denied", client.error().getString("body"), address);
        client.frame(new JsonObject().put("type", "publish").put("address", address)
            .put("headers", new JsonObject().put("Authorization", "Bearer " + alice)).put("body", new JsonObject()));
        assertEquals("access_denied", client.error().getString("body"), address);
      }
    } finally {
      internal.unregister().await();
    }
    assertEquals(0, leaked.get(), "nothing a client sent reached an internal address");
  }

  @Test
  @DisplayName("a socket watches at most the configured number of channels")
  void handlerLimit() {
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      for (int i = 1; i <= 5; i++) {
        client.subscribe("board." + (1000 + i), null);
      }
      client.register("board.2000", null);
      assertEquals("max_handlers_reached", client.error().getString("body"));
      client.unregister("board.1001");
      client.subscribe("board.2000", null);
    }
  }

  @Test
  @DisplayName("registering a thousand addresses in a burst is refused and the socket is closed")
  void registrationFlood() {
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      for (int i = 1; i <= 1000 && !client.isClosed(); i++) {
        try {
          client.register("post." + i, null);
        } catch (RuntimeException closedMeanwhile) {
          break;
        }
      }
      client.await("rate_limited", f -> "err".equals(f.getString("type")) && "rate_limited".equals(f.getString("body")));
      eventually("the server closes the socket", client::isClosed);
    }
  }

  @Test
  @DisplayName("typing faster than allowed gets an error frame; a flood of frames closes the socket")
  void typingFlood() {
    String channel = "post." + post;
    try (BridgeClient watcher = BridgeClient.connect(node.bridgePort);
         BridgeClient typist = BridgeClient.connect(node.bridgePort)) {
      watcher.subscribe(channel, null);
      typist.send(channel + ".typing", alice, new JsonObject());
      watcher.event(channel, "typing");
      typist.send(channel + ".typing", alice, new JsonObject());
      assertEquals("typing_too_fast", typist.error().getString("body"));
      for (int i = 0; i < 100 && !typist.isClosed(); i++) {
        try {
          typist.send(channel + ".typing", alice, new JsonObject());
        } catch (RuntimeException closedMeanwhile) {
          break;
        }
      }
      typist.await("rate_limited", f -> "err".equals(f.getString("type")) && "rate_limited".equals(f.getString("body")));
      eventually("the server closes the socket", typist::isClosed);
      List<JsonObject> seen = watcher.drain(1200);
      long typings = seen.stream().filter(f -> "rec".equals(f.getString("type"))
          && "typing".equals(f.getJsonObject("body").getString("type"))).count();
      assertTrue(typings <= 1, "the flood showed at most one more typing signal: " + seen);
    }
  }

  @Test
  @DisplayName("a frame larger than the limit gets an error frame and the socket is closed")
  void hugeFrame() {
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      client.frame(new JsonObject().put("type", "register").put("address", "post." + post)
          .put("headers", new JsonObject().put("padding", "x".repeat(200_000))));
      assertEquals("frame_too_large", client.error().getString("body"));
      eventually("the server closes the socket", client::isClosed);
    }
  }

  @Test
  @DisplayName("a SockJS xhr_send body far over the frame limit is refused before it is read")
  void hugeXhrBody() {
    Api bridge = new Api(node.bridgePort);
    Api.Response r = bridge.send(HttpMethod.POST, "/eventbus/123/abcdef/xhr_send", null, null,
        io.vertx.core.buffer.Buffer.buffer("[\"" + "x".repeat(100_000) + "\"]"));
    assertEquals(413, r.status());
  }

  @Test
  @DisplayName("pages of another origin cannot open the bridge; pages on its own host name can")
  void origins() {
    assertThrows(RuntimeException.class, () -> BridgeClient.connect(node.bridgePort, "https://evil.example"));
    try (BridgeClient sameHost = BridgeClient.connect(node.bridgePort, "http://127.0.0.1:" + node.port)) {
      sameHost.subscribe("post." + post, null);
    }
  }

  @Test
  @DisplayName("a socket that stays silent past the ping timeout is closed; one that pings stays")
  void pingTimeout() {
    try (BridgeClient silent = BridgeClient.connect(node.bridgePort);
         BridgeClient pinging = BridgeClient.connect(node.bridgePort)) {
      pinging.subscribe("post." + post, null);
      eventually("the silent socket is closed", () -> {
        pinging.frame(new JsonObject().put("type", "ping"));
        pinging.drain(500); // a ping every half second, as a client would
        return silent.isClosed();
      });
      assertFalse(pinging.isClosed(), "the pinging socket is still open");
    }
  }

  @Test
  @DisplayName("once more events happened than catching up sends, catching up from before them is 410")
  void backlogIsCapped() {
    long capped = forum.post(alice, forum.board("capped"), "Capped", "body").getLong("id");
    for (int i = 0; i < 4; i++) {
      assertEquals(201, api.send(HttpMethod.POST, "/api/posts/" + capped + "/comments", alice,
          new JsonObject().put("content", "comment " + i)).status());
    }
    JsonObject recent = api.awaitSeq("/api/realtime/post." + capped + "?after=1", 4);
    assertEquals(3, recent.getJsonArray("events").size(), recent.encode());
    Api.Response old = api.get("/api/realtime/post." + capped + "?after=0");
    assertEquals(410, old.status(), old.toString());
    assertTrue(old.json().getString("detail").contains("more than catching up sends (3): reload"), old.toString());
  }

  @Test
  @DisplayName("after every kind of abuse the node still serves everyone else")
  void staysHealthy() {
    malformedFrames();
    hugeFrame();
    try (BridgeClient client = BridgeClient.connect(node.bridgePort)) {
      client.subscribe("post." + post, null);
      api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", alice, new JsonObject().put("content", "still here"));
      assertEquals("still here", client.event("post." + post, "comment.created").getJsonObject("data")
          .getString("content"));
    }
    assertEquals(200, api.get("/health/ready").status());
  }
}
