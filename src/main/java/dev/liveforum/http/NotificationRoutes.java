package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/notifications: the signed-in user's own notifications; /api/admin/notification-jobs for admins. */
final class NotificationRoutes {
  private final Edge edge;

  NotificationRoutes(Edge edge) {
    this.edge = edge;
  }

  void list(RoutingContext rc) {
    edge.relay(rc, Address.NOTIFICATION_LIST, Edge.params(rc, Field.UNREAD, Field.CURSOR, Field.LIMIT), 200);
  }

  void unreadCount(RoutingContext rc) {
    edge.relay(rc, Address.NOTIFICATION_UNREAD_COUNT, new JsonObject(), 200);
  }

  void read(RoutingContext rc) {
    edge.relay(rc, Address.NOTIFICATION_READ_ONE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
  }

  void readAll(RoutingContext rc) {
    edge.relay(rc, Address.NOTIFICATION_READ_ALL, new JsonObject(), 204);
  }

  void deadJobs(RoutingContext rc) {
    edge.relay(rc, Address.NOTIFICATION_DEAD_JOBS, Edge.params(rc, Field.LIMIT), 200);
  }

}
