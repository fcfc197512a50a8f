package dev.liveforum.http;

import dev.liveforum.config.TrustedProxies;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives each request an id (the caller's {@code X-Request-Id} when it is sane), settles who the client
 * is ({@link TrustedProxies}) and writes one access line when the response ends: client IP, method, path,
 * status, milliseconds, id. Never a body, a query string or another header value, so no password or
 * token reaches the log.
 */
final class RequestLog implements PlatformHandler {
  private static final Logger access = LoggerFactory.getLogger("liveforum.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final String HEADER = "X-Request-Id";
  private static final String KEY = "requestId";
  private static final String CLIENT = "clientIp";

  private final TrustedProxies proxies;

  RequestLog(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  @Override
  public void handle(RoutingContext rc) {
    long start = System.nanoTime();
    String given = rc.request().getHeader(HEADER);
    String id = given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    String client = proxies.clientIp(rc.request().remoteAddress(), rc.request().headers());
    rc.put(KEY, id);
    rc.put(CLIENT, client);
    rc.response().putHeader(HEADER, id);
    rc.addEndHandler(v -> access.info("{} {} {} {} {}ms {}", client, rc.request().method(), rc.request().path(),
        rc.response().getStatusCode(), (System.nanoTime() - start) / 1_000_000, id));
    rc.next();
  }

  static String id(RoutingContext rc) {
    return rc.get(KEY);
  }

  /** The client's IP address, as far as trusted proxies tell it: what limits per IP count by. */
  static String clientIp(RoutingContext rc) {
    return rc.get(CLIENT);
  }
}
