package dev.liveforum.http;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.handler.HttpException;
import dev.liveforum.bus.Field;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

/** What every route handler does with the bus and the response. */
final class Edge {
  private final Vertx vertx;
  private final long timeoutMs;
  private final AccessTokens tokens;

  Edge(Vertx vertx, long timeoutMs, AccessTokens tokens) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.tokens = tokens;
  }

  Vertx vertx() {
    return vertx;
  }

  long timeoutMs() {
    return timeoutMs;
  }

  /** Asks another role; a failed future has already been answered to the client as a problem. */
  Future<JsonObject> ask(RoutingContext rc, String address, JsonObject body) {
    return ask(rc, address, body, true);
  }

  /** As {@link #ask(RoutingContext, String, JsonObject)}, but leaves answering a failure to the caller. */
  Future<JsonObject> askQuietly(RoutingContext rc, String address, JsonObject body) {
    return ask(rc, address, body, false);
  }

  private Future<JsonObject> ask(RoutingContext rc, String address, JsonObject body, boolean answerFailure) {
    return Bus.request(vertx, address, body, RequestLog.id(rc), timeoutMs).onFailure(t -> {
      if (answerFailure) {
        if (t instanceof ReplyException re) {
          Problems.fromBus(rc, re);
        } else {
          rc.fail(t);
        }
      }
    });
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
   * Adds who is asking to a command ({@link Field#ACTOR_ID}, {@link Field#ACTOR_ROLE}). Operations that
   * require a user were authenticated by the security handler; on public ones a token is optional,
   * but one that is sent must be valid (a 401 tells the client to refresh it).
   */
  Future<JsonObject> withActor(RoutingContext rc, JsonObject command) {
    Future<User> user;
    String header = rc.request().getHeader("Authorization");
    if (rc.user() != null) {
      user = Future.succeededFuture(rc.user());
    } else if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      user = tokens.authenticate(new TokenCredentials(header.substring(7).trim()))
          .recover(t -> Future.failedFuture(new HttpException(401, t)));
    } else {
      user = Future.succeededFuture();
    }
    return user.map(u -> u == null ? command
            : command.put(Field.ACTOR_ID, AccessTokens.userId(u)).put(Field.ACTOR_ROLE, AccessTokens.role(u)))
        .onFailure(rc::fail);
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
