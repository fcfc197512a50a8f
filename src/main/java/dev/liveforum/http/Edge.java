package dev.liveforum.http;

import dev.liveforum.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;

/** What every route handler does with the bus and the response. */
final class Edge {
  private final Vertx vertx;
  private final long timeoutMs;

  Edge(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
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
