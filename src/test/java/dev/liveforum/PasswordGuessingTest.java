package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.function.Function;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Password guessing is limited per account and address together, and no guesser can lock the owner out")
class PasswordGuessingTest {
  private static final String PASSWORD = "correct horse battery";
  private static final String NEW_PASSWORD = "a brand new password";
  private static final int WRONG_ALLOWED = 3;
  private static final String OWNER_IP = "198.51.100.10";

  private TestNode node;
  private Api api;
  private Forum forum;

  @BeforeAll
  void start() {
    node = TestNode.start(config());
    api = new Api(node.port);
    forum = new Forum(api);
  }

  private static dev.liveforum.config.Config config() {
    return TestServices.config()
        .with(Setting.HTTP_TRUSTED_PROXIES, new JsonArray(List.of("127.0.0.1")))
        .with(Setting.LOGIN_LIMIT_ACCOUNT, WRONG_ALLOWED)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-guess:");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static Api.Response login(Api from, String email, String password) {
    return from.post("/api/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  private static Api.Response changePassword(Api from, String token, String current) {
    return from.send(HttpMethod.PATCH, "/api/users/me", token,
        new JsonObject().put("password", NEW_PASSWORD).put("currentPassword", current));
  }

  private static String storedHash(String username) {
    return TestDb.text("SELECT password_hash FROM users WHERE username = ?", username);
  }

  /** The allowed wrong guesses are refused as {@code wrong}; then even the right password gets 429 with Retry-After. */
  private static void assertStopped(Function<String, Api.Response> attempt, int wrong, String wrongDetail,
                                    String limitedDetail) {
    for (int i = 0; i < WRONG_ALLOWED; i++) {
      assertProblem(attempt.apply("guess " + i), wrong, wrongDetail);
    }
    Api.Response stopped = attempt.apply(PASSWORD);
    assertProblem(stopped, 429, limitedDetail);
    assertTrue(Integer.parseInt(stopped.headers().get("Retry-After")) > 0, stopped.toString());
  }

  @Test
  @DisplayName("a guesser on one address gets 429 after the allowed wrong passwords, while the owner signs in from another")
  void ownerIsNotLockedOut() {
    String name = unique("owner");
    String email = forum.register(name).email();
    Api guesser = api.as("203.0.113.66");
    assertStopped(guess -> login(guesser, email, guess), 401, "incorrect", "too many login attempts");

    Api.Response owner = login(api.as(OWNER_IP), email, PASSWORD);
    assertEquals(200, owner.status(), "the owner elsewhere is not locked out: " + owner);
    assertEquals(429, login(guesser, email, PASSWORD).status(), "the guesser still is");
  }

  @Test
  @DisplayName("wrong current passwords on PATCH /api/users/me count like failed logins, get 429, and never change the password")
  void currentPasswordGuessesAreLimited() {
    String name = unique("stolen");
    JsonObject session = new Forum(api.as(OWNER_IP)).register(name, PASSWORD);
    String email = session.getJsonObject("user").getString("email");
    String token = session.getString("accessToken");
    String hash = storedHash(name);
    Api thief = api.as("203.0.113.77");

    assertStopped(guess -> changePassword(thief, token, guess), 403, "currentPassword is incorrect",
        "too many wrong passwords");
    assertEquals(429, login(thief, email, PASSWORD).status(), "one limit for sign-in and password changes");
    assertEquals(hash, storedHash(name), "the password is unchanged");

    assertEquals(401, login(api.as(OWNER_IP), email, NEW_PASSWORD).status());
    assertEquals(200, login(api.as(OWNER_IP), email, PASSWORD).status());
    Api.Response changed = changePassword(api.as(OWNER_IP), token, PASSWORD);
    assertEquals(200, changed.status(), "the owner, on their own address, changes it: " + changed);
    assertEquals(200, login(api.as(OWNER_IP), email, NEW_PASSWORD).status());
  }

  @Test
  @DisplayName("a wrong current password is refused before the new one is hashed: a node that may hash nothing still answers 403")
  void newPasswordIsNotHashedForAWrongGuess() {
    String name = unique("nohash");
    String token = forum.register(name).token();
    String hash = storedHash(name);
    // Same database and secret, but no new password may wait for bcrypt: any hash is refused with 503.
    try (TestNode noHashing = TestNode.start(config().with(Setting.BCRYPT_QUEUE, 0))) {
      Api other = new Api(noHashing.port).as("203.0.113.88");
      assertProblem(changePassword(other, token, "wrong guess"), 403, "currentPassword is incorrect");
      Api.Response right = changePassword(other, token, PASSWORD);
      assertProblem(right, 503, "nothing was changed");
      assertTrue(right.headers().contains("Retry-After"), right.toString());
    }
    assertEquals(hash, storedHash(name));
  }
}
