package dev.liveforum.http;

import io.vertx.ext.web.handler.SecurityPolicyHandler;
import io.vertx.ext.web.RoutingContext;

/** Headers every response carries, whatever produced it. */
final class SecurityHeaders implements SecurityPolicyHandler {
  private static final String CSP = String.join("; ",
      "default-src 'self'",
      "img-src 'self' data:",
      // Swagger UI sets inline styles; scripts stay 'self' only.
      "style-src 'self' 'unsafe-inline'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'");

  @Override
  public void handle(RoutingContext rc) {
    rc.response().headers()
        .set("Content-Security-Policy", CSP)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "strict-origin-when-cross-origin")
        .set("Cross-Origin-Opener-Policy", "same-origin");
    rc.next();
  }
}
