package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: this node can serve requests,
 * i.e. the database and Redis answer through their roles (wherever in the cluster they run) and, when
 * clustered, this node is a member.
 */
final class Health {
  private static final long CHECK_TIMEOUT_MS = 2000;
  private final Vertx vertx;

  Health(Vertx vertx) {
    this.vertx = vertx;
  }

  void live(RoutingContext rc) {
    Edge.json(rc, 200, new JsonObject().put("status", "UP"));
  }

  void ready(RoutingContext rc) {
    Future<String> db = check(Address.PERSISTENCE_HEALTH);
    Future<String> redis = check(Address.CACHE_HEALTH);
    Future.join(db, redis).onComplete(done -> {
      JsonObject checks = new JsonObject()
          .put("database", db.result())
          .put("redis", redis.result());
      if (vertx.isClustered()) {
        checks.put("cluster", ((VertxInternal) vertx).clusterManager().isActive() ? "UP" : "DOWN");
      }
      boolean up = checks.stream().allMatch(e -> "UP".equals(e.getValue()));
      Edge.json(rc, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
    });
  }

  private Future<String> check(String address) {
    return Bus.request(vertx, address, new JsonObject(), null, CHECK_TIMEOUT_MS)
        .map(ok -> "UP")
        .otherwise("DOWN");
  }
}
