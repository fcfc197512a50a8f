package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The edge's half of view counting: a read of a post is recorded with the cache role, and the view
 * counts shown include the views not yet flushed to the database. Both fail open: without Redis, a
 * post still reads, with the database's count.
 *
 * <p>Recording is batched so that a read served from the node's memory costs no network hop: the
 * first read of a post (and the first after {@link #KNOWN_MS}) records its view at once and learns
 * the post's counts from Redis; later reads add the viewer to a local batch that goes to Redis every
 * {@link #BATCH_MS} (Redis still de-duplicates per viewer and day, across nodes), and are answered
 * with the last known counts plus the viewers waiting in the batch. Viewers already recorded today
 * are remembered (up to {@link #SEEN_MAX}) so a reader re-reading a post is not counted again.
 * One instance per HTTP verticle, used only on its event loop.
 */
final class ViewCounts {
  static final long BATCH_MS = 50;
  static final long KNOWN_MS = 2000;
  static final int SEEN_MAX = 100_000;
  /** Past this many waiting views (Redis unreachable for long), new ones are not batched. */
  static final int WAITING_MAX = 100_000;

  private record Known(long pending, long total, long at) {}

  private final Edge edge;
  private final Map<Long, Known> known = new HashMap<>();
  private final Map<Long, Set<String>> waiting = new HashMap<>();
  private int waitingCount;
  private boolean flushing;
  private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > SEEN_MAX;
    }
  };

  ViewCounts(Vertx vertx, Edge edge) {
    this.edge = edge;
    vertx.setPeriodic(BATCH_MS, id -> flush());
  }

  /**
   * Records that the reader (the signed-in user of {@code command}, else the client's IP) viewed
   * {@code post}, and returns the post with its unflushed views, this one included, in its count.
   */
  Future<JsonObject> recordRead(RoutingContext rc, JsonObject command, JsonObject post) {
    Long actor = command.getLong(Field.ACTOR_ID);
    String viewer = actor != null ? "u:" + actor : "ip:" + RequestLog.clientIp(rc);
    long postId = post.getLong(Field.ID);
    String seenKey = LocalDate.now(ZoneOffset.UTC) + "|" + postId + "|" + viewer;
    Known counts = known.get(postId);
    if (counts == null || counts.at + KNOWN_MS < System.currentTimeMillis()) {
      return edge.askQuietly(rc, Address.VIEW_RECORD, new JsonObject().put(Field.POST_ID, postId).put(Field.VIEWER, viewer))
          .map(reply -> {
            seen.put(seenKey, true);
            Known now = learn(postId, reply);
            return post.put(Field.VIEW_COUNT, shown(post.getLong(Field.VIEW_COUNT), now.pending, now.total));
          })
          .otherwise(post);
    }
    if (!seen.containsKey(seenKey) && waitingCount < WAITING_MAX
        && waiting.computeIfAbsent(postId, id -> new HashSet<>()).add(viewer)) {
      waitingCount++;
    }
    int extra = waiting.getOrDefault(postId, Set.of()).size();
    return Future.succeededFuture(post.put(Field.VIEW_COUNT,
        shown(post.getLong(Field.VIEW_COUNT), counts.pending + extra, counts.total + extra)));
  }

  /** Sends the waiting views to Redis in one message; they stay counted locally until it answers. */
  private void flush() {
    if (flushing || waiting.isEmpty()) {
      return;
    }
    flushing = true;
    Map<Long, Set<String>> batch = new HashMap<>();
    JsonArray views = new JsonArray();
    waiting.forEach((postId, viewers) -> {
      batch.put(postId, new HashSet<>(viewers));
      viewers.forEach(v -> views.add(new JsonObject().put(Field.POST_ID, postId).put(Field.VIEWER, v)));
    });
    Bus.request(edge.vertx(), Address.VIEW_RECORD_BATCH, new JsonObject().put(Field.VIEWS, views), null,
            edge.timeoutMs())
        .onSuccess(reply -> {
          String today = LocalDate.now(ZoneOffset.UTC) + "|";
          batch.forEach((postId, viewers) -> {
            Set<String> still = waiting.get(postId);
            for (String v : viewers) {
              seen.put(today + postId + "|" + v, true);
              if (still != null && still.remove(v)) {
                waitingCount--;
              }
            }
            if (still != null && still.isEmpty()) {
              waiting.remove(postId);
            }
          });
          reply.getJsonObject(Field.COUNTS).forEach(e -> learn(Long.parseLong(e.getKey()), (JsonObject) e.getValue()));
        })
        // On failure the views stay waiting and go with the next batch.
        .onComplete(done -> flushing = false);
  }

  private Known learn(long postId, JsonObject reply) {
    Known now = new Known(reply.getLong(Field.PENDING), reply.getLong(Field.TOTAL), System.currentTimeMillis());
    known.put(postId, now);
    return now;
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
            // Views waiting in this node's batch are not in Redis yet.
            long extra = waiting.getOrDefault(item.getLong(Field.ID), Set.of()).size();
            item.put(Field.VIEW_COUNT, shown(item.getLong(Field.VIEW_COUNT), pending.getLong(id, 0L) + extra,
                total.getLong(id, 0L) + extra));
          });
          return page;
        })
        .otherwise(page);
  }
}
