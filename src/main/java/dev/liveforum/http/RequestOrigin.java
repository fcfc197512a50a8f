package dev.liveforum.http;

import dev.liveforum.http.page.Origins;
import io.vertx.core.http.HttpServerRequest;

/** Where a request was sent: the origin of this server as the client addressed it. */
final class RequestOrigin {
  private RequestOrigin() {}

  /** The scheme and the Host header as received, e.g. {@code http://localhost:8080}. */
  static String of(HttpServerRequest request) {
    String host = request.getHeader("Host");
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    return (Origins.https(request) ? "https://" : "http://") + host;
  }

  /** The request carries an Origin, and it is this server's own (a page it served). */
  static boolean fromOwnPage(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    return origin != null && origin.equalsIgnoreCase(of(request));
  }
}
