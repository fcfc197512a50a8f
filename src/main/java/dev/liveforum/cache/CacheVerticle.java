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

/** Owns Redis: serves the {@code cache.*} commands (rate limits for now). */
public class CacheVerticle extends VerticleBase {
  private Redis client;

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
    Bus.serve(vertx, Address.CACHE_HEALTH, ignored -> redis.ping(List.of())
        .map(pong -> new JsonObject().put("redis", "UP"))
        .recover(t -> Future.failedFuture(Failure.unavailable("Redis is unavailable"))));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    client.close();
    return Future.succeededFuture();
  }
}
