package dev.liveforum.net;

import dev.liveforum.config.TrustedProxies;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What one listening port allows a TCP connection before and between its requests. A connection over
 * the port's caps (per client IP, and in all on this node) is closed at once: there is no request yet to
 * answer. A trusted proxy's connections count only in all, as it speaks for many clients. A connection
 * must deliver its first request's complete headers within the header deadline, and after each answer
 * its next request's within the next-request deadline, or it is closed without an answer.
 *
 * <p>Netty's idle timeout alone does not do this: every byte resets it, so a client sending one header
 * line a minute holds its connection for ever. The deadline here is a timer per connection, cancelled
 * when the request's headers are in (the router's first handler) and armed again when its answer ends.
 * A connection that became a WebSocket or a streaming response keeps its request in flight, so its own
 * rules (the bridge's ping timeout, SockJS's session timeout, the server's idle timeout) govern it.
 */
public final class ConnectionGuard implements PlatformHandler {
  /** Caps on a port's connections and its deadlines, in milliseconds. */
  public record Limits(int maxPerIp, int max, long headerTimeoutMs, long nextRequestTimeoutMs) {}

  /** One connection's deadline and how many of its requests are being answered. */
  private static final class Watch {
    long timer = -1;
    int inFlight;
  }

  private final Vertx vertx;
  private final Limits limits;
  private final TrustedProxies proxies;
  private final Budget connections;
  /** This instance's connections: only its own event loop touches them. */
  private final Map<HttpConnection, Watch> watches = new IdentityHashMap<>();

  /** Guards the port called {@code port} (its connections are counted per node under that name). */
  public ConnectionGuard(Vertx vertx, String port, Limits limits, TrustedProxies proxies) {
    this.vertx = vertx;
    this.limits = limits;
    this.proxies = proxies;
    this.connections = Budget.of(vertx, "connections." + port, limits.maxPerIp(), limits.max());
  }

  /** The server's connection handler. */
  public void connected(HttpConnection connection) {
    SocketAddress peer = connection.remoteAddress();
    String client = proxies.trusts(peer) || peer == null ? null : peer.host();
    if (connections.take(client, 1) != Budget.Verdict.TAKEN) {
      connection.close();
      return;
    }
    Watch watch = new Watch();
    watches.put(connection, watch);
    connection.closeHandler(v -> {
      vertx.cancelTimer(watch.timer);
      watches.remove(connection);
      connections.give(client, 1);
    });
    arm(connection, watch, limits.headerTimeoutMs());
  }

  /** The first handler of the port's router: a request's headers are in, and its answer is awaited. */
  @Override
  public void handle(RoutingContext rc) {
    HttpConnection connection = rc.request().connection();
    Watch watch = watches.get(connection);
    if (watch != null) {
      vertx.cancelTimer(watch.timer);
      watch.inFlight++;
      rc.addEndHandler(ended -> {
        if (--watch.inFlight == 0 && watches.get(connection) == watch) {
          arm(connection, watch, limits.nextRequestTimeoutMs());
        }
      });
    }
    rc.next();
  }

  private void arm(HttpConnection connection, Watch watch, long timeoutMs) {
    vertx.cancelTimer(watch.timer);
    watch.timer = vertx.setTimer(timeoutMs, id -> {
      if (watch.inFlight == 0) {
        connection.close();
      }
    });
  }
}
