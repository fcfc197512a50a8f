package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Login attempts are limited per account and per IP, across nodes")
class RateLimitTest {

  @Test
  @DisplayName("after the allowed failed logins an account gets 429 with Retry-After, even with the right password")
  void perAccount() {
    try (TestNode node = TestNode.start(TestServices.config()
        .with(Setting.LOGIN_LIMIT_ACCOUNT, 3)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-acct:"))) {
      Api api = new Api(node.port);
      String name = "mallory_" + TestServices.RUN_ID.substring(0, 6);
      String email = name + "@example.com";
      Forum forum = new Forum(api);
      forum.register(name, "right password");
      JsonObject wrong = new JsonObject().put("email", email).put("password", "wrong password");
      for (int i = 0; i < 3; i++) {
        assertEquals(401, api.post("/api/auth/login", wrong).status());
      }
      Api.Response limited = api.post("/api/auth/login", new JsonObject().put("email", email.toUpperCase())
          .put("password", "right password"));
      assertEquals(429, limited.status(), limited.toString());
      assertEquals("application/problem+json", limited.contentType());
      int retry = Integer.parseInt(limited.headers().get("Retry-After"));
      assertTrue(retry > 0 && retry <= 900, "Retry-After within the window: " + retry);
      assertTrue(limited.json().getString("detail").contains("too many login attempts"));

      // Another account from the same IP is not affected by this account's failures.
      forum.register(name + "_2", "right password");
    }
  }

  @Test
  @DisplayName("one IP gets 429 after the allowed attempts, whichever accounts it tries, on any node")
  void perIpAcrossNodes() {
    var config = TestServices.config()
        .with(Setting.LOGIN_LIMIT_IP, 4)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-ip:");
    try (TestNode a = TestNode.start(config); TestNode b = TestNode.start(config)) {
      Api viaA = new Api(a.port);
      Api viaB = new Api(b.port);
      for (int i = 0; i < 2; i++) {
        assertEquals(401, viaA.post("/api/auth/login", attempt(i)).status());
        assertEquals(401, viaB.post("/api/auth/login", attempt(i + 10)).status());
      }
      Api.Response limited = viaA.post("/api/auth/login", attempt(99));
      assertEquals(429, limited.status(), "the two nodes share one counter in Redis: " + limited);
      assertTrue(Integer.parseInt(limited.headers().get("Retry-After")) > 0);
    }
  }

  private static JsonObject attempt(int i) {
    return new JsonObject().put("email", "spray" + i + "@example.com").put("password", "guess " + i);
  }
}
