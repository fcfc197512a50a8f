package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Accounts and sessions over REST")
class AccountsTest {
  private static final String PASSWORD = Forum.PASSWORD;

  private TestNode node;
  private Api api;
  private Forum forum;

  @BeforeAll
  void start() {
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
  }

  @AfterAll
  void stop() {
    node.close();
  }


  private static JsonObject registration(String username) {
    return new JsonObject().put("username", username).put("email", username.toLowerCase() + "@example.com")
        .put("password", PASSWORD);
  }


  private static void assertNoSecrets(Api.Response r) {
    assertFalse(r.text().contains("$2"), "no bcrypt hash in " + r.text());
    assertFalse(r.text().toLowerCase().contains("password"), "no password field in " + r.text());
  }

  @Test
  @DisplayName("registering returns the public account, never the password or its hash")
  void register() {
    String name = unique("alice");
    Api.Response r = api.post("/api/auth/register", registration(name));
    assertEquals(201, r.status(), r.toString());
    JsonObject user = r.json();
    assertEquals(name, user.getString("username"));
    assertEquals("user", user.getString("role"));
    assertTrue(user.getLong("id") > 0);
    assertTrue(user.getString("createdAt").endsWith("Z"));
    assertEquals("/api/users/" + user.getLong("id"), r.headers().get("Location"));
    assertNoSecrets(r);
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM users WHERE username = ?", name));
  }

  @Test
  @DisplayName("usernames are unique regardless of case, and so are emails")
  void uniqueness() {
    String name = unique("Bob");
    assertEquals(201, api.post("/api/auth/register", registration(name)).status());
    assertProblem(api.post("/api/auth/register", registration(name.toUpperCase())
        .put("email", unique("other") + "@example.com")), 409, "already taken");
    assertProblem(api.post("/api/auth/register", registration(unique("carol"))
        .put("email", name.toUpperCase() + "@EXAMPLE.com")), 409, "email already exists");
  }

  @Test
  @DisplayName("every broken registration gets a 400 that names the problem, and leaves no row")
  void badRegistrations() {
    long before = TestDb.count("SELECT COUNT(*) FROM users");
    String ok = unique("dave");
    assertProblem(api.post("/api/auth/register", registration("ab")), 400, "username");
    assertProblem(api.post("/api/auth/register", registration("a".repeat(31))), 400, "username");
    assertProblem(api.post("/api/auth/register", registration("bad name!")), 400, "username");
    assertProblem(api.post("/api/auth/register", registration(ok).put("email", "not-an-email")), 400, "email");
    assertProblem(api.post("/api/auth/register", registration(ok).put("password", "short")), 400, "password");
    // 37 two-byte characters: within 72 characters, but 74 bytes, more than bcrypt can use
    assertProblem(api.post("/api/auth/register", registration(ok).put("password", "ü".repeat(37))), 400,
        "72 bytes");
    assertProblem(api.post("/api/auth/register", registration(ok).put("password", 12345678)), 400, "password");
    assertProblem(api.post("/api/auth/register", registration(ok).put("isAdmin", true)), 400, "isAdmin");
    assertProblem(api.post("/api/auth/register", registration(ok).put("role", "admin")), 400, "role");
    assertProblem(api.post("/api/auth/register", new JsonObject().put("username", ok)), 400, "required");
    assertProblem(api.post("/api/auth/register", registration(ok).put("username", 1e300)), 400, "username");
    assertProblem(raw("{\"username\": \"x\", "), 400, "can't be decoded");
    assertProblem(raw("[1, 2, 3]"), 400, "object");
    byte[] latin1 = ("{\"username\":\"" + ok + "\",\"email\":\"" + ok + "@example.com\",\"password\":\"caf\u00e9 au lait\"}")
        .getBytes(StandardCharsets.ISO_8859_1);
    assertProblem(api.send(HttpMethod.POST, "/api/auth/register", null, null, Buffer.buffer(latin1)), 400,
        "not valid UTF-8");
    Buffer huge = Buffer.buffer("{\"username\":\"" + "a".repeat(200_000) + "\"}");
    assertProblem(api.send(HttpMethod.POST, "/api/auth/register", null, null, huge), 413, "too large");
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/x-www-form-urlencoded");
    assertProblem(api.send(HttpMethod.POST, "/api/auth/register", null, form, Buffer.buffer("username=" + ok)), 400,
        "not supported");
    assertEquals(before, TestDb.count("SELECT COUNT(*) FROM users"), "no failed registration left a row");
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM users WHERE username = ?", ok));
  }

  private Api.Response raw(String body) {
    return api.send(HttpMethod.POST, "/api/auth/register", null, null, Buffer.buffer(body));
  }

  @Test
  @DisplayName("login returns tokens and the user; a wrong password and an unknown email fail alike")
  void login() {
    String name = unique("erin");
    api.post("/api/auth/register", registration(name));
    Api.Response ok = api.post("/api/auth/login", new JsonObject()
        .put("email", "  " + name.toUpperCase() + "@Example.com ").put("password", PASSWORD));
    assertEquals(200, ok.status(), ok.toString());
    JsonObject body = ok.json();
    assertEquals("Bearer", body.getString("tokenType"));
    assertEquals(900, body.getInteger("expiresIn"));
    assertEquals(name, body.getJsonObject("user").getString("username"));
    assertEquals(name.toLowerCase() + "@example.com", body.getJsonObject("user").getString("email"));
    assertNotEquals(body.getString("accessToken"), body.getString("refreshToken"));
    assertFalse(ok.text().contains("$2"), "no hash in " + ok.text());
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?",
        body.getString("refreshToken").getBytes(StandardCharsets.UTF_8)), "the token itself is never stored");

    Api.Response wrong = api.post("/api/auth/login", new JsonObject().put("email", name + "@example.com")
        .put("password", "not the password"));
    Api.Response unknown = api.post("/api/auth/login", new JsonObject().put("email", unique("nobody") + "@example.com")
        .put("password", PASSWORD));
    assertProblem(wrong, 401, "email or password is incorrect");
    assertProblem(unknown, 401, "email or password is incorrect");
    assertEquals(wrong.json().getString("detail"), unknown.json().getString("detail"));
    assertProblem(api.post("/api/auth/login", new JsonObject().put("email", name + "@example.com")
        .put("password", "ü".repeat(60))), 401, "incorrect");
  }

  @Test
  @DisplayName("GET /api/users/me needs a valid access token: tampered, expired, alg none and refresh-typed ones are refused")
  void me() {
    String name = unique("frank");
    JsonObject session = forum.register(name, PASSWORD);
    String token = session.getString("accessToken");
    Api.Response me = api.get("/api/users/me", token);
    assertEquals(200, me.status(), me.toString());
    assertEquals(name, me.json().getString("username"));
    assertNoSecrets(me);

    assertProblem(api.get("/api/users/me"), 401, "access token");
    assertProblem(api.get("/api/users/me", "not-a-jwt"), 401, "access token");
    assertProblem(api.get("/api/users/me", session.getString("refreshToken")), 401, "access token");

    String[] parts = token.split("\\.");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    String forged = parts[0] + "." + b64(claims.copy().put("role", "admin").encode()) + "." + parts[2];
    assertProblem(api.get("/api/users/me", forged), 401, "access token");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    assertProblem(api.get("/api/users/me", none), 401, "access token");

    JWTAuth sameSecret = JWTAuth.create(node.node.vertx(), new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(TestServices.config().auth().jwtSecret())));
    long now = System.currentTimeMillis() / 1000;
    String expired = sameSecret.generateToken(claims.copy().put("iat", now - 4000).put("exp", now - 3000),
        new JWTOptions().setNoTimestamp(true));
    assertProblem(api.get("/api/users/me", expired), 401, "access token");
    String refreshTyped = sameSecret.generateToken(claims.copy().put("typ", "refresh").put("exp", now + 600),
        new JWTOptions().setNoTimestamp(true));
    assertProblem(api.get("/api/users/me", refreshTyped), 401, "access token");
    String valid = sameSecret.generateToken(claims.copy().put("exp", now + 600), new JWTOptions().setNoTimestamp(true));
    assertEquals(200, api.get("/api/users/me", valid).status(), "the same claims, properly signed, are accepted");
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a refresh token works once; replaying a used one revokes its whole family")
  void refreshRotation() {
    JsonObject session = forum.register(unique("grace"), PASSWORD);
    String first = session.getString("refreshToken");
    Api.Response r1 = refresh(first);
    assertEquals(200, r1.status(), r1.toString());
    String second = r1.json().getString("refreshToken");
    assertNotEquals(first, second);
    assertEquals(200, api.get("/api/users/me", r1.json().getString("accessToken")).status());

    assertProblem(refresh(first), 401, "already used");
    assertProblem(refresh(second), 401, "not valid");
    assertProblem(refresh("never-issued"), 401, "not valid");
    assertProblem(api.post("/api/auth/refresh", new JsonObject()), 400, "refreshToken");
  }

  @Test
  @DisplayName("logout revokes the session; logging out twice or with an unknown token is still 204")
  void logout() {
    JsonObject session = forum.register(unique("heidi"), PASSWORD);
    String token = session.getString("refreshToken");
    assertEquals(204, api.post("/api/auth/logout", new JsonObject().put("refreshToken", token)).status());
    assertProblem(refresh(token), 401, "not valid");
    assertEquals(204, api.post("/api/auth/logout", new JsonObject().put("refreshToken", token)).status());
    assertEquals(204, api.post("/api/auth/logout", new JsonObject().put("refreshToken", "unknown")).status());
  }

  @Test
  @DisplayName("changing the password needs the current one and signs out the other sessions only")
  void changePassword() {
    String name = unique("ivan");
    String email = Forum.email(name);
    JsonObject laptop = forum.register(name, PASSWORD);
    JsonObject phone = forum.login(email, PASSWORD);
    String token = laptop.getString("accessToken");

    assertProblem(patchMe(token, new JsonObject().put("password", "a brand new one")), 400, "currentPassword");
    assertProblem(patchMe(token, new JsonObject().put("password", "a brand new one").put("currentPassword", "wrong!!")),
        403, "currentPassword is incorrect");
    assertProblem(patchMe(token, new JsonObject()), 400, "request body");
    assertProblem(patchMe(null, new JsonObject().put("username", unique("x"))), 401, "access token");

    Api.Response changed = patchMe(token, new JsonObject().put("password", "a brand new one")
        .put("currentPassword", PASSWORD));
    assertEquals(200, changed.status(), changed.toString());
    assertNoSecrets(changed);

    assertProblem(refresh(phone.getString("refreshToken")), 401, "not valid");
    assertEquals(200, refresh(laptop.getString("refreshToken")).status(), "this session stays signed in");
    assertProblem(api.post("/api/auth/login", new JsonObject().put("email", email).put("password", PASSWORD)), 401,
        "incorrect");
    assertEquals(200, api.post("/api/auth/login", new JsonObject().put("email", email)
        .put("password", "a brand new one")).status());
  }

  @Test
  @DisplayName("changing the username checks the rules and uniqueness")
  void changeUsername() {
    String taken = unique("judy");
    api.post("/api/auth/register", registration(taken));
    String token = forum.register(unique("ken"), PASSWORD).getString("accessToken");
    assertProblem(patchMe(token, new JsonObject().put("username", taken.toUpperCase())), 409, "already taken");
    assertProblem(patchMe(token, new JsonObject().put("username", "no spaces")), 400, "username");
    String renamed = unique("kenneth");
    Api.Response ok = patchMe(token, new JsonObject().put("username", renamed));
    assertEquals(200, ok.status(), ok.toString());
    assertEquals(renamed, ok.json().getString("username"));
    assertEquals(renamed, api.get("/api/users/me", token).json().getString("username"));
  }

  @Test
  @DisplayName("make-admin gives an account the admin role from its next sign-in")
  void makeAdmin() throws Exception {
    String name = unique("leo");
    forum.register(name, PASSWORD);
    assertEquals(1, dev.liveforum.persistence.Admins.makeAdmin(TestServices.config().db(), name.toUpperCase()));
    assertEquals(0, dev.liveforum.persistence.Admins.makeAdmin(TestServices.config().db(), unique("ghost")));
    JsonObject session = forum.login(Forum.email(name), PASSWORD);
    assertEquals("admin", session.getJsonObject("user").getString("role"));
  }

  private Api.Response refresh(String token) {
    return api.post("/api/auth/refresh", new JsonObject().put("refreshToken", token));
  }

  private Api.Response patchMe(String token, JsonObject body) {
    return api.send(HttpMethod.PATCH, "/api/users/me", token, body);
  }
}
