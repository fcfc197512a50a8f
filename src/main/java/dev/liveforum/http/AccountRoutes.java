package dev.liveforum.http;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import dev.liveforum.launch.Config;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

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

  void register(RoutingContext rc) {
    edge.ask(rc, Address.USER_REGISTER, edge.withKey(rc, Edge.body(rc), null)).onSuccess(user -> {
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
   * sessionId}}. A failed future has already been answered (401, 429, 503). Sign-in is limited per client
   * IP (every attempt counts) and per account (failed attempts count), cluster-wide in Redis, whichever
   * route it comes through. The limits fail open: with Redis down, people can still sign in.
   */
  Future<JsonObject> signIn(RoutingContext rc) {
    JsonObject body = Edge.body(rc);
    String ipKey = "login:ip:" + RequestLog.clientIp(rc);
    String accountKey = "login:account:" + Edge.sha256(body.getString(Field.EMAIL).trim().toLowerCase(Locale.ROOT));
    return limit(rc, Address.RATE_LIMIT_HIT, ipKey, auth.loginLimitPerIp())
        .compose(ok -> limit(rc, Address.RATE_LIMIT_CHECK, accountKey, auth.loginLimitPerAccount()))
        .compose(ok -> edge.askQuietly(rc, Address.USER_LOGIN, body))
        .onFailure(t -> {
          if (t instanceof ReplyException re && re.failureCode() == 401) {
            limit(rc, Address.RATE_LIMIT_HIT, accountKey, auth.loginLimitPerAccount())
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

  void updateMe(RoutingContext rc) {
    JsonObject change = Edge.body(rc)
        .put(Field.USER_ID, AccessTokens.userId(rc.user()))
        .put(Field.SESSION_ID, AccessTokens.sessionId(rc.user()));
    edge.ask(rc, Address.USER_UPDATE, change).onSuccess(user -> Edge.json(rc, 200, user));
  }

  /** A new access token for a session from the bus: {@code {accessToken, tokenType, expiresIn}}. */
  JsonObject access(JsonObject session) {
    return new JsonObject()
        .put("accessToken", tokens.issue(session.getJsonObject(Field.USER), session.getString(Field.SESSION_ID)))
        .put("tokenType", "Bearer")
        .put("expiresIn", tokens.ttlSeconds());
  }

  /** Succeeds when allowed (or when the limiter cannot be reached); answers 429 and fails otherwise. */
  private Future<Void> limit(RoutingContext rc, String address, String key, int limit) {
    JsonObject ask = new JsonObject().put(Field.KEY, key).put(Field.LIMIT, limit)
        .put(Field.WINDOW_SECONDS, auth.loginWindowSeconds());
    return edge.askQuietly(rc, address, ask).transform(ar -> {
      if (ar.failed()) {
        log.warn("login rate limit not applied: {} [request {}]", ar.cause().getMessage(), RequestLog.id(rc));
        return Future.succeededFuture();
      }
      if (ar.result().getBoolean(Field.ALLOWED)) {
        return Future.succeededFuture();
      }
      long retry = ar.result().getLong(Field.RETRY_AFTER);
      rc.response().putHeader("Retry-After", String.valueOf(retry));
      Problems.send(rc, 429, "too many login attempts; try again in " + retry + " seconds");
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
