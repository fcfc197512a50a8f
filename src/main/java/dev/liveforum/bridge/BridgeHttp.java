package dev.liveforum.bridge;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge port's plain HTTP answers. Nothing it serves may be framed, sniffed or cached, and what goes
 * wrong is said as a small problem document. SockJS answers input it cannot use (broken JSON, no payload)
 * with a bare 500 text: {@link #framesBody} answers such a body first, as the client's fault it is.
 */
final class BridgeHttp {
  private static final Logger log = LoggerFactory.getLogger(BridgeHttp.class);

  private BridgeHttp() {}

  /** The first handler of every request on the bridge port. */
  static void headers(RoutingContext rc) {
    HttpServerResponse response = rc.response();
    response.headersEndHandler(v -> {
      response.headers()
          .set("X-Content-Type-Options", "nosniff")
          .set("X-Frame-Options", "DENY")
          .set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
          .set("Cache-Control", "no-store");
    });
    rc.next();
  }

  /** An {@code xhr_send} body must be what SockJS expects: a JSON array of frames (strings). */
  static void framesBody(RoutingContext rc) {
    String body = rc.body().asString();
    if (body == null || body.isBlank()) {
      refuse(rc, 400, "xhr_send needs a body: a JSON array of frames");
      return;
    }
    try {
      if (Json.decodeValue(body) instanceof JsonArray frames && frames.stream().allMatch(f -> f instanceof String)) {
        rc.next();
        return;
      }
    } catch (DecodeException e) {
      // answered below
    }
    refuse(rc, 400, "xhr_send takes a JSON array of frames (strings)");
  }

  /** A route's or the router's failure: its 4xx as a problem, anything else a 500 problem without details. */
  static void failure(RoutingContext rc) {
    int status = rc.failure() instanceof HttpException e ? e.getStatusCode() : rc.statusCode();
    if (status >= 400 && status < 500) {
      refuse(rc, status, rc.failure() instanceof HttpException e && e.getPayload() != null
          ? e.getPayload() : "the bridge cannot answer this request");
    } else {
      log.error("bridge request {} {} failed", rc.request().method(), rc.request().path(), rc.failure());
      refuse(rc, 500, "the bridge failed to answer this request");
    }
  }

  static void refuse(RoutingContext rc, int status, String detail) {
    if (rc.response().ended() || rc.response().headWritten()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("title", HttpResponseStatus.valueOf(status).reasonPhrase()).put("status", status)
            .put("detail", detail).encode());
  }
}
