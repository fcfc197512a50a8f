package dev.liveforum.bridge;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Lets a browser open the bridge only from a page of a configured origin, or, with none configured, from
 * the forum's pages: {@code pages.publicUrl}, the bridge's own origin, or the same scheme and host on the
 * HTTP port. Origins compare exactly (scheme, host and port): another port of the same host is another site.
 * Clients that send no Origin are not browsers and are let through: the token decides what they get.
 */
final class OriginCheck implements Handler<RoutingContext> {
  private final List<String> origins;
  private final String publicUrl;
  private final int pagePort;

  OriginCheck(List<String> origins, String publicUrl, int pagePort) {
    this.origins = origins.stream().map(OriginCheck::normalised).toList();
    this.publicUrl = publicUrl.isEmpty() ? null : normalised(publicUrl);
    this.pagePort = pagePort;
  }

  @Override
  public void handle(RoutingContext rc) {
    String origin = rc.request().getHeader("Origin");
    if (origin == null || allowed(normalised(origin), rc.request())) {
      rc.next();
    } else {
      BridgeHttp.refuse(rc, 403, "origin " + origin + " may not open this bridge");
    }
  }

  private boolean allowed(String origin, HttpServerRequest request) {
    if (origin == null) {
      return false;
    }
    if (!origins.isEmpty()) {
      return origins.contains(origin);
    }
    HostAndPort authority = request.authority();
    if (origin.equals(publicUrl)) {
      return true;
    }
    if (authority == null) {
      return false;
    }
    String scheme = request.isSSL() ? "https" : "http";
    return origin.equals(normalised(scheme + "://" + authority))
        || origin.equals(normalised(scheme + "://" + authority.host() + ":" + pagePort));
  }

  /** {@code scheme://host:port} in lower case with the scheme's default port made explicit; null if no origin. */
  private static String normalised(String origin) {
    try {
      URI uri = URI.create(origin.strip());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        return null;
      }
      int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
