package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("A registration flood cannot take sign-in down, and every registration's answer says what happened")
class RegistrationFloodTest {
  private static final String PASSWORD = "correct horse battery";
  private static final int FLOOD = 40;

  /** Real bcrypt work (tests otherwise hash at cost 4), two threads, one node behind a trusted proxy. */
  private static Config config(String name, int bcryptCost) {
    return TestServices.config()
        .with(Setting.HTTP_TRUSTED_PROXIES, new JsonArray(List.of("127.0.0.1")))
        .with(Setting.BCRYPT_COST, bcryptCost)
        .with(Setting.BCRYPT_THREADS, 2)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-" + name + ":");
  }

  /** {@code count} registrations sent at once, each from an address of its own; each username with its answer. */
  private static Map<String, Api.Response> flood(Api api, String base, int count, Runnable meanwhile) {
    List<String> names = new ArrayList<>();
    List<Future<Api.Response>> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = unique(base);
      names.add(name);
      answers.add(api.as("198.18." + (i / 200) + "." + (i % 200 + 1)).sendAsync(HttpMethod.POST, "/api/auth/register",
          null, null, registration(name).toBuffer()));
    }
    meanwhile.run();
    Future.join(answers).await();
    Map<String, Api.Response> byName = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      byName.put(names.get(i), answers.get(i).result());
    }
    return byName;
  }

  private static JsonObject registration(String name) {
    return new JsonObject().put("username", name).put("email", name.toLowerCase() + "@example.com")
        .put("password", PASSWORD);
  }

  /** Every answer is one of {@code allowed}; an account exists exactly for the 201s. Returns how many were refused. */
  private static int assertOutcomesAgree(Map<String, Api.Response> answers, Set<Integer> allowed) {
    int refused = 0;
    for (var e : answers.entrySet()) {
      Api.Response r = e.getValue();
      assertTrue(allowed.contains(r.status()), e.getKey() + ": " + r);
      long rows = TestDb.count("SELECT COUNT(*) FROM users WHERE username = ?", e.getKey());
      if (r.status() == 201) {
        assertEquals(1, rows, e.getKey() + " was answered 201 and has an account");
      } else {
        assertProblem(r, 503, "nothing was changed");
        assertTrue(r.headers().contains("Retry-After"), r.toString());
        assertEquals(0, rows, e.getKey() + " was refused and has no account");
        refused++;
      }
    }
    return refused;
  }

  @Test
  @DisplayName("during a flood from many addresses every sign-in answers 200; registrations past the bcrypt queue get 503 at once and leave no account")
  void signInDuringFlood() {
    try (TestNode node = TestNode.start(config("flood", 10).with(Setting.BCRYPT_QUEUE, 4))) {
      Api api = new Api(node.port);
      String member = unique("member");
      new Forum(api).register(member);
      Api member1 = api.as("192.0.2.1");
      List<Api.Response> logins = new ArrayList<>();
      Map<String, Api.Response> answers = flood(api, "flood", FLOOD, () -> {
        for (int i = 0; i < 4; i++) {
          logins.add(member1.post("/api/auth/login", new JsonObject()
              .put("email", member.toLowerCase() + "@example.com").put("password", PASSWORD)));
        }
      });
      for (Api.Response login : logins) {
        assertEquals(200, login.status(), "a sign-in during the flood: " + login);
      }
      int refused = assertOutcomesAgree(answers, Set.of(201, 503));
      assertTrue(refused > 0, "the flood filled the bcrypt queue: " + answers.values());
    }
  }

  @Test
  @DisplayName("registrations that waited for bcrypt until their answer would come too late are refused with 503 before anything is written, never created behind a timeout")
  void lateRegistrationsWriteNothing() {
    // An unbounded queue and a short bus timeout: the flood's work outlasts the time the edge waits.
    try (TestNode node = TestNode.start(config("late", 11).with(Setting.BCRYPT_QUEUE, 1000)
        .with(Setting.BUS_TIMEOUT, 3000))) {
      int refused = assertOutcomesAgree(flood(new Api(node.port), "late", FLOOD, () -> {}), Set.of(201, 503));
      assertTrue(refused > 0, "some registrations came too late");
    }
  }

  @Test
  @DisplayName("one address may register a limited number of times: then 429 with Retry-After, and no account")
  void perAddressLimit() {
    try (TestNode node = TestNode.start(config("register-ip", 4).with(Setting.REGISTER_LIMIT_IP, 3))) {
      Api one = new Api(node.port).as("192.0.2.50");
      for (int i = 0; i < 3; i++) {
        assertEquals(201, one.post("/api/auth/register", registration(unique("signup"))).status());
      }
      String name = unique("signup");
      Api.Response limited = one.post("/api/auth/register", registration(name));
      assertProblem(limited, 429, "too many registrations");
      assertTrue(Integer.parseInt(limited.headers().get("Retry-After")) > 0, limited.toString());
      assertEquals(0, TestDb.count("SELECT COUNT(*) FROM users WHERE username = ?", name));
      assertEquals(201, new Api(node.port).as("192.0.2.51").post("/api/auth/register", registration(name)).status(),
          "another address is not held back");
    }
  }
}
