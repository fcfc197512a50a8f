package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads through the cache role: a post, and the first page of a list for guests. A cache that cannot
 * be reached is a miss, never an error. After a write the edge invalidates before it answers, so no
 * reader on any node gets the old copy once the writer has its response.
 */
final class CachedReads {
  private final Edge edge;
  private final NearCache near;

  CachedReads(Edge edge, NearCache near) {
    this.edge = edge;
    this.near = near;
  }

  /**
   * The post as every reader sees it, from the cache or the database, plus the reader's own
   * {@code likedByMe} (a primary-key lookup; guests need none).
   */
  Future<JsonObject> post(RoutingContext rc, JsonObject command) {
    long id = command.getLong(Field.ID);
    JsonObject nearby = near.get(id);
    Future<JsonObject> shared = nearby != null ? Future.succeededFuture(nearby) : fromRedis(rc, id);
    // Cached objects are shared by every reader: each answer gets its own copy to add likedByMe to.
    return shared.compose(post -> command.getLong(Field.ACTOR_ID) == null
        ? Future.succeededFuture(post.copy().put("likedByMe", false))
        : edge.ask(rc, Address.POST_LIKED, command)
            .map(liked -> post.copy().put("likedByMe", liked.getBoolean("likedByMe"))));
  }

  private Future<JsonObject> fromRedis(RoutingContext rc, long id) {
    long readStarted = near.epoch();
    JsonObject key = new JsonObject().put(Field.ID, id);
    return edge.askQuietly(rc, Address.CACHE_POST_GET, key).transform(cached -> {
      if (cached.succeeded() && cached.result().getJsonObject(Field.VALUE) != null) {
        return Future.succeededFuture(cached.result().getJsonObject(Field.VALUE));
      }
      // The post carries its channel's seq, read with it: its comments, read after it, may show events
      // numbered later (a client replays those harmlessly) but never lack one numbered before it.
      return edge.ask(rc, Address.POST_GET, key).onSuccess(post -> {
        if (cached.succeeded()) {
          edge.askQuietly(rc, Address.CACHE_POST_PUT, key.copy().put(Field.VALUE, post)
              .put(Field.GENERATION, cached.result().getString(Field.GENERATION)));
        }
      });
    }).onSuccess(post -> near.put(id, post, readStarted));
  }

  /**
   * The first page of a list is cached for guests; later pages and signed-in readers go to the database.
   * A board's first page carries the board channel's seq, read before the page.
   */
  Future<JsonObject> list(RoutingContext rc, JsonObject query) {
    if (query.getString(Field.CURSOR) != null || query.getLong(Field.ACTOR_ID) != null) {
      return edge.ask(rc, Address.POST_LIST, query);
    }
    String name = String.join(":", query.getString(Field.SORT, "latest"), query.getString(Field.PERIOD, "week"),
        String.valueOf(query.getValue(Field.BOARD_ID, "all")), String.valueOf(query.getValue(Field.LIMIT, "20")));
    JsonObject key = new JsonObject().put(Field.KEY, name);
    return edge.askQuietly(rc, Address.CACHE_LIST_GET, key).transform(cached -> {
      if (cached.succeeded() && cached.result().getJsonObject(Field.VALUE) != null) {
        return Future.succeededFuture(cached.result().getJsonObject(Field.VALUE));
      }
      return edge.ask(rc, Address.POST_LIST, query).onSuccess(page -> {
        if (cached.succeeded()) {
          edge.askQuietly(rc, Address.CACHE_LIST_PUT, new JsonObject().put(Field.VALUE, page)
              .put(Field.GENERATION, cached.result().getString(Field.GENERATION)));
        }
      });
    });
  }

  /**
   * Drops cached copies of these posts, in Redis and in every node's memory, and every cached list
   * page (as data in Redis and as rendered pages in every node's memory); waits for all of it, but
   * never fails the write.
   */
  Future<Void> invalidate(RoutingContext rc, long... postIds) {
    JsonArray ids = new JsonArray();
    for (long id : postIds) {
      ids.add(id);
    }
    Future<?> shared = edge.askQuietly(rc, Address.CACHE_INVALIDATE, new JsonObject().put(Field.POST_IDS, ids));
    // Even with no post named, every node's rendered list pages go (a new post or board is on them).
    Future<?> local = near.dropEverywhere(ids);
    return Future.join(shared, local).<Void>mapEmpty().otherwiseEmpty();
  }
}
