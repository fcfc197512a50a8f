package dev.liveforum.http;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.auth.Emails;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/** /api/auth/* and /api/users/me: the edge of the account aggregate. */
final class AccountRoutes {
  private static final Logger log = LoggerFactory.getLogger(AccountRoutes.class);

  private final Edge edge;
  private final AccessTokens tokens;
  private final Config.Auth auth;

  AccountRoutes(Edge edge, AccessTokens tokens, Config.Auth auth) {
    this.edge = edge;
    this.tokens = tokens;
    this.auth = auth;
  }

  /** Limited per client IP (every attempt counts): a flood of sign-ups from one address stops at the limit. */
  void register(RoutingContext rc) {
    JsonObject command = edge.withKey(rc, Edge.body(rc), null).put(Field.ANSWER_WITHIN_MS, edge.timeoutMs());
    limit(rc, Address.RATE_LIMIT_HIT, "register:ip:" + RequestLog.clientIp(rc), auth.registerLimitPerIp(),
        auth.registerWindowSeconds(), "registrations from your address")
        .compose(ok -> edge.ask(rc, Address.USER_REGISTER, command))
        .onSuccess(user -> {
          rc.response().putHeader("Location", "/api/users/" + user.getLong(Field.ID));
          Edge.json(rc, 201, user);
        });
  }

  void login(RoutingContext rc) {
    signIn(rc).onSuccess(session -> Edge.json(rc, 200, access(session)
        .put(Field.REFRESH_TOKEN, session.getString(Field.REFRESH_TOKEN))
        .put(Field.USER, session.getJsonObject(Field.USER))));
  }

  /**
   * Checks the email and password of the request body and starts a session: {@code {user, refreshToken,
   * sessionId}}. A failed future has already been answered (401, 429, 503), whichever route it comes through.
   */
  Future<JsonObject> signIn(RoutingContext rc) {
    JsonObject body = Edge.body(rc);
    return passwordAttempt(rc, body.getString(Field.EMAIL), 401, "login attempts",
        () -> edge.askQuietly(rc, Address.USER_LOGIN, body));
  }

  /**
   * An attempt at an account's password, {@code wrong} the failure code of a wrong one. Limited
   * cluster-wide in Redis per client IP (every attempt counts) and per account and client IP together
   * (wrong passwords count): a guesser is stopped, but cannot lock the owner out, who signs in from
   * another address. The limits fail open: with Redis down, people can still sign in.
   */
  private Future<JsonObject> passwordAttempt(RoutingContext rc, String email, int wrong, String what,
                                             Supplier<Future<JsonObject>> attempt) {
    String ip = RequestLog.clientIp(rc);
    int window = auth.loginWindowSeconds();
    String accountKey = "login:account:" + Edge.sha256(Emails.normalise(email)) + ":" + ip;
    return limit(rc, Address.RATE_LIMIT_HIT, "login:ip:" + ip, auth.loginLimitPerIp(), window, what)
        .compose(ok -> limit(rc, Address.RATE_LIMIT_CHECK, accountKey, auth.loginLimitPerAccount(), window, what))
        .compose(ok -> attempt.get())
        .onFailure(t -> {
          if (t instanceof ReplyException re && re.failureCode() == wrong) {
            limit(rc, Address.RATE_LIMIT_HIT, accountKey, auth.loginLimitPerAccount(), window, what)
                .onComplete(ignored -> Problems.fromBus(rc, re));
          } else if (t instanceof ReplyException re) {
            Problems.fromBus(rc, re);
          } else if (!(t instanceof Limited)) {
            rc.fail(t);
          }
        });
  }

  void refresh(RoutingContext rc) {
    edge.ask(rc, Address.TOKEN_REFRESH, Edge.body(rc)).onSuccess(session -> Edge.json(rc, 200, access(session)
        .put(Field.REFRESH_TOKEN, session.getString(Field.REFRESH_TOKEN))));
  }

  void logout(RoutingContext rc) {
    edge.ask(rc, Address.TOKEN_REVOKE, Edge.body(rc)).onSuccess(ok -> Edge.noContent(rc));
  }

  void me(RoutingContext rc) {
    edge.ask(rc, Address.USER_GET, new JsonObject().put(Field.USER_ID, AccessTokens.userId(rc.user())))
        .onSuccess(user -> Edge.json(rc, 200, user));
  }

  /** A change that gives {@code currentPassword} is a password attempt, limited as sign-in is. */
  void updateMe(RoutingContext rc) {
    Long userId = AccessTokens.userId(rc.user());
    JsonObject change = Edge.body(rc)
        .put(Field.USER_ID, userId)
        .put(Field.SESSION_ID, AccessTokens.sessionId(rc.user()))
        .put(Field.ANSWER_WITHIN_MS, edge.timeoutMs());
    Future<JsonObject> updated = change.getString(Field.CURRENT_PASSWORD) == null
        ? edge.ask(rc, Address.USER_UPDATE, change)
        : edge.ask(rc, Address.USER_GET, new JsonObject().put(Field.USER_ID, userId))
            .compose(me -> passwordAttempt(rc, me.getString(Field.EMAIL), 403, "wrong passwords",
                () -> edge.askQuietly(rc, Address.USER_UPDATE, change)));
    updated.onSuccess(user -> Edge.json(rc, 200, user));
  }

  /** A new access token for a session from the bus: {@code {accessToken, tokenType, expiresIn}}. */
  JsonObject access(JsonObject session) {
    return new JsonObject()
        .put("accessToken", tokens.issue(session.getJsonObject(Field.USER), session.getString(Field.SESSION_ID)))
        .put("tokenType", "Bearer")
        .put("expiresIn", tokens.ttlSeconds());
  }

  /** Succeeds when allowed (or when the limiter cannot be reached); answers 429 and fails otherwise. */
  private Future<Void> limit(RoutingContext rc, String address, String key, int limit, int windowSeconds,
                             String what) {
    JsonObject ask = new JsonObject().put(Field.KEY, key).put(Field.LIMIT, limit)
        .put(Field.WINDOW_SECONDS, windowSeconds);
    return edge.askQuietly(rc, address, ask).transform(ar -> {
      if (ar.failed()) {
        log.warn("rate limit on {} not applied: {} [request {}]", what, ar.cause().getMessage(), RequestLog.id(rc));
        return Future.succeededFuture();
      }
      if (ar.result().getBoolean(Field.ALLOWED)) {
        return Future.succeededFuture();
      }
      long retry = ar.result().getLong(Field.RETRY_AFTER);
      rc.response().putHeader("Retry-After", String.valueOf(retry));
      Problems.send(rc, 429, "too many " + what + "; try again in " + retry + " seconds");
      return Future.failedFuture(new Limited());
    });
  }

  /** The request was already answered with 429. */
  private static final class Limited extends RuntimeException {
    Limited() {
      super("rate limited", null, false, false);
    }
  }
}
