package dev.liveforum.net;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What reaches the router has one meaning: a request whose body length two parties could read differently
 * (a {@code Transfer-Encoding} other than plain {@code chunked}, or one next to a {@code Content-Length})
 * is refused, as is one the HTTP decoder could not read, with a problem saying why. The connection is
 * closed after either: what follows on it cannot be trusted to start a request. Both ports (HTTP and the
 * bridge) put it in front of their routers, with {@link FramingDecoder} in each connection's pipeline.
 */
public final class Framing implements Handler<HttpServerRequest> {
  private static final String PROBLEM = "application/problem+json";
  private final Handler<HttpServerRequest> next;

  /** Hands every request with one meaning to {@code next}. */
  public Framing(Handler<HttpServerRequest> next) {
    this.next = next;
  }

  @Override
  public void handle(HttpServerRequest request) {
    List<String> encodings = request.headers().getAll("Transfer-Encoding");
    if (encodings.isEmpty()) {
      next.handle(request);
    } else if (encodings.size() > 1 || !encodings.get(0).strip().equalsIgnoreCase("chunked")) {
      refuse(request, 400, "Transfer-Encoding must be exactly `chunked`, not " + String.join(", ", encodings));
    } else if (request.headers().contains("Content-Length")) {
      refuse(request, 400, "a request may say Transfer-Encoding or Content-Length, not both");
    } else {
      next.handle(request);
    }
  }

  /** The HTTP decoder's refusals: a line or headers too long, or a request it could not parse. */
  public static void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      refuse(request, 414, "the request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refuse(request, 431, "the request headers are too large");
    } else {
      refuse(request, 400, "the request is not well-formed HTTP/1.1");
    }
  }

  private static void refuse(HttpServerRequest request, int status, String detail) {
    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
        .put("status", status)
        .put("detail", detail);
    request.response().setStatusCode(status).putHeader("Content-Type", PROBLEM).putHeader("Connection", "close")
        .end(body.encode()).onComplete(v -> request.connection().close());
  }
}
