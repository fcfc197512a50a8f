package dev.liveforum.http;

import dev.liveforum.http.page.Origins;
import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * Headers every response carries, whatever produced it. The pages' policy is strict: scripts and
 * styles only from files of this site, connections only to it and its realtime bridge, images only
 * from it and the hosts an admin allowed for posts ({@code markdown.imageHosts}). Swagger UI alone
 * needs inline styles.
 */
final class SecurityHeaders implements SecurityPolicyHandler {
  private final String common;
  private final String docs;
  private final Origins origins;

  SecurityHeaders(Origins origins, List<String> imageHosts) {
    this.origins = origins;
    this.common = String.join("; ",
        "default-src 'self'",
        String.join(" ", "img-src 'self' data:", String.join(" ", imageHosts)).strip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'");
    this.docs = common + "; style-src 'self' 'unsafe-inline'; connect-src 'self'";
  }

  @Override
  public void handle(RoutingContext rc) {
    String path = rc.request().path();
    String csp = path.startsWith("/api/docs") ? docs
        : common + "; script-src 'self'; style-src 'self'; connect-src 'self' " + origins.connectSources(rc.request());
    rc.response().headers()
        .set("Content-Security-Policy", csp.strip())
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "strict-origin-when-cross-origin")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    rc.next();
  }
}
