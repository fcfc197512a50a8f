package dev.liveforum.cache;

import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.GroupCommit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;

import java.util.ArrayList;
import java.util.List;

/**
 * Each realtime channel's sequence number and capped backlog, in Redis. Every node that delivers an
 * event asks for its number; the first asker numbers and stores it, the others get the same number
 * back (by event id), so an event has one number however many nodes deliver it.
 */
final class RealtimeLog {
  /** The sequence outlives the backlog, so a client far behind is told to reload rather than restarted at 1. */
  static final int SEQ_TTL_SECONDS = 7 * 86_400;

  /**
   * Numbers and stores events in order. KEYS: (seq, log, event marker) per event. ARGV: each event's JSON
   * (an object), then cap, log TTL, seq TTL. Returns (seq, 1 if new) per event; an event already
   * numbered (by another bridge, or earlier in the same call) gets its number back.
   */
  private static final String APPEND = """
      local n = #KEYS / 3
      local cap = tonumber(ARGV[n + 1])
      local out = {}
      for i = 1, n do
        local seqKey, logKey, marker = KEYS[3 * i - 2], KEYS[3 * i - 1], KEYS[3 * i]
        local done = redis.call('GET', marker)
        if done then
          out[#out + 1] = tonumber(done)
          out[#out + 1] = 0
        else
          local seq = redis.call('INCR', seqKey)
          redis.call('EXPIRE', seqKey, ARGV[n + 3])
          redis.call('SET', marker, seq, 'EX', ARGV[n + 2])
          redis.call('ZADD', logKey, seq, '{"seq":' .. seq .. ',' .. string.sub(ARGV[i], 2))
          redis.call('ZREMRANGEBYRANK', logKey, 0, -(cap + 1))
          redis.call('EXPIRE', logKey, ARGV[n + 2])
          out[#out + 1] = seq
          out[#out + 1] = 1
        end
      end
      return out""";
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
  private final GroupCommit<JsonObject, JsonObject> appends = new GroupCommit<>(this::appendAll);

  RealtimeLog(RedisAPI redis, String keyPrefix, int capacity, int ttlSeconds) {
    this.redis = redis;
    this.prefix = keyPrefix;
    this.capacity = capacity;
    this.ttlSeconds = ttlSeconds;
  }

  static String seqKey(String prefix, String channel) {
    return prefix + "rt:seq:" + channel;
  }

  /**
   * {channel, eventId, event} → {seq, fresh}: the event's number on its channel. Appends that arrive
   * while another is in flight go together into the next script call, in the order they came.
   */
  Future<JsonObject> append(JsonObject body) {
    return appends.submit(body);
  }

  private Future<List<Future<JsonObject>>> appendAll(List<JsonObject> batch) {
    List<String> args = new ArrayList<>(batch.size() * 4 + 5);
    args.add(APPEND);
    args.add(String.valueOf(batch.size() * 3));
    for (JsonObject body : batch) {
      String channel = body.getString(Field.CHANNEL);
      args.add(seqKey(prefix, channel));
      args.add(prefix + "rt:log:" + channel);
      args.add(prefix + "rt:ev:" + body.getString(Field.EVENT_ID));
    }
    for (JsonObject body : batch) {
      args.add(body.getJsonObject(Field.EVENT).encode());
    }
    args.add(String.valueOf(capacity));
    args.add(String.valueOf(ttlSeconds));
    args.add(String.valueOf(SEQ_TTL_SECONDS));
    return redis.eval(args).map(r -> {
      List<Future<JsonObject>> out = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        out.add(Future.succeededFuture(new JsonObject().put(Field.SEQ, r.get(2 * i).toLong())
            .put("fresh", r.get(2 * i + 1).toInteger() == 1)));
      }
      return out;
    });
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
