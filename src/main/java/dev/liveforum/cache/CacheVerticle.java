package dev.liveforum.cache;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.StoreGate;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import dev.liveforum.bus.Field;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.Events;
import dev.liveforum.event.OnPost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns Redis: serves the {@code cache.*} commands (rate limits, read cache, post views) and flushes
 * views. It serves them only while Redis answers (see {@link StoreGate}): a cache node that has lost
 * Redis steps back, and the cluster's requests go to the cache nodes that have it.
 */
public class CacheVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CacheVerticle.class);
  private Redis client;
  private StoreGate gate;
  private long flushTimer;
  /** Redis answers a PING in well under a millisecond, even busy. */
  private static final long REDIS_PROBE_TIMEOUT_MS = 1000;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    client = Redis.createClient(vertx, config.redis().clientOptions(8));
    RedisAPI redis = RedisAPI.api(client);
    Endpoints endpoints = new Endpoints(vertx);
    gate = new StoreGate(vertx, "cache", () -> redis.ping(List.of()), REDIS_PROBE_TIMEOUT_MS);
    RateLimiter limiter = new RateLimiter(redis, config.redis().keyPrefix());
    gate.serve(Address.RATE_LIMIT_HIT, body -> unavailableOnError(limiter.hit(body)));
    gate.serve(Address.RATE_LIMIT_CHECK, body -> unavailableOnError(limiter.check(body)));
    ReadCache cache = new ReadCache(redis, config.redis().keyPrefix());
    gate.serve(Address.CACHE_POST_GET, body -> unavailableOnError(cache.getPost(body)));
    gate.serve(Address.CACHE_POST_PUT, body -> unavailableOnError(cache.putPost(body)));
    gate.serve(Address.CACHE_LIST_GET, body -> unavailableOnError(cache.getList(body)));
    gate.serve(Address.CACHE_LIST_PUT, body -> unavailableOnError(cache.putList(body)));
    gate.serve(Address.CACHE_INVALIDATE, body -> unavailableOnError(cache.invalidate(body)));
    // Writers through the HTTP edge invalidate before they answer; the domain events cover every other
    // writer (and a lost invalidation request). Every event numbered on a post's channel drops its copy,
    // so the seq a copy carries (read with it) is never behind an event that did not drop it.
    for (String type : Events.CACHED_CHANGES) {
      endpoints.<JsonObject>listen(Events.address(type), msg -> {
        DomainEvent event = DomainEvent.from(msg.body());
        log.debug("dropping the cached copy of post {} after {}", ((OnPost) event.data()).postId(), event);
        cache.invalidate(new JsonObject().put(Field.POST_IDS, new JsonArray().add(((OnPost) event.data()).postId())));
      });
    }
    // The lock outlives a flush that waits the whole bus timeout for persistence, with room to spare.
    ViewCounter views = new ViewCounter(redis, config.redis().keyPrefix(), 2 * config.busTimeoutMs(),
        batch -> Bus.request(vertx, Address.POST_ADD_VIEWS, batch, null, config.busTimeoutMs()));
    gate.serve(Address.VIEW_RECORD, body -> unavailableOnError(views.record(body)));
    gate.serve(Address.VIEW_RECORD_BATCH, body -> unavailableOnError(views.recordBatch(body)));
    gate.serve(Address.VIEW_PENDING, body -> unavailableOnError(views.pending(body)));
    flushTimer = vertx.setPeriodic(config.viewsFlushIntervalMs(), id -> views.flush());
    gate.serve(Address.CACHE_HEALTH, ignored -> unavailableOnError(redis.ping(List.of())
        .map(pong -> new JsonObject().put("redis", "UP"))));
    return Future.all(endpoints.ready(), gate.start());
  }

  private static <T> Future<T> unavailableOnError(Future<T> work) {
    return work.recover(t -> Future.failedFuture(t instanceof ReplyException ? t
        : Failure.unavailable("Redis is unavailable")));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    gate.stop();
    client.close();
    return Future.succeededFuture();
  }
}
