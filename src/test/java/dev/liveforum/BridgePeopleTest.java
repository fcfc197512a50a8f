package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Bridge: viewers are people (a user once, a guest once per IP), and one IP's sockets are capped")
class BridgePeopleTest {
  private static final int CAP = 3;
  private TestNode node;
  private Forum forum;
  private String alice;
  private long post;

  @BeforeAll
  void start() {
    // The test's clients stand behind a proxy on 127.0.0.1 that tells each one's address.
    Config config = TestServices.config()
        .with(Setting.HTTP_TRUSTED_PROXIES, new JsonArray(List.of("127.0.0.1")))
        .with(Setting.BRIDGE_MAX_SOCKETS_PER_IP, CAP);
    node = TestNode.start(config);
    forum = new Forum(new Api(node.port), config);
    alice = forum.user("alice");
    post = forum.post(alice, forum.board("people"), "People", "body").getLong("id");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private BridgeClient from(String ip) {
    return BridgeClient.connectWith(node.bridgePort, Map.of("X-Forwarded-For", ip));
  }

  @Test
  @DisplayName("three sockets of one user and two of one guest IP are two viewers; a third person makes three")
  void viewersArePeople() {
    String channel = "post." + post;
    List<BridgeClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        BridgeClient tab = from("198.51.100." + (10 + i)); // a user is one viewer from wherever she watches
        tab.subscribe(channel, alice);
        open.add(tab);
      }
      for (int i = 0; i < 2; i++) {
        BridgeClient guestTab = from("198.51.100.20");
        guestTab.subscribe(channel, null);
        open.add(guestTab);
      }
      BridgeClient newcomer = from("198.51.100.30");
      open.add(newcomer);
      newcomer.subscribe(channel, null);
      assertEquals(3, newcomer.event(channel, "presence").getJsonObject("data").getInteger("viewers"),
          "alice, the guest of .20 and the newcomer");
    } finally {
      open.forEach(BridgeClient::close);
    }
  }

  @Test
  @DisplayName("one IP past bridge.maxSocketsPerIp gets too_many_sockets and is closed; other IPs are not affected")
  void socketsPerIpCapped() {
    List<BridgeClient> open = new ArrayList<>();
    try {
      for (int i = 0; i < CAP; i++) {
        BridgeClient socket = from("203.0.113.5");
        socket.subscribe("post." + post, null);
        open.add(socket);
      }
      BridgeClient over = from("203.0.113.5");
      open.add(over);
      assertEquals("too_many_sockets", over.error().getString("body"));
      eventually("the refused socket is closed", over::isClosed);

      BridgeClient elsewhere = from("203.0.113.6");
      open.add(elsewhere);
      elsewhere.subscribe("post." + post, null);

      // A closed socket frees its place.
      open.get(0).close();
      BridgeClient again = eventually("a socket from the IP is taken again once one of its sockets closed", () -> {
        BridgeClient attempt = from("203.0.113.5");
        open.add(attempt);
        attempt.frame(new io.vertx.core.json.JsonObject().put("type", "ping"));
        return attempt.drain(100).stream().noneMatch(f -> "err".equals(f.getString("type"))) ? attempt : null;
      }, Objects::nonNull);
      again.subscribe("post." + post, null);
    } finally {
      open.forEach(BridgeClient::close);
    }
  }
}
