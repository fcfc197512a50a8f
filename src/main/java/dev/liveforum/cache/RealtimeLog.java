package dev.liveforum.cache;

import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;

import java.util.List;

/**
 * Each realtime channel's sequence number and capped backlog, in Redis. Every node that delivers an
 * event asks for its number; the first asker numbers and stores it, the others get the same number
 * back (by event id), so an event has one number however many nodes deliver it.
 */
final class RealtimeLog {
  /** The sequence outlives the backlog, so a client far behind is told to reload rather than restarted at 1. */
  static final int SEQ_TTL_SECONDS = 7 * 86_400;

  /** KEYS: seq, log, event marker. ARGV: event JSON (an object), cap, log TTL, seq TTL. Returns {seq, 1 if new}. */
  private static final String APPEND = """
      local done = redis.call('GET', KEYS[3])
      if done then return {tonumber(done), 0} end
      local seq = redis.call('INCR', KEYS[1])
      redis.call('EXPIRE', KEYS[1], ARGV[4])
      redis.call('SET', KEYS[3], seq, 'EX', ARGV[3])
      redis.call('ZADD', KEYS[2], seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[1], 2))
      redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[2]) + 1))
      redis.call('EXPIRE', KEYS[2], ARGV[3])
      return {seq, 1}""";
  /**
   * KEYS: seq, log. ARGV: after. Returns {current seq, status, events...}: status 1 with the events
   * after ARGV[1] in order, 0 when the backlog no longer reaches back that far or the channel restarted.
   */
  private static final String SINCE = """
      local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
      local after = tonumber(ARGV[1])
      if after > cur then return {cur, 0} end
      if after == cur then return {cur, 1} end
      local first = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. after, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      if #first == 0 or tonumber(first[2]) ~= after + 1 then return {cur, 0} end
      local out = {cur, 1}
      for _, e in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. after, cur)) do out[#out + 1] = e end
      return out""";

  private final RedisAPI redis;
  private final String prefix;
  private final int capacity;
  private final int ttlSeconds;

  RealtimeLog(RedisAPI redis, String keyPrefix, int capacity, int ttlSeconds) {
    this.redis = redis;
    this.prefix = keyPrefix;
    this.capacity = capacity;
    this.ttlSeconds = ttlSeconds;
  }

  static String seqKey(String prefix, String channel) {
    return prefix + "rt:seq:" + channel;
  }

  /** {channel, eventId, event} → {seq, fresh}: the event's number on its channel. */
  Future<JsonObject> append(JsonObject body) {
    String channel = body.getString(Field.CHANNEL);
    return redis.eval(List.of(APPEND, "3", seqKey(prefix, channel), prefix + "rt:log:" + channel,
            prefix + "rt:ev:" + body.getString(Field.EVENT_ID), body.getJsonObject(Field.EVENT).encode(),
            String.valueOf(capacity), String.valueOf(ttlSeconds), String.valueOf(SEQ_TTL_SECONDS)))
        .map(r -> new JsonObject().put(Field.SEQ, r.get(0).toLong()).put("fresh", r.get(1).toInteger() == 1));
  }

  /**
   * {channel, after} → {events, seq} for a reader allowed the channel (private ones: their user only);
   * 410 when what was missed is no longer kept.
   */
  Future<JsonObject> since(JsonObject body) {
    String channel = body.getString(Field.CHANNEL);
    Channel parsed = Channel.parse(channel);
    if (parsed == null) {
      return Future.failedFuture(Failure.badRequest("not a channel: " + channel));
    }
    parsed.requireReader(body.getLong(Field.ACTOR_ID), body.getString(Field.ACTOR_ROLE));
    long after = body.getLong(Field.AFTER);
    return redis.eval(List.of(SINCE, "2", seqKey(prefix, channel), prefix + "rt:log:" + channel, String.valueOf(after)))
        .compose(r -> {
          long current = r.get(0).toLong();
          if (r.get(1).toInteger() == 0) {
            return Future.failedFuture(Failure.of(410, after > current
                ? "channel " + channel + " restarted at " + current + ": reload it"
                : "events after " + after + " on " + channel + " are no longer kept: reload it"));
          }
          JsonArray events = new JsonArray();
          for (int i = 2; i < r.size(); i++) {
            events.add(new JsonObject(r.get(i).toString()));
          }
          return Future.succeededFuture(new JsonObject().put("events", events).put(Field.SEQ, current));
        });
  }

  /** {channel} → {seq}: the channel's current sequence number (0 before its first event). */
  Future<JsonObject> current(JsonObject body) {
    return redis.get(seqKey(prefix, body.getString(Field.CHANNEL)))
        .map(r -> new JsonObject().put(Field.SEQ, r == null ? 0L : Long.parseLong(r.toString())));
  }
}
