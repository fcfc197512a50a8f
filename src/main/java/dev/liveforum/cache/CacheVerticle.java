package dev.liveforum.cache;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Failure;
import dev.liveforum.launch.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;

import java.util.List;

/** Owns Redis: serves the {@code cache.*} commands (rate limits, post views) and flushes views to persistence. */
public class CacheVerticle extends VerticleBase {
  private Redis client;
  private long flushTimer;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    client = Redis.createClient(vertx, new RedisOptions()
        .setConnectionString(config.redis().url())
        .setMaxPoolSize(8)
        .setMaxPoolWaiting(1000)
        .setPoolRecycleTimeout(15_000));
    RedisAPI redis = RedisAPI.api(client);
    RateLimiter limiter = new RateLimiter(redis, config.redis().keyPrefix());
    Bus.serve(vertx, Address.RATE_LIMIT_HIT, limiter::hit);
    Bus.serve(vertx, Address.RATE_LIMIT_CHECK, limiter::check);
    // The lock outlives a flush that waits the whole bus timeout for persistence, with room to spare.
    ViewCounter views = new ViewCounter(redis, config.redis().keyPrefix(), 2 * config.busTimeoutMs(),
        batch -> Bus.request(vertx, Address.POST_ADD_VIEWS, batch, null, config.busTimeoutMs()));
    Bus.serve(vertx, Address.VIEW_RECORD, views::record);
    Bus.serve(vertx, Address.VIEW_PENDING, views::pending);
    flushTimer = vertx.setPeriodic(config.viewsFlushIntervalMs(), id -> views.flush());
    Bus.serve(vertx, Address.CACHE_HEALTH, ignored -> redis.ping(List.of())
        .map(pong -> new JsonObject().put("redis", "UP"))
        .recover(t -> Future.failedFuture(Failure.unavailable("Redis is unavailable"))));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    client.close();
    return Future.succeededFuture();
  }
}
