package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The statistics for admins: the stats role checks the role and the dates and answers. */
final class StatsRoutes {
  private final Edge edge;

  StatsRoutes(Edge edge) {
    this.edge = edge;
  }

  void daily(RoutingContext rc) {
    edge.relay(rc, Address.STATS_DAILY, Edge.params(rc, Field.FROM, Field.TO), 200);
  }

  void summary(RoutingContext rc) {
    edge.relay(rc, Address.STATS_SUMMARY, new JsonObject(), 200);
  }

  void rebuild(RoutingContext rc) {
    edge.relay(rc, Address.STATS_REBUILD, Edge.params(rc, Field.DAY), 200);
  }
}
