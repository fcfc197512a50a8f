package dev.liveforum.cache;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * Fixed-window counters in Redis, so a limit holds across every node of the cluster. A counter's
 * window starts at its first hit; {@code retryAfterSeconds} is what is left of it, rounded up, so a client
 * that waits that long finds the window over.
 */
final class RateLimiter {
  /** Counts a hit and returns {count, milliseconds left}; the expiry is set once, by the first hit. */
  private static final String HIT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      return {n, redis.call('PTTL', KEYS[1])}""";
  /** Reads a counter without counting: {count, milliseconds left}. */
  private static final String PEEK = """
      local n = tonumber(redis.call('GET', KEYS[1]) or '0')
      return {n, redis.call('PTTL', KEYS[1])}""";

  private final RedisAPI redis;
  private final String prefix;

  RateLimiter(RedisAPI redis, String keyPrefix) {
    this.redis = redis;
    this.prefix = keyPrefix + "rl:";
  }

  Future<JsonObject> hit(JsonObject body) {
    return run(HIT, body, true);
  }

  Future<JsonObject> check(JsonObject body) {
    return run(PEEK, body, false);
  }

  private Future<JsonObject> run(String script, JsonObject body, boolean counting) {
    String key = body.getString(Field.KEY);
    Integer limit = body.getInteger(Field.LIMIT);
    Integer window = body.getInteger(Field.WINDOW_SECONDS, 60);
    if (key == null || limit == null) {
      return Future.failedFuture(Failure.badRequest("key and limit are required"));
    }
    return redis.eval(List.of(script, "1", prefix + key, String.valueOf(window)))
        .map(r -> verdict(r, limit, counting));
  }

  private static JsonObject verdict(Response r, int limit, boolean counting) {
    long count = r.get(0).toLong();
    // TTL would round 1.4 s down to 1: a client waiting that long would be refused again.
    long ttl = Math.max(1, (r.get(1).toLong() + 999) / 1000);
    // A hit is allowed while the count, including itself, stays within the limit; a peek asks
    // whether one more would be.
    boolean allowed = counting ? count <= limit : count < limit;
    return new JsonObject().put(Field.ALLOWED, allowed).put(Field.RETRY_AFTER, allowed ? 0 : ttl);
  }
}
