package dev.liveforum.http.page;

import dev.liveforum.config.Config;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a page is and where its bridge is. Both follow the request when not configured: the page's
 * own host (as the browser addressed it) on {@code bridge.port}. A Host header that is no plain host
 * name or address is not echoed into a page or a header.
 */
public final class Origins {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]{2,45}]");

  private final Config.Pages pages;
  private final int bridgePort;

  public Origins(Config.Pages pages, int bridgePort) {
    this.pages = pages;
    this.bridgePort = bridgePort;
  }

  /** {@code https://forum.example} or, unconfigured, the request's scheme, host and port. */
  public String site(HttpServerRequest request) {
    if (!pages.publicUrl().isEmpty()) {
      return pages.publicUrl();
    }
    HostAndPort authority = request.authority();
    String host = authority == null || !HOST.matcher(authority.host()).matches() ? "localhost" : authority.host();
    int port = authority == null ? -1 : authority.port();
    return scheme(request) + "://" + host + (port > 0 ? ":" + port : "");
  }

  /** The SockJS addresses the page tries, in turn. */
  public List<String> bridge(HttpServerRequest request) {
    if (!pages.bridgeUrls().isEmpty()) {
      return pages.bridgeUrls();
    }
    HostAndPort authority = request.authority();
    if (authority == null || !HOST.matcher(authority.host()).matches()) {
      return List.of();
    }
    return List.of(scheme(request) + "://" + authority.host() + ":" + bridgePort + "/eventbus");
  }

  /** CSP {@code connect-src} sources for the bridge: its origins over HTTP (SockJS) and WebSocket. */
  public String connectSources(HttpServerRequest request) {
    Set<String> sources = new LinkedHashSet<>();
    for (String url : bridge(request)) {
      URI uri = URI.create(url);
      String hostPort = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      boolean tls = uri.getScheme().equals("https");
      sources.add((tls ? "https://" : "http://") + hostPort);
      sources.add((tls ? "wss://" : "ws://") + hostPort);
    }
    return String.join(" ", sources);
  }

  /**
   * The request carries an Origin, and it is this server's own as the client addressed it (scheme and
   * the Host header as received): a page it served. What CORS and the session cookie's origin check ask.
   */
  public static boolean fromOwnPage(HttpServerRequest request) {
    String origin = request.getHeader("Origin");
    String host = request.getHeader("Host");
    if (host == null && request.authority() != null) {
      host = request.authority().toString();
    }
    return origin != null && origin.equalsIgnoreCase(scheme(request) + "://" + host);
  }

  private static String scheme(HttpServerRequest request) {
    return https(request) ? "https" : "http";
  }

  /** HTTPS to this server, or to the TLS-terminating proxy in front of it. */
  public static boolean https(HttpServerRequest request) {
    String forwarded = request.getHeader("X-Forwarded-Proto");
    // Each proxy on the way may append its own: the first is what the client used.
    return request.isSSL() || forwarded != null && "https".equalsIgnoreCase(forwarded.split(",", 2)[0].trim());
  }
}
