package dev.liveforum.auth;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Instant;

/**
 * Short-lived HS256 access tokens. Each carries {@code typ: access}, so no other token signed with
 * the same secret (whatever its {@code typ}) is ever accepted as one, and {@code sid}, the session
 * (refresh-token family) it was issued for. A token is accepted only while its session is signed in
 * (persistence is asked: a signed token of an account that does not exist, or of a session that logged
 * out, is refused), and carries the account's current role, not the one it was issued with.
 */
public final class AccessTokens implements JWTAuth {
  static final String TYP = "typ";
  static final String ACCESS = "access";
  static final String SESSION = "sid";
  /**
   * When the account was made, in seconds since the epoch: the edge tells a new account (which gets
   * stricter limits) from its token, without a lookup; the time never changes, so a token cannot hold a stale one.
   */
  static final String JOINED = "joined";
  private static final String CLAIMS = "accessToken";

  private final Vertx vertx;
  private final JWTAuth jwt;
  private final int ttlSeconds;
  private final long busTimeoutMs;

  public AccessTokens(Vertx vertx, Config.Auth auth, long busTimeoutMs) {
    this.vertx = vertx;
    this.busTimeoutMs = busTimeoutMs;
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(auth.jwtSecret()))
        .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setLeeway(5)));
    this.ttlSeconds = auth.accessTtlSeconds();
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  /** An access token for {@code user} (as replied by persistence) in session {@code sessionId}. */
  public String issue(JsonObject user, String sessionId) {
    JsonObject claims = new JsonObject()
        .put(TYP, ACCESS)
        .put(SESSION, sessionId)
        .put(Field.ROLE, user.getString(Field.ROLE))
        .put(Field.USERNAME, user.getString(Field.USERNAME));
    String createdAt = user.getString(Field.CREATED_AT);
    if (createdAt != null) {
      claims.put(JOINED, Instant.parse(createdAt).getEpochSecond());
    }
    return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256")
        .setSubject(String.valueOf(user.getLong(Field.ID))).setExpiresInSeconds(ttlSeconds));
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    return jwt.generateToken(claims, options);
  }

  @Override
  public String generateToken(JsonObject claims) {
    return jwt.generateToken(claims);
  }

  /**
   * Verifies signature and expiry, insists on an access token with a subject, an expiry and a session, then
   * on that session being signed in. A failure to ask (no persistence reachable) fails with the bus's
   * {@link io.vertx.core.eventbus.ReplyException}, which the edge answers 503, not 401.
   */
  @Override
  public Future<User> authenticate(Credentials credentials) {
    return jwt.authenticate(credentials).compose(user -> {
      JsonObject claims = user.attributes().getJsonObject(CLAIMS, new JsonObject());
      boolean access = ACCESS.equals(claims.getValue(TYP)) && claims.getValue("exp") instanceof Number
          && claims.getValue("sub") instanceof String sub && sub.matches("[1-9][0-9]{0,18}")
          && claims.getValue(SESSION) instanceof String sid && !sid.isEmpty();
      if (!access) {
        return Future.failedFuture("not an access token");
      }
      return liveRole(userId(user), sessionId(user)).map(role -> {
        claims.put(Field.ROLE, role);
        return user;
      });
    });
  }

  /**
   * The current role of user {@code userId} while session {@code sessionId} is signed in; a 401
   * {@link io.vertx.core.eventbus.ReplyException} once it is not, the bus's own failure when no persistence answers.
   */
  public Future<String> liveRole(long userId, String sessionId) {
    JsonObject session = new JsonObject().put(Field.USER_ID, userId).put(Field.SESSION_ID, sessionId);
    return Bus.request(vertx, Address.SESSION_CHECK, session, null, busTimeoutMs).map(live -> live.getString(Field.ROLE));
  }

  public static long userId(User user) {
    return Long.parseLong(user.attributes().getJsonObject(CLAIMS).getString("sub"));
  }

  public static String sessionId(User user) {
    return user.attributes().getJsonObject(CLAIMS).getString(SESSION);
  }

  public static String username(User user) {
    return user.attributes().getJsonObject(CLAIMS).getString(Field.USERNAME);
  }

  /** When the token expires, in milliseconds since the epoch. */
  public static long expiresAtMs(User user) {
    return user.attributes().getJsonObject(CLAIMS).getLong("exp") * 1000;
  }

  /** When the token's account was made (ms since the epoch); null for a token issued before tokens said so. */
  public static Long joinedAtMs(User user) {
    Object joined = user.attributes().getJsonObject(CLAIMS).getValue(JOINED);
    return joined instanceof Number n ? n.longValue() * 1000 : null;
  }

  public static String role(User user) {
    return user.attributes().getJsonObject(CLAIMS).getString(Field.ROLE);
  }
}
