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

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.liveforum.support.Forum.PASSWORD;
import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The browser session: the refresh token in an HttpOnly cookie")
class SessionCookieTest {
  private static final String SESSION = "/api/auth/session";
  private static final String REFRESH = "/api/auth/session/refresh";
  private static final String EVIL = "https://evil.example";
  private static final int FAILED_LOGINS_ALLOWED = 3;

  private TestNode node;
  private Api api;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config()
        .with(Setting.LOGIN_LIMIT_ACCOUNT, FAILED_LOGINS_ALLOWED)
        .with(Setting.REDIS_KEY_PREFIX, "lf-test-" + TestServices.RUN_ID + "-session:"));
    api = new Api(node.port);
  }

  @AfterAll
  void stop() {
    node.close();
  }

  @Test
  @DisplayName("signing in sets lf_session HttpOnly, SameSite=Strict, on its path, for the refresh lifetime, not Secure over plain HTTP; the body has no refresh token")
  void signIn() {
    String name = unique("sam");
    Api.Response r = signIn(newAccount(name), PASSWORD);
    assertEquals(200, r.status(), r.toString());
    SetCookie cookie = SetCookie.of(r);
    assertFalse(cookie.value().isEmpty());
    assertTrue(cookie.has("httponly"), "HttpOnly: " + cookie);
    assertEquals("strict", cookie.get("samesite").toLowerCase(Locale.ROOT), cookie.toString());
    assertEquals(SESSION, cookie.get("path"), cookie.toString());
    assertEquals(String.valueOf(node.config.auth().refreshTtlDays() * 86_400L), cookie.get("max-age"), cookie.toString());
    assertFalse(cookie.has("secure"), "not Secure over plain HTTP: " + cookie);
    assertNull(cookie.get("domain"), "host-only: " + cookie);

    JsonObject body = r.json();
    assertEquals(List.of("accessToken", "tokenType", "expiresIn", "user").stream().sorted().toList(),
        body.fieldNames().stream().sorted().toList(), body.encode());
    assertFalse(r.text().contains(cookie.value()), "the refresh token is only in the cookie");
    assertEquals("Bearer", body.getString("tokenType"));
    assertEquals(name, body.getJsonObject("user").getString("username"));
    assertEquals(200, api.get("/api/users/me", body.getString("accessToken")).status());
  }

  @Test
  @DisplayName("over HTTPS (X-Forwarded-Proto: https from the proxy) the cookie is also Secure, on sign-in, refresh and sign-out")
  void secureBehindProxy() {
    String email = newAccount(unique("tess"));
    Api.Response r = call(HttpMethod.POST, SESSION, null, credentials(email, PASSWORD), "X-Forwarded-Proto", "https");
    assertEquals(200, r.status(), r.toString());
    SetCookie cookie = SetCookie.of(r);
    assertTrue(cookie.has("secure"), cookie.toString());
    Api.Response refreshed = call(HttpMethod.POST, REFRESH, cookie.value(), null, "X-Forwarded-Proto", "https");
    assertEquals(200, refreshed.status(), refreshed.toString());
    assertTrue(SetCookie.of(refreshed).has("secure"), SetCookie.of(refreshed).toString());
    Api.Response out = call(HttpMethod.DELETE, SESSION, SetCookie.of(refreshed).value(), null,
        "X-Forwarded-Proto", "https");
    assertEquals(204, out.status(), out.toString());
    assertTrue(SetCookie.of(out).has("secure"), SetCookie.of(out).toString());
  }

  @Test
  @DisplayName("refreshing with the cookie answers a working access token and the user, and sets a different cookie")
  void refresh() {
    String name = unique("uma");
    SetCookie first = SetCookie.of(signIn(newAccount(name), PASSWORD));
    Api.Response r = call(HttpMethod.POST, REFRESH, first.value(), null);
    assertEquals(200, r.status(), r.toString());
    SetCookie second = SetCookie.of(r);
    assertNotEquals(first.value(), second.value());
    assertEquals(SESSION, second.get("path"));
    assertTrue(second.has("httponly"), second.toString());
    assertNull(r.json().getString("refreshToken"), r.toString());
    JsonObject user = r.json().getJsonObject("user");
    assertEquals(name, user.getString("username"));
    assertEquals("user", user.getString("role"));
    assertTrue(user.getLong("id") > 0);
    Api.Response me = api.get("/api/users/me", r.json().getString("accessToken"));
    assertEquals(200, me.status(), me.toString());
    assertEquals(name, me.json().getString("username"));
    assertEquals(200, call(HttpMethod.POST, REFRESH, second.value(), null).status(), "the new cookie works once");
  }

  @Test
  @DisplayName("replaying a used cookie is 401 with a clearing cookie, and signs out the whole session: the newer cookie fails too")
  void replay() {
    SetCookie first = SetCookie.of(signIn(newAccount(unique("vic")), PASSWORD));
    SetCookie second = SetCookie.of(call(HttpMethod.POST, REFRESH, first.value(), null));

    Api.Response replayed = call(HttpMethod.POST, REFRESH, first.value(), null);
    assertProblem(replayed, 401, "already used");
    assertCleared(replayed);
    Api.Response revoked = call(HttpMethod.POST, REFRESH, second.value(), null);
    assertProblem(revoked, 401, "not valid");
    assertCleared(revoked);
    Api.Response unknown = call(HttpMethod.POST, REFRESH, "never-issued", null);
    assertProblem(unknown, 401, "not valid");
    assertCleared(unknown);
  }

  @Test
  @DisplayName("signing out revokes the session and clears the cookie; again, with an unknown cookie or with none, it is still 204")
  void signOut() {
    SetCookie cookie = SetCookie.of(signIn(newAccount(unique("wes")), PASSWORD));
    Api.Response out = call(HttpMethod.DELETE, SESSION, cookie.value(), null);
    assertEquals(204, out.status(), out.toString());
    assertCleared(out);
    assertProblem(call(HttpMethod.POST, REFRESH, cookie.value(), null), 401, "not valid");

    assertEquals(204, call(HttpMethod.DELETE, SESSION, cookie.value(), null).status());
    assertEquals(204, call(HttpMethod.DELETE, SESSION, "unknown", null).status());
    Api.Response none = call(HttpMethod.DELETE, SESSION, null, null);
    assertEquals(204, none.status(), none.toString());
    assertCleared(none);
  }

  @Test
  @DisplayName("refreshing without the cookie is 401 \"not signed in\"")
  void noCookie() {
    assertProblem(call(HttpMethod.POST, REFRESH, null, null), 401, "not signed in");
    MultiMap others = MultiMap.caseInsensitiveMultiMap().add("Cookie", "theme=dark; lf_other=1");
    assertProblem(api.send(HttpMethod.POST, REFRESH, null, others, null), 401, "not signed in");
  }

  @Test
  @DisplayName("a page of another origin may use none of the three routes (403), and changes nothing; the server's own origin may")
  void origins() {
    String email = newAccount(unique("xena"));
    SetCookie cookie = SetCookie.of(signIn(email, PASSWORD));
    String detail = "requests from origin " + EVIL + " may not use the session cookie";
    assertProblem(call(HttpMethod.POST, SESSION, null, credentials(email, PASSWORD), "Origin", EVIL), 403, detail);
    assertProblem(call(HttpMethod.POST, REFRESH, cookie.value(), null, "Origin", EVIL), 403, detail);
    assertProblem(call(HttpMethod.DELETE, SESSION, cookie.value(), null, "Origin", EVIL), 403, detail);
    // Another port of the same host is another origin.
    assertProblem(call(HttpMethod.POST, REFRESH, cookie.value(), null, "Origin", "http://127.0.0.1:1"), 403,
        "may not use the session cookie");
    assertProblem(call(HttpMethod.POST, REFRESH, cookie.value(), null, "Origin", "null"), 403,
        "may not use the session cookie");

    String own = "http://127.0.0.1:" + node.port;
    Api.Response refreshed = call(HttpMethod.POST, REFRESH, cookie.value(), null, "Origin", own);
    assertEquals(200, refreshed.status(), "the refused requests used nothing up: " + refreshed);
    assertEquals(200, call(HttpMethod.POST, SESSION, null, credentials(email, PASSWORD), "Origin", own).status());
    assertEquals(200, call(HttpMethod.POST, SESSION, null, credentials(email, PASSWORD),
        "Origin", "https://127.0.0.1:" + node.port, "X-Forwarded-Proto", "https").status(), "HTTPS behind a proxy");
    assertProblem(call(HttpMethod.POST, SESSION, null, credentials(email, PASSWORD), "Origin", "https://127.0.0.1:"
        + node.port), 403, "may not use the session cookie");
    assertEquals(204, call(HttpMethod.DELETE, SESSION, SetCookie.of(refreshed).value(), null, "Origin", own).status());
  }

  @Test
  @DisplayName("an origin trusted in http.corsOrigins may use the session, with credentials allowed; others still may not")
  void trustedOrigin() {
    String trusted = "https://ui.forum.example";
    try (TestNode cors = TestNode.start(TestServices.config()
        .with(Setting.HTTP_CORS_ORIGINS, new JsonArray(List.of(trusted))))) {
      Api viaCors = new Api(cors.port);
      String email = unique("yuri").toLowerCase(Locale.ROOT) + "@example.com";
      assertEquals(201, viaCors.post("/api/auth/register", new JsonObject().put("username", email.split("@")[0])
          .put("email", email).put("password", PASSWORD)).status());
      Api.Response r = viaCors.send(HttpMethod.POST, SESSION, null,
          MultiMap.caseInsensitiveMultiMap().add("Origin", trusted), credentials(email, PASSWORD).toBuffer());
      assertEquals(200, r.status(), r.toString());
      assertEquals(trusted, r.headers().get("Access-Control-Allow-Origin"));
      assertEquals("true", r.headers().get("Access-Control-Allow-Credentials"), "the browser may send the cookie");
      Api.Response own = viaCors.send(HttpMethod.POST, REFRESH, null, MultiMap.caseInsensitiveMultiMap()
          .add("Origin", "http://127.0.0.1:" + cors.port).add("Cookie", "lf_session=" + SetCookie.of(r).value()), null);
      assertEquals(200, own.status(), "the server's own pages too: " + own);
      Api.Response evil = viaCors.send(HttpMethod.POST, REFRESH, null, MultiMap.caseInsensitiveMultiMap()
          .add("Origin", EVIL).add("Cookie", "lf_session=" + SetCookie.of(own).value()), null);
      assertProblem(evil, 403, "origin " + EVIL);
    }
  }

  @Test
  @DisplayName("a wrong password is 401 as for login, and failed sign-ins count towards the same per-account limit as login")
  void wrongPasswordAndLimit() {
    String email = newAccount(unique("zoe"));
    Api.Response wrong = signIn(email, "not the password");
    assertProblem(wrong, 401, "email or password is incorrect");
    assertTrue(wrong.headers().getAll("Set-Cookie").isEmpty(), "no cookie: " + wrong.headers());
    for (int i = 1; i < FAILED_LOGINS_ALLOWED; i++) {
      assertProblem(i % 2 == 0 ? signIn(email, "not the password")
          : api.post("/api/auth/login", credentials(email, "not the password")), 401, "incorrect");
    }
    Api.Response limited = signIn(email, PASSWORD);
    assertProblem(limited, 429, "too many login attempts");
    assertTrue(Integer.parseInt(limited.headers().get("Retry-After")) > 0);
    assertProblem(api.post("/api/auth/login", credentials(email, PASSWORD)), 429, "too many login attempts");
    assertProblem(call(HttpMethod.POST, SESSION, null, new JsonObject().put("email", email)), 400, "password");
  }

  @Test
  @DisplayName("REST clients are unchanged: /api/auth/login still answers the refresh token and sets no cookie")
  void restLoginUnchanged() {
    String email = newAccount(unique("abe"));
    Api.Response r = api.post("/api/auth/login", credentials(email, PASSWORD));
    assertEquals(200, r.status(), r.toString());
    assertFalse(r.json().getString("refreshToken", "").isEmpty(), r.toString());
    assertTrue(r.headers().getAll("Set-Cookie").isEmpty(), r.headers().toString());
    Api.Response refreshed = api.post("/api/auth/refresh", new JsonObject()
        .put("refreshToken", r.json().getString("refreshToken")));
    assertEquals(200, refreshed.status(), refreshed.toString());
    assertFalse(refreshed.json().getString("refreshToken", "").isEmpty());
    assertTrue(refreshed.headers().getAll("Set-Cookie").isEmpty());
  }

  private String newAccount(String name) {
    String email = name.toLowerCase(Locale.ROOT) + "@example.com";
    Api.Response r = api.post("/api/auth/register", new JsonObject().put("username", name).put("email", email)
        .put("password", PASSWORD));
    assertEquals(201, r.status(), r.toString());
    return email;
  }

  private Api.Response signIn(String email, String password) {
    return call(HttpMethod.POST, SESSION, null, credentials(email, password));
  }

  private static JsonObject credentials(String email, String password) {
    return new JsonObject().put("email", email).put("password", password);
  }

  /** A request as a browser would send it: the cookie (when given) and header name/value pairs. */
  private Api.Response call(HttpMethod method, String path, String cookie, JsonObject body, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    if (cookie != null) {
      map.add("Cookie", "theme=dark; lf_session=" + cookie);
    }
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return api.send(method, path, null, map, body == null ? null : body.toBuffer());
  }

  private static void assertCleared(Api.Response r) {
    SetCookie cleared = SetCookie.of(r);
    assertEquals("", cleared.value(), cleared.toString());
    assertEquals("0", cleared.get("max-age"), cleared.toString());
    assertEquals(SESSION, cleared.get("path"), "the browser clears the cookie it has only on the same path");
  }

  /** The one {@code lf_session} Set-Cookie of a response; attribute names in lower case. */
  private record SetCookie(String header, String value, Map<String, String> attributes) {
    static SetCookie of(Api.Response r) {
      List<String> all = r.headers().getAll("Set-Cookie").stream().filter(h -> h.startsWith("lf_session=")).toList();
      assertEquals(1, all.size(), "one lf_session cookie: " + r.headers().getAll("Set-Cookie") + " " + r);
      String[] parts = all.get(0).split(";");
      Map<String, String> attributes = new HashMap<>();
      for (int i = 1; i < parts.length; i++) {
        String[] kv = parts[i].trim().split("=", 2);
        attributes.put(kv[0].toLowerCase(Locale.ROOT), kv.length > 1 ? kv[1] : "");
      }
      return new SetCookie(all.get(0), parts[0].substring("lf_session=".length()), attributes);
    }

    boolean has(String attribute) {
      return attributes.containsKey(attribute);
    }

    String get(String attribute) {
      return attributes.get(attribute);
    }

    @Override
    public String toString() {
      return header;
    }
  }
}
