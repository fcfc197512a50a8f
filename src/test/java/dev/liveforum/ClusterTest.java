package dev.liveforum;

import dev.liveforum.bus.Address;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real nodes of one Hazelcast cluster, in this JVM: A serves HTTP only, B runs persistence and
 * cache only, so every request through A crosses the clustered event bus to B.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("A cluster of an HTTP node and a persistence/cache node")
class ClusterTest {
  private static final String PASSWORD = "correct horse battery";
  /** Node A's bus timeout: far below the client's 30 s, so a request that hangs fails as a client timeout. */
  private static final int BUS_TIMEOUT_MS = 2000;

  private TestNode backend;
  private TestNode edge;
  private boolean backendUp;
  private Api api;

  @BeforeAll
  void start() {
    // B first: its persistence role migrates the schema before anything is served.
    backend = TestNode.clustered("persistence", "cache");
    backendUp = true;
    edge = TestNode.clustered(TestServices.config().with(Setting.BUS_TIMEOUT, BUS_TIMEOUT_MS), "http");
    api = new Api(edge.port);
  }

  @AfterAll
  void stop() {
    try {
      if (edge != null) {
        edge.close();
      }
    } finally {
      stopBackend();
    }
  }

  private void stopBackend() {
    if (backend != null && backendUp) {
      backendUp = false;
      backend.close();
    }
  }


  private static JsonObject registration(String username) {
    return new JsonObject().put("username", username).put("email", username.toLowerCase() + "@example.com")
        .put("password", PASSWORD);
  }

  private static JsonObject credentials(String username) {
    return new JsonObject().put("email", username.toLowerCase() + "@example.com").put("password", PASSWORD);
  }

  @Test
  @Order(1)
  @DisplayName("register, login and GET /api/users/me work through the HTTP node, and it reports itself ready")
  void servesThroughTheCluster() {
    Api.Response ready = api.get("/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    JsonObject health = ready.json();
    assertEquals("UP", health.getString("status"), ready.toString());
    assertEquals("UP", health.getJsonObject("checks").getString("database"), ready.toString());
    assertEquals("UP", health.getJsonObject("checks").getString("redis"), ready.toString());
    assertEquals("UP", health.getJsonObject("checks").getString("cluster"), ready.toString());

    String name = unique("Clara");
    Api.Response registered = api.post("/api/auth/register", registration(name));
    assertEquals(201, registered.status(), registered.toString());
    JsonObject user = registered.json();
    long id = user.getLong("id");
    assertTrue(id > 0, registered.toString());
    assertEquals(name, user.getString("username"));
    assertEquals("user", user.getString("role"));
    assertEquals("/api/users/" + id, registered.headers().get("Location"));

    Api.Response login = api.post("/api/auth/login", credentials(name));
    assertEquals(200, login.status(), login.toString());
    JsonObject session = login.json();
    assertEquals("Bearer", session.getString("tokenType"));
    assertNotNull(session.getString("accessToken"), login.toString());
    assertNotNull(session.getString("refreshToken"), login.toString());
    assertEquals(id, session.getJsonObject("user").getLong("id"));
    assertEquals(name, session.getJsonObject("user").getString("username"));

    Api.Response me = api.get("/api/users/me", session.getString("accessToken"));
    assertEquals(200, me.status(), me.toString());
    assertEquals(id, me.json().getLong("id"));
    assertEquals(name, me.json().getString("username"));
    assertEquals(name.toLowerCase() + "@example.com", me.json().getString("email"));
    assertEquals("user", me.json().getString("role"));
    assertFalse(me.text().contains("$2"), "no hash in " + me.text());
  }

  @Test
  @Order(2)
  @DisplayName("a node that says it is up is reached at once: another node's first request to it is answered")
  void upMeansReachable() {
    Vertx fromEdge = edge.node.vertx();
    for (int i = 0; i < 3; i++) {
      try (TestNode stats = TestNode.clustered("stats", "bridge")) {
        ReplyException reply = assertThrows(ReplyException.class,
            () -> fromEdge.eventBus().request(Address.STATS_TODAY, new JsonObject()).await());
        assertEquals(ReplyFailure.RECIPIENT_FAILURE, reply.failureType(),
            "the new node's stats role answered (a guest is refused), not " + reply.failureType());
        assertEquals(401, reply.failureCode());
      }
    }
  }

  @Test
  @Order(3)
  @DisplayName("with the persistence/cache node gone, requests through the HTTP node get a prompt 503, not a hang")
  void backendGone() {
    // A session made while B is up, to try me and refresh with once it is gone.
    String name = unique("Dora");
    assertEquals(201, api.post("/api/auth/register", registration(name)).status());
    Api.Response login = api.post("/api/auth/login", credentials(name));
    assertEquals(200, login.status(), login.toString());
    String access = login.json().getString("accessToken");
    String refresh = login.json().getString("refreshToken");

    stopBackend();

    assertUnavailable("register", () -> api.post("/api/auth/register", registration(unique("Edna"))));
    assertUnavailable("login", () -> api.post("/api/auth/login", credentials(name)));
    assertUnavailable("me", () -> api.get("/api/users/me", access));
    assertUnavailable("refresh", () -> api.post("/api/auth/refresh", new JsonObject().put("refreshToken", refresh)));

    Api.Response ready = api.get("/health/ready");
    assertEquals(503, ready.status(), ready.toString());
    JsonObject health = ready.json();
    assertEquals("DOWN", health.getString("status"), ready.toString());
    assertEquals("DOWN", health.getJsonObject("checks").getString("database"), ready.toString());
    assertEquals("DOWN", health.getJsonObject("checks").getString("redis"), ready.toString());
    assertEquals("UP", health.getJsonObject("checks").getString("cluster"), "A itself is still a member: " + ready);

    Api.Response live = api.get("/health/live");
    assertEquals(200, live.status(), "the HTTP node itself is alive: " + live);
  }

  /**
   * A 503 problem saying a service is unavailable. A hang would surface as the client's 30 s timeout
   * (an exception here), far beyond the bus timeout; the time taken goes into the message only.
   */
  private static void assertUnavailable(String what, Supplier<Api.Response> request) {
    long started = System.nanoTime();
    Api.Response r = request.get();
    String took = what + " answered in " + (System.nanoTime() - started) / 1_000_000 + " ms: " + r;
    System.out.println("[ClusterTest] " + took);
    assertEquals(503, r.status(), took);
    assertEquals("application/problem+json", r.contentType(), took);
    JsonObject problem = r.json();
    assertEquals(503, problem.getInteger("status"), took);
    String detail = problem.getString("detail", "");
    assertTrue(detail.contains("service") && detail.contains("unavailable"),
        "detail should say a service is unavailable: " + took);
    assertNotNull(r.headers().get("Retry-After"), "a 503 says when to retry: " + took);
    assertFalse(r.text().contains("Exception"), "no exception name: " + took);
  }
}
