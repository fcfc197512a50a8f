package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.liveforum.support.Forum.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many requests at once against one node: the database, not the timing, decides who wins. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Concurrent requests against one node")
class ConcurrencyTest {
  private static final String PASSWORD = "correct horse battery";
  private static final int PARALLEL = 20;

  private TestNode node;
  private Api api;

  @BeforeAll
  void start() {
    // Every registration of a race waits for its hash: the queue holds them all (a flood beyond it is
    // refused at once, which RegistrationFloodTest covers).
    node = TestNode.start(TestServices.config().with(Setting.BCRYPT_QUEUE, PARALLEL));
    api = new Api(node.port);
  }

  @AfterAll
  void stop() {
    node.close();
  }


  /** Sends every request before waiting for any answer; the answers come back in the order sent. */
  private List<Api.Response> all(List<JsonObject> bodies, String path) {
    List<Future<Api.Response>> sent = new ArrayList<>();
    for (JsonObject body : bodies) {
      sent.add(api.sendAsync(HttpMethod.POST, path, null, null, body.toBuffer()));
    }
    Future.join(sent).await();
    return sent.stream().map(Future::result).toList();
  }

  @Test
  @DisplayName("20 simultaneous registrations of one username, in varying letter case: one 201, nineteen 409s, one row")
  void sameUsername() {
    String name = unique("Racer");
    List<String> variants = new ArrayList<>();
    List<JsonObject> bodies = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      String variant = switch (i % 4) {
        case 1 -> name.toUpperCase(Locale.ROOT);
        case 2 -> name.toLowerCase(Locale.ROOT);
        case 3 -> swapCase(name);
        default -> name;
      };
      variants.add(variant);
      bodies.add(new JsonObject().put("username", variant)
          .put("email", name.toLowerCase(Locale.ROOT) + "." + i + "@example.com").put("password", PASSWORD));
    }

    List<Api.Response> responses = all(bodies, "/api/auth/register");

    List<Integer> statuses = responses.stream().map(Api.Response::status).toList();
    assertFalse(statuses.contains(500), "never a 500: " + responses);
    assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "exactly one winner: " + statuses);
    assertEquals(PARALLEL - 1, statuses.stream().filter(s -> s == 409).count(), "everyone else 409: " + statuses);
    for (int i = 0; i < PARALLEL; i++) {
      Api.Response r = responses.get(i);
      if (r.status() == 201) {
        assertEquals(variants.get(i), r.json().getString("username"), "the winner keeps the case it asked for");
        assertTrue(r.json().getLong("id") > 0, r.toString());
      } else {
        assertEquals("application/problem+json", r.contentType(), r.toString());
        assertEquals(409, r.json().getInteger("status"), r.toString());
        assertTrue(r.json().getString("detail").contains("already taken"), "detail says the username is taken: " + r);
      }
    }
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM users WHERE username = ?", name),
        "one row for the name, whatever its case");
  }

  private static String swapCase(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      b.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return b.toString();
  }

  @Test
  @DisplayName("20 simultaneous logins to one account all succeed, each with its own refresh token and session")
  void sameAccount() {
    String name = unique("Sprinter");
    String email = name.toLowerCase(Locale.ROOT) + "@example.com";
    Api.Response registered = api.post("/api/auth/register", new JsonObject().put("username", name)
        .put("email", email).put("password", PASSWORD));
    assertEquals(201, registered.status(), registered.toString());
    long id = registered.json().getLong("id");

    List<JsonObject> bodies = new ArrayList<>();
    for (int i = 0; i < PARALLEL; i++) {
      bodies.add(new JsonObject().put("email", email).put("password", PASSWORD));
    }
    List<Api.Response> responses = all(bodies, "/api/auth/login");

    Set<String> refreshTokens = new HashSet<>();
    Set<String> accessTokens = new HashSet<>();
    for (Api.Response r : responses) {
      assertEquals(200, r.status(), r.toString());
      JsonObject session = r.json();
      assertEquals(id, session.getJsonObject("user").getLong("id"));
      assertNotNull(session.getString("refreshToken"), r.toString());
      refreshTokens.add(session.getString("refreshToken"));
      accessTokens.add(session.getString("accessToken"));
    }
    assertEquals(PARALLEL, refreshTokens.size(), "every login gets its own refresh token");
    assertEquals(PARALLEL, accessTokens.size(), "and its own access token (its own session)");
    assertEquals(PARALLEL, TestDb.count("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ?", id));
    assertEquals(PARALLEL, TestDb.count("SELECT COUNT(DISTINCT family_id) FROM refresh_tokens WHERE user_id = ?", id),
        "each login starts a session of its own");
    for (String token : accessTokens) {
      Api.Response me = api.get("/api/users/me", token);
      assertEquals(200, me.status(), me.toString());
      assertEquals(id, me.json().getLong("id"));
    }
  }
}
