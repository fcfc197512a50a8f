package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The edge's half of view counting: a read of a post is recorded with the cache role, and the view
 * counts shown include the views it has not yet flushed to the database. Both fail open: without
 * Redis, a post still reads, with the database's count.
 */
final class ViewCounts {
  private final Edge edge;

  ViewCounts(Edge edge) {
    this.edge = edge;
  }

  /**
   * Records that the reader (the signed-in user of {@code command}, else the client's IP) viewed
   * {@code post}, and returns the post with its unflushed views, this one included, in its count.
   */
  Future<JsonObject> recordRead(RoutingContext rc, JsonObject command, JsonObject post) {
    Long actor = command.getLong(Field.ACTOR_ID);
    String viewer = actor != null ? "u:" + actor
        : "ip:" + (rc.request().remoteAddress() == null ? "unknown" : rc.request().remoteAddress().host());
    return edge.askQuietly(rc, Address.VIEW_RECORD,
            new JsonObject().put(Field.POST_ID, post.getLong(Field.ID)).put(Field.VIEWER, viewer))
        .map(reply -> post.put(Field.VIEW_COUNT,
            shown(post.getLong(Field.VIEW_COUNT), reply.getLong(Field.PENDING), reply.getLong(Field.TOTAL))))
        .otherwise(post);
  }

  /**
   * The count to show. A post or page from the read cache carries the database count of when it was
   * cached, and views never invalidate it: after a flush, that count plus what is still pending is too
   * low, while Redis's running total is right. The total alone is too low after Redis lost its data.
   * The larger of the two is right in both cases.
   */
  private static long shown(long databaseCount, long pending, long total) {
    return Math.max(databaseCount + pending, total);
  }

  /** Adds each post's unflushed views to its count in a page of post list items. */
  Future<JsonObject> addPending(RoutingContext rc, JsonObject page) {
    JsonArray items = page.getJsonArray(Field.ITEMS);
    if (items == null || items.isEmpty()) {
      return Future.succeededFuture(page);
    }
    JsonArray ids = new JsonArray();
    items.forEach(item -> ids.add(((JsonObject) item).getLong(Field.ID)));
    return edge.askQuietly(rc, Address.VIEW_PENDING, new JsonObject().put(Field.POST_IDS, ids))
        .map(reply -> {
          JsonObject pending = reply.getJsonObject(Field.PENDING);
          JsonObject total = reply.getJsonObject(Field.TOTAL);
          items.forEach(i -> {
            JsonObject item = (JsonObject) i;
            String id = String.valueOf(item.getLong(Field.ID));
            item.put(Field.VIEW_COUNT, shown(item.getLong(Field.VIEW_COUNT), pending.getLong(id, 0L),
                total.getLong(id, 0L)));
          });
          return page;
        })
        .otherwise(page);
  }
}
