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
 * i.e. the database answers through its role (wherever in the cluster it runs) and, when clustered,
 * this node is a member. Redis is a cache: without it reads and writes still work, so its outage makes
 * the node {@code DEGRADED} (200), not unready; a load balancer must not take every node out because
 * of it.
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
      boolean serving = checks.stream().filter(e -> !e.getKey().equals("redis")).allMatch(e -> "UP".equals(e.getValue()));
      String status = !serving ? "DOWN" : "UP".equals(redis.result()) ? "UP" : "DEGRADED";
      if (!serving) {
        rc.response().putHeader("Retry-After", Problems.RETRY_AFTER_SECONDS);
      }
      Edge.json(rc, serving ? 200 : 503, new JsonObject().put("status", status).put("checks", checks));
    });
  }

  private Future<String> check(String address) {
    return Bus.request(vertx, address, new JsonObject(), null, CHECK_TIMEOUT_MS)
        .map(ok -> "UP")
        .otherwise("DOWN");
  }
}
