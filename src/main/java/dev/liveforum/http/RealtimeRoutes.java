package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.ext.web.RoutingContext;

/** GET /api/realtime/{channel}?after=: what a client missed on a channel while it was not connected. */
final class RealtimeRoutes {
  private final Edge edge;

  RealtimeRoutes(Edge edge) {
    this.edge = edge;
  }

  void since(RoutingContext rc) {
    edge.relay(rc, Address.REALTIME_SINCE, Edge.params(rc, Field.CHANNEL, Field.AFTER), 200);
  }
}
