package dev.liveforum.cache;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Failure;
import dev.liveforum.launch.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.ReplyException;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import java.util.List;

/** Owns Redis: serves the {@code cache.*} commands (rate limits, read cache, post views) and flushes views. */
public class CacheVerticle extends VerticleBase {
  private Redis client;
  private long flushTimer;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    client = Redis.createClient(vertx, config.redis().clientOptions(8));
    RedisAPI redis = RedisAPI.api(client);
    Endpoints endpoints = new Endpoints(vertx);
    RateLimiter limiter = new RateLimiter(redis, config.redis().keyPrefix());
    endpoints.serve(Address.RATE_LIMIT_HIT, body -> unavailableOnError(limiter.hit(body)));
    endpoints.serve(Address.RATE_LIMIT_CHECK, body -> unavailableOnError(limiter.check(body)));
    ReadCache cache = new ReadCache(redis, config.redis().keyPrefix());
    endpoints.serve(Address.CACHE_POST_GET, body -> unavailableOnError(cache.getPost(body)));
    endpoints.serve(Address.CACHE_POST_PUT, body -> unavailableOnError(cache.putPost(body)));
    endpoints.serve(Address.CACHE_LIST_GET, body -> unavailableOnError(cache.getList(body)));
    endpoints.serve(Address.CACHE_LIST_PUT, body -> unavailableOnError(cache.putList(body)));
    endpoints.serve(Address.CACHE_INVALIDATE, body -> unavailableOnError(cache.invalidate(body)));
    // Writers through the HTTP edge invalidate before they answer; the domain events cover every other
    // writer (and a lost invalidation request). Every event numbered on a post's channel drops its copy,
    // so the seq a copy carries (read with it) is never behind an event that did not drop it.
    List<String> changes = new java.util.ArrayList<>(Address.POST_PAGE_CHANGES);
    changes.add(Address.POST_CREATED);
    for (String type : changes) {
      endpoints.<JsonObject>listen(Address.event(type), msg -> {
        JsonObject data = msg.body().getJsonObject(Field.DATA);
        cache.invalidate(new JsonObject().put(Field.POST_IDS,
            new JsonArray().add(data.getLong(Field.POST_ID, data.getLong(Field.ID)))));
      });
    }
    // The lock outlives a flush that waits the whole bus timeout for persistence, with room to spare.
    ViewCounter views = new ViewCounter(redis, config.redis().keyPrefix(), 2 * config.busTimeoutMs(),
        batch -> Bus.request(vertx, Address.POST_ADD_VIEWS, batch, null, config.busTimeoutMs()));
    endpoints.serve(Address.VIEW_RECORD, body -> unavailableOnError(views.record(body)));
    endpoints.serve(Address.VIEW_RECORD_BATCH, body -> unavailableOnError(views.recordBatch(body)));
    endpoints.serve(Address.VIEW_PENDING, body -> unavailableOnError(views.pending(body)));
    flushTimer = vertx.setPeriodic(config.viewsFlushIntervalMs(), id -> views.flush());
    endpoints.serve(Address.CACHE_HEALTH, ignored -> unavailableOnError(redis.ping(List.of())
        .map(pong -> new JsonObject().put("redis", "UP"))));
    return endpoints.ready();
  }

  private static <T> Future<T> unavailableOnError(Future<T> work) {
    return work.recover(t -> Future.failedFuture(t instanceof ReplyException ? t
        : Failure.unavailable("Redis is unavailable")));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    client.close();
    return Future.succeededFuture();
  }
}
