package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Field;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.Events;
import dev.liveforum.event.OnPost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts as every reader sees them, in this node's memory, so a cached read costs no network hop.
 *
 * <p>Kept coherent without trusting timing: a writer's edge asks every node of the cluster to drop the
 * post (a request to each node's own address, answered once dropped) before it answers the writer; the
 * domain events drop it too. A reader that missed may store its copy only if no invalidation reached
 * this node since it started reading ({@link #epoch()}), so an answer from before a write is never
 * kept after it. Entries also expire, which bounds a node that was cut off from an invalidation.
 *
 * <p>Post pages as rendered for browsers are kept beside the posts, under the same rules; they also
 * go when one of their comments is edited (a comment's edit does not change the post itself). The
 * first pages of the post lists (home and boards) are kept a few seconds, and go whenever a post or a
 * board changes anywhere: they show counts and ranks of many posts, and the boards.
 */
final class NearCache {
  private static final Logger log = LoggerFactory.getLogger(NearCache.class);
  private static final long TTL_MS = 30_000;
  /** Lists also move with time (hot ranks decay) and with views, which no event announces. */
  private static final long LIST_TTL_MS = 5_000;
  private static final int MAX_ENTRIES = 20_000;
  private static final long INVALIDATE_TIMEOUT_MS = 1000;
  private static final Map<Vertx, NearCache> BY_NODE = Collections.synchronizedMap(new WeakHashMap<>());

  private record Entry<T>(T value, long expiresAt) {}

  /**
   * A post's page as every reader gets it, cut where its view count goes (that changes without a write).
   * {@code origins} are the site and bridge addresses written into it, which follow the request's host
   * unless configured: the page is served only to requests that would get the same ones. The parts
   * are kept in UTF-8: encoding a 64 KB page on every request was half of a request's CPU.
   */
  record Page(Buffer before, Buffer after, long viewCount, String origins) {}

  private final Vertx vertx;
  private final Map<Long, Entry<JsonObject>> posts = new ConcurrentHashMap<>();
  private final Map<Long, Entry<Page>> pages = new ConcurrentHashMap<>();
  private final Map<String, Entry<Buffer>> lists = new ConcurrentHashMap<>();
  private final AtomicLong epoch = new AtomicLong();

  private NearCache(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The node's cache; each HTTP verticle instance calls this and listens for invalidations. */
  static NearCache of(Vertx vertx, Endpoints endpoints) {
    NearCache cache = BY_NODE.computeIfAbsent(vertx, NearCache::new);
    endpoints.<JsonObject>listen(Address.NEAR_INVALIDATE + "." + nodeId(vertx), msg -> {
      cache.drop(msg.body().getJsonArray(Field.POST_IDS));
      msg.reply(null);
    });
    for (String type : Events.POST_PAGE_CHANGES) {
      endpoints.<JsonObject>listen(Events.address(type), msg -> {
        DomainEvent event = DomainEvent.from(msg.body());
        long id = ((OnPost) event.data()).postId();
        log.debug("dropping post {} and the lists after {}", id, event);
        cache.drop(new JsonArray().add(id));
      });
    }
    for (String type : Events.LIST_PAGE_CHANGES) {
      endpoints.<JsonObject>listen(Events.address(type), msg -> {
        log.debug("dropping the lists after {}", DomainEvent.from(msg.body()));
        cache.drop(new JsonArray());
      });
    }
    return cache;
  }

  JsonObject get(long id) {
    return live(posts.get(id));
  }

  Page page(long id) {
    return live(pages.get(id));
  }

  /** A list's first page as rendered for {@code key} (its address and the site addresses it names). */
  Buffer list(String key) {
    return live(lists.get(key));
  }

  private static <T> T live(Entry<T> e) {
    return e == null || e.expiresAt < System.currentTimeMillis() ? null : e.value;
  }

  long epoch() {
    return epoch.get();
  }

  /** Keeps {@code post} (never modified afterwards) unless an invalidation arrived since {@code readStarted}. */
  void put(long id, JsonObject post, long readStarted) {
    keep(posts, id, post, readStarted, TTL_MS);
  }

  /** Keeps a rendered page, on the same terms as {@link #put}. */
  void putPage(long id, Page page, long readStarted) {
    keep(pages, id, page, readStarted, TTL_MS);
  }

  /** Keeps a rendered list page, on the same terms as {@link #put}, for a few seconds. */
  void putList(String key, Buffer page, long readStarted) {
    keep(lists, key, page, readStarted, LIST_TTL_MS);
  }

  private <K, T> void keep(Map<K, Entry<T>> map, K key, T value, long readStarted, long ttlMs) {
    if (map.size() >= MAX_ENTRIES) {
      map.clear();
    }
    map.put(key, new Entry<>(value, System.currentTimeMillis() + ttlMs));
    if (epoch.get() != readStarted) {
      map.remove(key);
    }
  }

  /** Drops these posts and every list page (a change to any post may change any list). */
  void drop(JsonArray ids) {
    epoch.incrementAndGet();
    lists.clear();
    ids.forEach(id -> {
      posts.remove(((Number) id).longValue());
      pages.remove(((Number) id).longValue());
    });
  }

  /** Drops the posts on every node of the cluster (or just here), and completes when all have answered. */
  Future<Void> dropEverywhere(JsonArray ids) {
    drop(ids);
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    String self = nodeId(vertx);
    List<Future<?>> acks = new ArrayList<>();
    JsonObject body = new JsonObject().put(Field.POST_IDS, ids);
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(INVALIDATE_TIMEOUT_MS);
    for (String node : ((VertxInternal) vertx).clusterManager().getNodes()) {
      if (!node.equals(self)) {
        // A node without the HTTP role has no such address: NO_HANDLERS, at once, and nothing to drop.
        acks.add(vertx.eventBus().request(Address.NEAR_INVALIDATE + "." + node, body, options));
      }
    }
    return Future.join(acks).<Void>mapEmpty().otherwiseEmpty();
  }

  private static String nodeId(Vertx vertx) {
    return vertx.isClustered() ? ((VertxInternal) vertx).clusterManager().getNodeId() : "local";
  }
}
