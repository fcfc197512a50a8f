package dev.liveforum.http;

import dev.liveforum.http.page.Origins;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries, whatever produced it. The pages' policy is strict: scripts and
 * styles only from files of this site, connections only to it and its realtime bridge. Swagger UI
 * alone needs inline styles.
 */
final class SecurityHeaders implements SecurityPolicyHandler {
  private static final String COMMON = String.join("; ",
      "default-src 'self'",
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'");
  private static final String DOCS = COMMON + "; style-src 'self' 'unsafe-inline'; connect-src 'self'";

  private final Origins origins;

  SecurityHeaders(Origins origins) {
    this.origins = origins;
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.request().path();
    String csp = path.startsWith("/api/docs") ? DOCS
        : COMMON + "; script-src 'self'; style-src 'self'; connect-src 'self' " + origins.connectSources(rc.request());
    rc.response().headers()
        .set("Content-Security-Policy", csp.strip())
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "strict-origin-when-cross-origin")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    rc.next();
  }
}
