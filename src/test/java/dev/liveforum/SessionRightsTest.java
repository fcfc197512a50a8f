package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Vertx;
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

import java.util.Objects;
import java.util.UUID;

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Rights that end: a private subscription lasts as long as its token and its session, on every bridge of
 * the cluster, and a token is worth nothing once its session or its account is gone. Node A runs every role
 * and issues long-lived tokens; node B (HTTP and bridge) issues tokens that expire within seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Rights end with the token, the session and the account")
class SessionRightsTest {
  private static final int SHORT_TTL_SECONDS = 10;

  private TestNode a;
  private TestNode b;
  private Api apiA;
  private Api apiB;
  private Forum forum;
  private long board;

  @BeforeAll
  void start() {
    Config config = TestServices.config().with(Setting.NOTIFY_FEED_INTERVAL, 200);
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge", "notification", "stats");
    b = TestNode.clustered(config.with(Setting.ACCESS_TTL, SHORT_TTL_SECONDS), "http", "bridge");
    apiA = new Api(a.port);
    apiB = new Api(b.port);
    forum = new Forum(apiA);
    board = forum.board("rights");
  }

  @AfterAll
  void stop() {
    b.close();
    a.close();
  }

  private static JsonObject errorOn(BridgeClient socket, String channel) {
    return socket.await("error on " + channel, f -> "err".equals(f.getString("type")) && channel.equals(f.getString("address")),
        3 * SHORT_TTL_SECONDS);
  }

  @Test
  @DisplayName("a user.<id> subscription ends with its token's expiry, saying so")
  void expiryEndsSubscription() {
    Forum.Member first = forum.member("expiring");
    Forum.Member shortLived = forum.via(apiB).login(first.name());
    String channel = "user." + shortLived.id();
    try (BridgeClient socket = BridgeClient.connect(b.bridgePort)) {
      socket.subscribe(channel, shortLived.token());
      JsonObject err = errorOn(socket, channel);
      assertEquals("token_expired", err.getString("body"), err.encode());
      // Nor can the expired token register it again.
      socket.register(channel, shortLived.token());
      JsonObject again = socket.await("the answer to registering again", f -> channel.equals(f.getString("address")));
      assertEquals("err", again.getString("type"), again.encode());
    }
  }

  @Test
  @DisplayName("a fresh token sent on the socket (a ping carrying it) keeps a user.<id> subscription past the first token's expiry")
  void freshTokenKeepsSubscription() {
    Forum.Member author = forum.member("renewing");
    long post = forum.post(author.token(), board, "Renewed", "kept alive").getLong("id");
    Forum.Member shortLived = forum.via(apiB).login(author.name());
    Forum.Member witness = forum.via(apiB).login(author.name());
    String channel = "user." + author.id();
    try (BridgeClient socket = BridgeClient.connect(b.bridgePort);
         BridgeClient unrenewed = BridgeClient.connect(b.bridgePort)) {
      socket.subscribe(channel, shortLived.token());
      unrenewed.subscribe(channel, witness.token());
      String fresh = apiA.post("/api/auth/refresh", new JsonObject().put("refreshToken", shortLived.refreshToken()))
          .json().getString("accessToken");
      socket.frame(new JsonObject().put("type", "ping").put("headers", new JsonObject().put("Authorization", "Bearer " + fresh)));
      // The witness's token was issued after the first one: once it expired, so did the first.
      assertEquals("token_expired", errorOn(unrenewed, channel).getString("body"));

      Forum.Member commenter = forum.member("commenter");
      assertEquals(201, apiA.send(HttpMethod.POST, "/api/posts/" + post + "/comments", commenter.token(),
          new JsonObject().put("content", "still listening?")).status());
      JsonObject next = socket.await("a notification or an error on " + channel,
          f -> channel.equals(f.getString("address")) && ("err".equals(f.getString("type"))
              || "notification.created".equals(f.getJsonObject("body", new JsonObject()).getString("type"))));
      assertEquals("rec", next.getString("type"), next.encode());
    }
  }

  @Test
  @DisplayName("an admin whose role is taken away loses stats on the socket's next pings, before the token expires")
  void roleLossEndsStats() {
    Forum.Member admin = forum.member("demoted");
    TestDb.update("UPDATE users SET role = 'admin' WHERE id = ?", admin.id());
    try (BridgeClient socket = BridgeClient.connect(b.bridgePort)) {
      socket.subscribe("stats", admin.token());
      TestDb.update("UPDATE users SET role = 'user' WHERE id = ?", admin.id());
      // The client pings as the web UI does (every 5 s there; faster here), carrying no new token.
      JsonObject ended = eventually("stats ends once the role is gone", () -> {
        socket.frame(new JsonObject().put("type", "ping"));
        return socket.drain(500).stream()
            .filter(f -> "err".equals(f.getString("type")) && "stats".equals(f.getString("address")))
            .findFirst().orElse(null);
      }, Objects::nonNull);
      assertEquals("access_denied", ended.getString("body"), ended.encode());
      socket.register("stats", admin.token());
      assertEquals("access_denied", errorOn(socket, "stats").getString("body"), "nor can it register again");
    }
  }

  @Test
  @DisplayName("logout on node A ends the subscription its session holds on node B's bridge")
  void logoutEndsSubscriptionOnOtherNode() {
    Forum.Member user = forum.member("leaving");
    String channel = "user." + user.id();
    try (BridgeClient socket = BridgeClient.connect(b.bridgePort)) {
      socket.subscribe(channel, user.token());
      assertEquals(204, apiA.post("/api/auth/logout", new JsonObject().put("refreshToken", user.refreshToken())).status());
      JsonObject err = errorOn(socket, channel);
      assertEquals("session_ended", err.getString("body"), err.encode());
      socket.register(channel, user.token());
      assertEquals("invalid_token", errorOn(socket, channel).getString("body"), "its access token is refused too");
    }
    assertProblem(apiA.get("/api/users/me", user.token()), 401, "access token");
  }

  @Test
  @DisplayName("a password change on node A ends the subscriptions of the account's other sessions on node B")
  void passwordChangeEndsOtherSessions() {
    Forum.Member phone = forum.member("changing");
    Forum.Member laptop = forum.login(phone.name());
    String channel = "user." + phone.id();
    try (BridgeClient socket = BridgeClient.connect(b.bridgePort)) {
      socket.subscribe(channel, phone.token());
      Api.Response changed = apiA.send(HttpMethod.PATCH, "/api/users/me", laptop.token(), new JsonObject()
          .put("password", "a brand new password").put("currentPassword", Forum.PASSWORD));
      assertEquals(200, changed.status(), changed.toString());
      assertEquals("session_ended", errorOn(socket, channel).getString("body"));
    }
    assertProblem(apiA.get("/api/users/me", phone.token()), 401, "access token");
    assertEquals(200, apiA.get("/api/users/me", laptop.token()).status(), "the session that changed it goes on");
  }

  @Test
  @DisplayName("a validly signed token of a user that does not exist, or of a session never signed in, gets 401 and stores no like")
  void forgedTokensRefused() {
    Forum.Member author = forum.member("liked");
    long post = forum.post(author.token(), board, "Unliked", "nobody").getLong("id");
    Vertx vertx = a.node.vertx();
    JWTAuth sameSecret = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions()
        .setAlgorithm("HS256").setBuffer(TestServices.config().auth().jwtSecret())));
    JsonObject claims = new JsonObject().put("typ", "access").put("sid", UUID.randomUUID().toString())
        .put("role", "admin").put("username", "ghost");
    String ghost = sameSecret.generateToken(claims, new JWTOptions().setSubject("999999").setExpiresInSeconds(600));
    String strayed = sameSecret.generateToken(claims, new JWTOptions().setSubject(String.valueOf(author.id()))
        .setExpiresInSeconds(600));
    for (String forged : new String[] {ghost, strayed}) {
      assertProblem(apiA.send(HttpMethod.PUT, "/api/posts/" + post + "/like", forged, null), 401, "access token");
      assertProblem(apiA.get("/api/users/me", forged), 401, "access token");
      assertProblem(apiA.get("/api/stats/summary", forged), 401, "access token");
    }
    assertEquals(0, apiA.get("/api/posts/" + post).json().getLong("likeCount"), "no like was stored");
  }
}
