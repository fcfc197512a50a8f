package dev.liveforum.bridge;

import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.List;

/**
 * Lets a browser open the bridge only from a page of a configured origin, or, with none configured,
 * from a page on the bridge's own host name (any port: the UI and the bridge listen on different ports).
 * Clients that send no Origin are not browsers and are let through: the token decides what they get.
 */
final class OriginCheck implements Handler<RoutingContext> {
  private final List<String> origins;

  OriginCheck(List<String> origins) {
    this.origins = origins;
  }

  @Override
  public void handle(RoutingContext rc) {
    String origin = rc.request().getHeader("Origin");
    if (origin == null || allowed(origin, rc.request().authority())) {
      rc.next();
    } else {
      rc.response().setStatusCode(403).putHeader("Content-Type", "text/plain")
          .end("origin " + origin + " may not open this bridge");
    }
  }

  private boolean allowed(String origin, HostAndPort authority) {
    if (!origins.isEmpty()) {
      return origins.contains(origin);
    }
    try {
      String host = URI.create(origin).getHost();
      return host != null && authority != null && host.equalsIgnoreCase(authority.host());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
