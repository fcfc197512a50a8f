package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("An email means one account however it is spelt: registration, sign-in and the sign-in limit agree")
class LoginEmailTest {
  private static final String PASSWORD = "correct horse battery";
  private static final int WRONG_ALLOWED = 3;

  private TestNode node;
  private Api api;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config()
        .with(Setting.LOGIN_LIMIT_ACCOUNT, WRONG_ALLOWED)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-email:"));
    api = new Api(node.port);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private Api.Response register(String username, String email) {
    return api.post("/api/auth/register", new JsonObject().put("username", username).put("email", email)
        .put("password", PASSWORD));
  }

  private Api.Response login(String email, String password) {
    return api.post("/api/auth/login", new JsonObject().put("email", email).put("password", password));
  }

  @Test
  @DisplayName("registered as ' Alice@Example.COM ' signs in as 'alice@example.com', and the other way round")
  void spellingsSignIn() {
    String alice = unique("alice");
    assertEquals(201, register(alice, " " + alice.toUpperCase() + "@Example.COM ").status());
    Api.Response signedIn = login(alice.toLowerCase() + "@example.com", PASSWORD);
    assertEquals(200, signedIn.status(), signedIn.toString());
    assertEquals(alice.toLowerCase() + "@example.com", signedIn.json().getJsonObject("user").getString("email"));

    String bob = unique("bob");
    assertEquals(201, register(bob, bob.toLowerCase() + "@example.com").status());
    assertEquals(200, login(" " + bob.toUpperCase() + "@Example.COM ", PASSWORD).status());
  }

  @Test
  @DisplayName("wrong passwords under several spellings count against one account; an accented look-alike is another address, not a way round the limit")
  void oneLimitPerAccount() {
    String carol = unique("carol");
    String email = carol.toLowerCase() + "@example.com";
    assertEquals(201, register(carol, email).status());
    String[] spellings = {email, " " + email.toUpperCase() + " ", "\uFF43" + email.substring(1)}; // full-width c
    for (String spelling : spellings) {
      assertEquals(401, login(spelling, "wrong password").status(), spelling);
    }
    Api.Response limited = login("\uFF23" + email.substring(1).toUpperCase(), PASSWORD); // full-width C
    assertProblem(limited, 429, "too many login attempts");
    assertTrue(Integer.parseInt(limited.headers().get("Retry-After")) > 0, limited.toString());

    // The database's collation takes "çarol@" for "carol@"; sign-in does not.
    String lookalike = "\u00E7" + email.substring(1);
    assertProblem(login(lookalike, PASSWORD), 401, "incorrect");
    assertProblem(register(unique("carol"), lookalike), 409, "already exists");
  }
}
