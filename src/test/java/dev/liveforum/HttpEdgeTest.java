package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The HTTP edge: headers, CORS, docs, health and unknown routes")
class HttpEdgeTest {
  private static final String ALLOWED = "https://forum.example";
  private TestNode node;
  private Api api;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config().with(Setting.HTTP_CORS_ORIGINS, new JsonArray(List.of(ALLOWED))));
    api = new Api(node.port);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("every response carries the security headers and a request id, errors included")
  void securityHeaders() {
    for (Api.Response r : List.of(api.get("/health/live"), api.get("/api/users/me"), api.get("/nowhere"))) {
      assertTrue(r.headers().get("Content-Security-Policy").contains("frame-ancestors 'none'"), r.toString());
      assertEquals("nosniff", r.headers().get("X-Content-Type-Options"));
      assertEquals("DENY", r.headers().get("X-Frame-Options"));
      assertEquals("strict-origin-when-cross-origin", r.headers().get("Referrer-Policy"));
      assertTrue(r.headers().get("X-Request-Id").length() > 8);
    }
    MultiMap given = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "trace-me-42");
    assertEquals("trace-me-42", api.send(HttpMethod.GET, "/health/live", null, given, null).headers().get("X-Request-Id"));
  }

  @Test
  @DisplayName("CORS answers only the configured origins")
  void cors() {
    MultiMap preflight = MultiMap.caseInsensitiveMultiMap().add("Origin", ALLOWED)
        .add("Access-Control-Request-Method", "POST").add("Access-Control-Request-Headers", "content-type");
    Api.Response ok = api.send(HttpMethod.OPTIONS, "/api/auth/login", null, preflight, null);
    assertEquals(ALLOWED, ok.headers().get("Access-Control-Allow-Origin"), ok.toString());

    MultiMap evil = MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.example");
    Api.Response refused = api.send(HttpMethod.GET, "/health/live", null, evil, null);
    assertNull(refused.headers().get("Access-Control-Allow-Origin"), refused.toString());
    assertEquals(403, refused.status(), "a browser from another origin is refused");

    // Browsers send Origin with POSTs from the server's own pages too: not a cross-origin request.
    MultiMap own = MultiMap.caseInsensitiveMultiMap().add("Origin", "http://127.0.0.1:" + node.port);
    Api.Response sameOrigin = api.send(HttpMethod.POST, "/api/auth/login", null, own,
        new JsonObject().put("email", "nobody@example.com").put("password", "guess").toBuffer());
    assertEquals(401, sameOrigin.status(), "reaches the handler: " + sameOrigin);
  }

  @Test
  @DisplayName("unknown paths are 404 and wrong methods 405, as problem+json")
  void unknownRoutes() {
    Api.Response missing = api.get("/api/nothing-here");
    assertEquals(404, missing.status());
    assertEquals("application/problem+json", missing.contentType());
    assertTrue(missing.json().getString("detail").contains("/api/nothing-here"));
    Api.Response method = api.send(HttpMethod.DELETE, "/api/users/me", null, (JsonObject) null);
    assertEquals(405, method.status());
    assertEquals("application/problem+json", method.contentType());
  }

  @Test
  @DisplayName("health: live always, ready when database and Redis answer")
  void health() {
    assertEquals("UP", api.get("/health/live").json().getString("status"));
    Api.Response ready = api.get("/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    assertEquals("UP", ready.json().getJsonObject("checks").getString("database"));
    assertEquals("UP", ready.json().getJsonObject("checks").getString("redis"));
  }

  @Test
  @DisplayName("Swagger UI is served at /api/docs from the webjar, reading the OpenAPI document")
  void docs() {
    assertEquals(302, api.get("/api/docs").status());
    Api.Response page = api.get("/api/docs/");
    assertEquals(200, page.status());
    assertTrue(page.text().contains("swagger-ui-bundle.js"));
    assertTrue(page.text().contains("liveforum-docs.js"));
    Api.Response bundle = api.get("/api/docs/swagger-ui-bundle.js");
    assertEquals(200, bundle.status());
    assertTrue(bundle.body().length() > 100_000, "the real bundle, not a placeholder");
    assertTrue(api.get("/api/docs/liveforum-docs.js").text().contains("/api/openapi.yaml"));
    Api.Response contract = api.get("/api/openapi.yaml");
    assertEquals(200, contract.status());
    assertTrue(contract.text().startsWith("openapi: 3.1"));
    assertTrue(contract.text().contains("application/problem+json"), "the document as written is served");
  }
}
