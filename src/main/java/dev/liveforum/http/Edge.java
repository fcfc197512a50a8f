package dev.liveforum.http;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.auth.RateLimits;
import dev.liveforum.bus.Bus;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.handler.HttpException;
import dev.liveforum.bus.Field;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** What every route handler does with the bus and the response. */
final class Edge {
  /** The request header that makes a write safe to repeat (see persistence/IdempotencyKeys). */
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private final Vertx vertx;
  private final long timeoutMs;
  private final AccessTokens tokens;
  private final RateLimits limits;
  /**
   * Digests of requests are keyed with the cluster's shared secret: every node computes the same one, and
   * a digest stored in the database gives nothing away (a registration's holds its password).
   */
  private final Mac requestDigests;

  Edge(Vertx vertx, long timeoutMs, AccessTokens tokens, RateLimits limits, String secret) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.tokens = tokens;
    this.limits = limits;
    try {
      this.requestDigests = Mac.getInstance("HmacSHA256");
      requestDigests.init(new SecretKeySpec(("idempotency:" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }

  Vertx vertx() {
    return vertx;
  }

  long timeoutMs() {
    return timeoutMs;
  }

  /** The named limits requests are counted against ({@link #limitedWrite}, {@link #limitedRead}). */
  Config.Limits limits() {
    return limits.limits();
  }

  /** Asks another role; a failed future has already been answered to the client as a problem. */
  Future<JsonObject> ask(RoutingContext rc, String address, JsonObject body) {
    return ask(rc, address, body, true);
  }

  /** As {@link #ask(RoutingContext, String, JsonObject)}, but leaves answering a failure to the caller. */
  Future<JsonObject> askQuietly(RoutingContext rc, String address, JsonObject body) {
    return ask(rc, address, body, false);
  }

  /**
   * Asks {@code address}; when no node serves it (none runs that role, or none is ready), asks
   * {@code fallback} instead. A failed future has already been answered to the client as a problem.
   */
  Future<JsonObject> askOr(RoutingContext rc, String address, String fallback, JsonObject body) {
    return ask(rc, address, body, false).recover(t -> {
      if (t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        return ask(rc, fallback, body, true);
      }
      answerFailure(rc, t);
      return Future.failedFuture(t);
    });
  }

  private Future<JsonObject> ask(RoutingContext rc, String address, JsonObject body, boolean answerFailure) {
    return Bus.request(vertx, address, body, RequestLog.id(rc), timeoutMs).onFailure(t -> {
      if (answerFailure) {
        answerFailure(rc, t);
      }
    });
  }

  private static void answerFailure(RoutingContext rc, Throwable t) {
    if (t instanceof ReplyException re) {
      Problems.fromBus(rc, re);
    } else {
      rc.fail(t);
    }
  }

  /** Asks {@code address} on behalf of the signed-in user (if any) and answers with the reply as {@code status}. */
  void relay(RoutingContext rc, String address, JsonObject command, int status) {
    withActor(rc, command).compose(c -> ask(rc, address, c)).onSuccess(reply -> answer(rc, status, reply));
  }

  static void answer(RoutingContext rc, int status, JsonObject reply) {
    if (status == 204) {
      noContent(rc);
    } else {
      json(rc, status, reply);
    }
  }

  /** A path or query parameter, already validated and converted (Long, Integer, String…); null when absent. */
  static Object param(RoutingContext rc, String name) {
    ValidatedRequest request = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    var value = request.getPathParameters().get(name);
    if (value == null || value.isNull()) {
      value = request.getQuery().get(name);
    }
    return value == null || value.isNull() ? null : value.get();
  }

  /** The named parameters the request has, as a command (absent ones left out). */
  static JsonObject params(RoutingContext rc, String... names) {
    JsonObject params = new JsonObject();
    for (String name : names) {
      Object value = param(rc, name);
      if (value != null) {
        params.put(name, value);
      }
    }
    return params;
  }

  static Long id(RoutingContext rc) {
    return ((Number) param(rc, "id")).longValue();
  }

  /**
   * Adds who is asking to a command ({@link Field#ACTOR_ID}, {@link Field#ACTOR_ROLE}), and a write's
   * {@code Idempotency-Key} ({@link #withKey}). Operations that require a user were authenticated by the
   * security handler; on public ones a token is optional, but one that is sent must be valid (a 401 tells
   * the client to refresh it).
   */
  Future<JsonObject> withActor(RoutingContext rc, JsonObject command) {
    return withActor(rc, command, false, List.of());
  }

  /**
   * As {@link #withActor}, once the request is counted against {@code counts} for the user who sends it and
   * for their client IP ({@link RateLimits}): over a limit it is answered 429, a problem naming the action
   * with {@code Retry-After}, and the future fails.
   */
  Future<JsonObject> limitedWrite(RoutingContext rc, JsonObject command, RateLimits.Count... counts) {
    return withActor(rc, command, false, List.of(counts));
  }

  /** As {@link #limitedWrite}, but a signed-in user is counted per user only; a guest per client IP. */
  Future<JsonObject> limitedRead(RoutingContext rc, JsonObject command, RateLimits.Count... counts) {
    return withActor(rc, command, true, List.of(counts));
  }

  private Future<JsonObject> withActor(RoutingContext rc, JsonObject command, boolean ipOfGuestsOnly,
                                       List<RateLimits.Count> counts) {
    Future<User> user = rc.user() != null ? Future.succeededFuture(rc.user()) : bearer(rc);
    return user.compose(u -> counts.isEmpty() ? Future.succeededFuture(u) : admit(rc, u, ipOfGuestsOnly, counts))
        .map(u -> {
          Long userId = u == null ? null : AccessTokens.userId(u);
          withKey(rc, command, userId);
          return u == null ? command
              : command.put(Field.ACTOR_ID, userId).put(Field.ACTOR_ROLE, AccessTokens.role(u));
        })
        .onFailure(t -> {
          if (!(t instanceof Limited)) {
            rc.fail(t);
          }
        });
  }

  /**
   * Counts the request against {@code counts} for {@code user} (null: a guest) and for its client IP: the
   * refusal of one over a limit, null when within them all. Answers nothing.
   */
  Future<RateLimits.Refusal> count(RoutingContext rc, User user, List<RateLimits.Count> counts) {
    return count(rc, user, false, counts);
  }

  private Future<RateLimits.Refusal> count(RoutingContext rc, User user, boolean ipOfGuestsOnly,
                                           List<RateLimits.Count> counts) {
    RateLimits.Who who = new RateLimits.Who(user == null ? null : AccessTokens.userId(user),
        user == null ? null : AccessTokens.joinedAtMs(user),
        user != null && ipOfGuestsOnly ? null : RequestLog.clientIp(rc));
    return limits.count(who, RequestLog.id(rc), counts);
  }

  /** {@code user}, when within the limits; otherwise a failure, the request answered 429. */
  private Future<User> admit(RoutingContext rc, User user, boolean ipOfGuestsOnly, List<RateLimits.Count> counts) {
    return count(rc, user, ipOfGuestsOnly, counts).compose(refusal -> {
      if (refusal == null) {
        return Future.succeededFuture(user);
      }
      Problems.tooMany(rc, refusal.action(), refusal.retryAfterSeconds(), refusal.detail());
      return Future.failedFuture(new Limited());
    });
  }

  /** The request was already answered with 429. */
  private static final class Limited extends RuntimeException {
    Limited() {
      super("rate limited", null, false, false);
    }
  }

  /** Who the request's bearer token says is asking: null without one; a 401 failure when it is not valid. */
  Future<User> bearer(RoutingContext rc) {
    String header = rc.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.succeededFuture();
    }
    return tokens.authenticate(new TokenCredentials(header.substring(7).trim()))
        .recover(t -> Future.failedFuture(new HttpException(401, t)));
  }

  /**
   * Adds a write's {@code Idempotency-Key} header (the contract checked its form) to its command
   * ({@link Field#IDEMPOTENCY}), scoped to the user who sends it, or for a guest to their address (kept
   * only as a digest), with a digest of what is asked: the method, the path and the command as it stands,
   * before who asks is added. Reads, and requests without the header, are left as they are.
   */
  JsonObject withKey(RoutingContext rc, JsonObject command, Long userId) {
    String key = rc.request().getHeader(IDEMPOTENCY_KEY);
    HttpMethod method = rc.request().method();
    if (key == null || method == HttpMethod.GET || method == HttpMethod.HEAD) {
      return command;
    }
    String scope = userId != null ? "user:" + userId
        : "guest:" + sha256(rc.request().remoteAddress().host()).substring(0, 32);
    String digest = HexFormat.of().formatHex(requestDigests.doFinal(
        (method.name() + " " + rc.request().uri() + "\n" + command.encode()).getBytes(StandardCharsets.UTF_8)));
    return command.put(Field.IDEMPOTENCY, new JsonObject()
        .put(Field.SCOPE, scope).put(Field.KEY, key).put(Field.DIGEST, digest));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  /** The request body, already validated against the OpenAPI document. */
  static JsonObject body(RoutingContext rc) {
    ValidatedRequest request = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    return request.getBody().getJsonObject().copy();
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  static void noContent(RoutingContext rc) {
    rc.response().setStatusCode(204).end();
  }
}
