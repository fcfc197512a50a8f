package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.JsBridgeClient;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a browser gets from the bridge through the official {@code @vertx/eventbus-bridge-client.js} over
 * SockJS (run in Node.js), rather than through hand-written frames.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Bridge with the official JS client: events, errors, typing and pings work over every SockJS transport")
class BridgeJsClientTest {
  /** Short, so a silent client is seen closed within seconds; the clients below ping ten times as often. */
  private static final int PING_TIMEOUT_SECONDS = 5;
  private static final int PING_MS = 500;

  private TestNode node;
  private Api api;
  private Forum forum;
  private long board;
  private String alice;
  private long aliceId;
  private String bob;

  /** Why the official client cannot run here, or null. */
  private String missing;

  @BeforeAll
  void start() {
    missing = JsBridgeClient.unavailable();
    if (missing != null) {
      return;
    }
    Config config = TestServices.config().with(Setting.BRIDGE_PING_TIMEOUT, PING_TIMEOUT_SECONDS);
    node = TestNode.start(config);
    api = new Api(node.port);
    forum = new Forum(api, config);
    board = forum.board("js");
    Forum.Member member = forum.member("alice");
    alice = member.token();
    aliceId = member.id();
    bob = forum.user("bob");
  }

  /** Per test rather than in start(): surefire reports a class skipped in @BeforeAll as no tests at all. */
  @BeforeEach
  void needsNode() {
    Assumptions.assumeTrue(missing == null, missing);
  }

  @AfterAll
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private long post(String title) {
    return forum.post(alice, board, title, "Body of " + title).getLong("id");
  }

  private JsonObject comment(long post, String text) {
    return forum.comment(bob, post, null, text);
  }

  private JsBridgeClient connect(String token, String transport) {
    return JsBridgeClient.connect(node.bridgePort, token, transport, PING_MS);
  }

  @Test
  @DisplayName("left to choose, the client settles on WebSocket, gets subscribed with the channel's seq, then a REST comment")
  void websocketByDefault() {
    long post = post("Default transport");
    comment(post, "before anyone watched");
    try (JsBridgeClient client = connect(alice, null)) {
      assertEquals("websocket", client.transport());
      JsonObject subscribed = client.subscribe("post." + post);
      assertEquals(1L, subscribed.getLong("seq"), subscribed.encode());

      JsonObject made = comment(post, "Hello **official** client");
      JsonObject event = client.event("post." + post, "comment.created");
      assertEquals(2L, event.getLong("seq"), event.encode());
      assertNotNull(event.getString("at"));
      JsonObject data = event.getJsonObject("data");
      assertEquals(made.getLong("id"), data.getLong("commentId"));
      assertTrue(data.getString("contentHtml").contains("<strong>official</strong>"), data.encode());
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"websocket", "xhr-streaming", "xhr-polling", "eventsource"})
  @DisplayName("forced onto one SockJS transport, the client still gets subscribed, comments and typing")
  void everyTransport(String transport) {
    long post = post("Over " + transport);
    String channel = "post." + post;
    try (JsBridgeClient client = connect(alice, transport)) {
      assertEquals(transport, client.transport());
      client.subscribe(channel);
      JsonObject made = comment(post, "over " + transport);
      assertEquals(made.getLong("id"),
          client.event(channel, "comment.created").getJsonObject("data").getLong("commentId"));
      // Frames the client sends travel the same transport (xhr_send for the non-WebSocket ones).
      client.send(channel + ".typing", new JsonObject(), null);
      assertEquals(aliceId, client.event(channel, "typing").getJsonObject("data").getLong("userId"));
    }
  }

  @Test
  @DisplayName("a SockJS poll response says the connection closes after it, so a keep-alive client never reuses it")
  void pollsSayTheyClose() {
    Api.Response poll = new Api(node.bridgePort).send(HttpMethod.POST, "/eventbus/000/" + unique("s") + "/xhr",
        null, null);
    assertEquals(200, poll.status(), poll.toString());
    assertEquals("o", poll.text().trim());
    // Without the header Node's keep-alive agent sent the next xhr_send down the closed connection: the
    // official client then died with "Sending error: http status 0" in about one run of three.
    assertEquals("close", poll.headers().get("Connection"));
  }

  @Test
  @DisplayName("another user's private channel reaches the handler as an error with failureType access_denied")
  void privateChannelRefusedToHandler() {
    String mine = "user." + aliceId;
    try (JsBridgeClient asBob = connect(bob, null);
         JsBridgeClient guest = connect(null, null)) {
      asBob.register(mine, null);
      JsonObject failure = asBob.failure(mine);
      assertEquals("access_denied", failure.getString("failureType"), failure.encode());
      assertTrue(failure.getString("message").contains("another user"), failure.encode());

      guest.register(mine, null);
      assertEquals("access_denied", guest.failure(mine).getString("failureType"));

      // The client keeps a refused handler (a second registerHandler would send nothing), so a retry
      // unregisters first; per-call headers then override the default ones: alice's token opens her channel.
      asBob.unregister(mine);
      asBob.register(mine, new JsonObject().put("Authorization", "Bearer " + alice));
      asBob.event(mine, "subscribed");
      // An error for an address nobody handles goes to eb.onerror, with the bridge's frame as it was sent.
      guest.send("post." + post("Guest typing") + ".typing", new JsonObject(), null);
      JsonObject error = guest.error();
      assertEquals("err", error.getString("type"));
      assertEquals("access_denied", error.getString("failureType"), error.encode());
    }
  }

  @Test
  @DisplayName("eb.send to post.<id>.typing with per-call or default headers reaches another subscriber as that user typing")
  void typingReachesOthers() {
    long post = post("Typing");
    String channel = "post." + post;
    try (JsBridgeClient watcher = connect(null, null);
         JsBridgeClient aliceTyping = connect(alice, null);
         JsBridgeClient bobTyping = connect(null, null)) {
      watcher.subscribe(channel);
      aliceTyping.send(channel + ".typing", new JsonObject(), null);
      JsonObject first = watcher.event(channel, "typing").getJsonObject("data");
      assertEquals(aliceId, first.getLong("userId"));
      assertTrue(first.getString("username").startsWith("alice"), first.encode());

      bobTyping.send(channel + ".typing", new JsonObject(), new JsonObject().put("Authorization", "Bearer " + bob));
      JsonObject second = watcher.event(channel, "typing").getJsonObject("data");
      assertTrue(second.getString("username").startsWith("bob"), second.encode());
      assertFalse(second.getLong("userId").equals(aliceId), second.encode());
    }
  }

  @Test
  @DisplayName("the client's pings keep its connection open past the ping timeout; a client that never pings is closed")
  void pingsKeepTheConnectionOpen() {
    long post = post("Pings");
    String channel = "post." + post;
    try (JsBridgeClient pinging = connect(null, null)) {
      pinging.subscribe(channel);
      try (JsBridgeClient silent = JsBridgeClient.connect(node.bridgePort, null, null, -1)) {
        silent.subscribe(channel);
        // The silent client connected after the pinging one, so once it is closed for silence the pinging
        // one has been connected longer than the timeout.
        silent.closed();
      }
      JsonObject made = comment(post, "still here");
      assertEquals(made.getLong("id"),
          pinging.event(channel, "comment.created").getJsonObject("data").getLong("commentId"));
    }
  }
}
