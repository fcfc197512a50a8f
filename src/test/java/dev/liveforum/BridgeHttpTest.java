package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.UUID;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The bridge port's HTTP side: no frameable transports, security headers, problems not 500s, exact origins")
class BridgeHttpTest {
  private TestNode node;
  private Api bridge;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config());
    bridge = new Api(node.bridgePort);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static String session() {
    return "/eventbus/123/" + UUID.randomUUID().toString().replace("-", "");
  }

  @Test
  @DisplayName("the iframe page, htmlfile and JSONP transports are not served, however the callback looks")
  void frameableTransportsOff() {
    assertProblem(bridge.get("/eventbus/iframe.html"), 404, "iframe transport is off");
    assertProblem(bridge.get("/eventbus/iframe-abc.html"), 404, "iframe transport is off");
    assertProblem(bridge.get(session() + "/htmlfile?c=callback"), 404, "nothing at");
    assertProblem(bridge.get(session() + "/jsonp?c=callback"), 404, "nothing at");
    assertProblem(bridge.get(session() + "/jsonp?c=%3Cscript%3E"), 404, "nothing at");
    assertProblem(bridge.send(HttpMethod.POST, session() + "/jsonp_send", null, null, Buffer.buffer("d=[]")), 404,
        "nothing at");
  }

  @Test
  @DisplayName("every answer of the bridge port forbids framing and sniffing and is not cached")
  void securityHeaders() {
    for (Api.Response r : List.of(bridge.get("/eventbus/info"), bridge.get("/eventbus/iframe.html"),
        bridge.get("/elsewhere"), bridge.send(HttpMethod.POST, session() + "/xhr", null, null, Buffer.buffer()),
        bridge.send(HttpMethod.OPTIONS, "/eventbus/info", null, null, null))) {
      assertEquals("nosniff", r.headers().get("X-Content-Type-Options"), r.toString());
      assertEquals("DENY", r.headers().get("X-Frame-Options"), r.toString());
      assertTrue(r.headers().get("Content-Security-Policy").contains("frame-ancestors 'none'"), r.toString());
      assertEquals("no-store", r.headers().get("Cache-Control"), r.toString());
    }
  }

  @Test
  @DisplayName("a broken or empty xhr_send body and unknown paths are 4xx problems, never a 500 text")
  void badRequestsAreProblems() {
    String session = session();
    Api.Response opened = bridge.send(HttpMethod.POST, session + "/xhr", null, null, Buffer.buffer());
    assertEquals(200, opened.status(), opened.toString());
    assertProblem(bridge.send(HttpMethod.POST, session + "/xhr_send", null, null, Buffer.buffer("not json")), 400,
        "JSON array of frames");
    assertProblem(bridge.send(HttpMethod.POST, session + "/xhr_send", null, null, Buffer.buffer("{\"a\":1}")), 400,
        "JSON array of frames");
    assertProblem(bridge.send(HttpMethod.POST, session + "/xhr_send", null, null, Buffer.buffer()), 400,
        "needs a body");
    assertProblem(bridge.get("/elsewhere"), 404, "nothing at /elsewhere");
    assertProblem(bridge.send(HttpMethod.POST, session + "/xhr_send", null, null,
        Buffer.buffer("[\"" + "x".repeat(200_000) + "\"]")), 413, "");
  }

  @Test
  @DisplayName("origins compare exactly: the pages' port and the bridge's own pass, another port or scheme of the host does not")
  void exactOrigins() {
    int otherPort = TestNode.freePort();
    for (String origin : List.of("http://127.0.0.1:" + otherPort, "https://127.0.0.1:" + node.port,
        "http://127.0.0.1", "http://127.0.0.1.evil.example:" + node.port, "null")) {
      assertThrows(RuntimeException.class, () -> BridgeClient.connect(node.bridgePort, origin), origin);
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Origin", origin);
      assertProblem(bridge.send(HttpMethod.GET, "/eventbus/info", null, headers, null), 403, "may not open");
    }
    for (String origin : List.of("http://127.0.0.1:" + node.port, "http://127.0.0.1:" + node.bridgePort,
        "HTTP://127.0.0.1:" + node.port)) {
      try (BridgeClient client = BridgeClient.connect(node.bridgePort, origin)) {
        assertFalse(client.isClosed(), origin);
      }
    }
  }
}
