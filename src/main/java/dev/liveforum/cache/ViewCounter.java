package dev.liveforum.cache;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Post views, buffered in Redis and added to the database in batches, so reading a post never writes
 * the database and never invalidates a cache.
 *
 * <p>A view counts once per viewer per post per UTC day (a set per post and day, expiring after
 * {@link #SEEN_TTL_SECONDS}); a counted view adds one to the post's field in the pending hash.
 * {@link #flush()} runs on a timer on every cache node, but only the holder of the flush lock works:
 * it renames the pending hash to a flushing hash tagged with a new batch id (atomically, so views
 * arriving meanwhile start a new pending hash) and hands the batch to persistence, which applies a
 * batch id once. The flushing hash is deleted only after persistence confirms. If that fails, or the
 * reply is lost, or the lock expires and another node takes over, the same batch, with the same id,
 * is retried on the next tick: a view is neither lost nor counted twice. (Merging a failed batch back
 * into the pending hash would count it twice whenever the database had committed but the reply was
 * lost.) Until a batch is confirmed, readers see the database count plus pending plus flushing views.
 */
final class ViewCounter {
  private static final Logger log = LoggerFactory.getLogger(ViewCounter.class);
  /** A day's de-duplication set outlives the day by a day, whatever the viewer's time zone. */
  static final long SEEN_TTL_SECONDS = 48 * 3600;
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

  /**
   * KEYS: seen set, pending, flushing, totals; ARGV: viewer, seen TTL, post id. Returns {counted, not
   * yet flushed, total}. The total of every view Redis has counted for the post lets a reader whose
   * copy of the post (and its database count) predates a flush still show the right number.
   */
  private static final String RECORD = """
      local counted = redis.call('SADD', KEYS[1], ARGV[1])
      if counted == 1 then
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
        redis.call('HINCRBY', KEYS[4], ARGV[3], 1)
      end
      local pending = tonumber(redis.call('HGET', KEYS[2], ARGV[3]) or '0')
        + tonumber(redis.call('HGET', KEYS[3], ARGV[3]) or '0')
      return {counted, pending, tonumber(redis.call('HGET', KEYS[4], ARGV[3]) or '0')}""";
  /**
   * KEYS: pending, flushing, totals; ARGV: post ids. Both hashes read at once, so a flush in between
   * cannot hide views. Returns {pending, total} per post.
   */
  private static final String PENDING = """
      local a = redis.call('HMGET', KEYS[1], unpack(ARGV))
      local b = redis.call('HMGET', KEYS[2], unpack(ARGV))
      local t = redis.call('HMGET', KEYS[3], unpack(ARGV))
      local out = {}
      for i = 1, #ARGV do
        out[2 * i - 1] = (tonumber(a[i]) or 0) + (tonumber(b[i]) or 0)
        out[2 * i] = tonumber(t[i]) or 0
      end
      return out""";
  /**
   * KEYS: pending, flushing, batch id; ARGV: a new batch id. An unconfirmed batch is retried as it is;
   * otherwise the pending hash becomes the batch. Returns {batch id, field, value, …} or nil.
   */
  private static final String TAKE = """
      if redis.call('EXISTS', KEYS[2]) == 0 then
        if redis.call('EXISTS', KEYS[1]) == 0 then return nil end
        redis.call('RENAME', KEYS[1], KEYS[2])
        redis.call('SET', KEYS[3], ARGV[1])
      end
      local batch = redis.call('GET', KEYS[3])
      if not batch then
        batch = ARGV[1]
        redis.call('SET', KEYS[3], batch)
      end
      local out = redis.call('HGETALL', KEYS[2])
      table.insert(out, 1, batch)
      return out""";
  /** KEYS: flushing, batch id; ARGV: the confirmed batch id. Drops the batch only if it is still that one. */
  private static final String DONE = """
      if redis.call('GET', KEYS[2]) == ARGV[1] then return redis.call('DEL', KEYS[1], KEYS[2]) end
      return 0""";
  /** KEYS: lock; ARGV: token. Only the holder releases the lock. */
  private static final String UNLOCK = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""";

  private final RedisAPI redis;
  private final String seenPrefix;
  private final String pendingKey;
  private final String flushingKey;
  private final String batchKey;
  private final String lockKey;
  private final String totalKey;
  private final long lockMs;
  private final Function<JsonObject, Future<?>> store;
  private boolean flushRunning;

  /**
   * @param lockMs how long the flush lock is held at most: longer than a flush normally takes, so
   *               that a node that died holding it blocks the others only that long
   * @param store  adds a batch {@code {batch, views}} to the database, once per batch id
   */
  ViewCounter(RedisAPI redis, String keyPrefix, long lockMs, Function<JsonObject, Future<?>> store) {
    this.redis = redis;
    this.seenPrefix = keyPrefix + "views:seen:";
    this.pendingKey = keyPrefix + "views:pending";
    this.flushingKey = keyPrefix + "views:flushing";
    this.batchKey = keyPrefix + "views:flushing:batch";
    this.lockKey = keyPrefix + "views:lock";
    this.totalKey = keyPrefix + "views:total";
    this.lockMs = lockMs;
    this.store = store;
  }

  /** {@code {postId, viewer}} → {@code {counted, pending}}: whether this view counted, and the post's unflushed views. */
  Future<JsonObject> record(JsonObject body) {
    Long postId = body.getLong(Field.POST_ID);
    String viewer = body.getString(Field.VIEWER);
    if (postId == null || viewer == null || viewer.isEmpty()) {
      return Future.failedFuture(Failure.badRequest("postId and viewer are required"));
    }
    String seen = seenPrefix + LocalDate.now(ZoneOffset.UTC).format(DAY) + ":" + postId;
    return redis.eval(List.of(RECORD, "4", seen, pendingKey, flushingKey, totalKey, viewer,
            String.valueOf(SEEN_TTL_SECONDS), String.valueOf(postId)))
        .map(r -> new JsonObject().put("counted", r.get(0).toLong() == 1).put(Field.PENDING, r.get(1).toLong())
            .put(Field.TOTAL, r.get(2).toLong()))
        .recover(ViewCounter::unavailable);
  }

  /**
   * {@code {views: [{postId, viewer}, …]}} → {@code {counts: {"<postId>": {pending, total}}}}: records
   * many views at once (one script call each, pipelined), as an HTTP node's batch, and answers each
   * post's counts after the last of its views.
   */
  Future<JsonObject> recordBatch(JsonObject body) {
    JsonArray views = body.getJsonArray(Field.VIEWS, new JsonArray());
    List<Future<JsonObject>> done = new ArrayList<>(views.size());
    for (Object view : views) {
      done.add(record((JsonObject) view));
    }
    return Future.all(done).map(all -> {
      JsonObject counts = new JsonObject();
      for (int i = 0; i < views.size(); i++) {
        JsonObject reply = done.get(i).result();
        counts.put(String.valueOf(views.getJsonObject(i).getLong(Field.POST_ID)), new JsonObject()
            .put(Field.PENDING, reply.getLong(Field.PENDING)).put(Field.TOTAL, reply.getLong(Field.TOTAL)));
      }
      return new JsonObject().put(Field.COUNTS, counts);
    });
  }

  /** {@code {postIds: [..]}} → {@code {pending: {"<id>": n}, total: {"<id>": n}}}, 0 for posts Redis has no views of. */
  Future<JsonObject> pending(JsonObject body) {
    JsonArray ids = body.getJsonArray(Field.POST_IDS, new JsonArray());
    if (ids.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put(Field.PENDING, new JsonObject()));
    }
    List<String> args = new ArrayList<>(List.of(PENDING, "3", pendingKey, flushingKey, totalKey));
    ids.forEach(id -> args.add(String.valueOf(id)));
    return redis.eval(args).map(r -> {
      JsonObject pending = new JsonObject();
      JsonObject total = new JsonObject();
      for (int i = 0; i < ids.size(); i++) {
        pending.put(String.valueOf(ids.getValue(i)), r.get(2 * i).toLong());
        total.put(String.valueOf(ids.getValue(i)), r.get(2 * i + 1).toLong());
      }
      return new JsonObject().put(Field.PENDING, pending).put(Field.TOTAL, total);
    }).recover(ViewCounter::unavailable);
  }

  /**
   * One flush, if this node gets the lock and no flush of its own is still running: the number of
   * posts whose views were added, 0 when there was nothing to do or another node holds the lock.
   */
  Future<Integer> flush() {
    if (flushRunning) {
      return Future.succeededFuture(0);
    }
    flushRunning = true;
    String token = UUID.randomUUID().toString();
    return redis.set(List.of(lockKey, token, "NX", "PX", String.valueOf(lockMs)))
        .compose(locked -> locked == null ? Future.succeededFuture(0)
            : takeAndStore().eventually(() -> redis.eval(List.of(UNLOCK, "1", lockKey, token))))
        .onComplete(ar -> flushRunning = false)
        .onFailure(t -> log.warn("view flush failed; the batch stays in Redis and is retried: {}", t.getMessage()));
  }

  private Future<Integer> takeAndStore() {
    return redis.eval(List.of(TAKE, "3", pendingKey, flushingKey, batchKey, UUID.randomUUID().toString()))
        .compose(r -> {
          if (r == null) {
            return Future.succeededFuture(0);
          }
          String batch = r.get(0).toString();
          JsonObject views = new JsonObject();
          for (int i = 1; i + 1 < r.size(); i += 2) {
            views.put(r.get(i).toString(), r.get(i + 1).toLong());
          }
          return store.apply(new JsonObject().put(Field.BATCH, batch).put(Field.VIEWS, views))
              .compose(stored -> redis.eval(List.of(DONE, "2", flushingKey, batchKey, batch)))
              .map(done -> views.size());
        });
  }

  private static <T> Future<T> unavailable(Throwable t) {
    return Future.failedFuture(t instanceof io.vertx.core.eventbus.ReplyException ? t
        : Failure.unavailable("Redis is unavailable"));
  }
}
