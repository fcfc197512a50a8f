package dev.liveforum.cache;

import dev.liveforum.bus.Field;
import dev.liveforum.bus.GroupCommit;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Read-through cache of posts ({@code post:<id>}) and of the first page of each post list, in Redis
 * with TTLs. Redis is never the source of truth: a miss, or Redis being down, means the reader asks
 * the database.
 *
 * <p>Each post has a generation counter. A reader notes the generation when it misses, loads from the
 * database, and stores its copy only if the generation is still the same, so a copy read before a write
 * can never be stored after that write's invalidation. List keys embed one generation shared by every
 * list: any change to a post (which may move it in, out of or within any list, or change the counts
 * its items show) bumps it with one INCR, and the orphaned pages expire.
 */
final class ReadCache {
  static final int POST_TTL_SECONDS = 300;
  static final int LIST_TTL_SECONDS = 60;

  /** Returns {value or nil, generation}. */
  private static final String GET = """
      local g = redis.call('GET', KEYS[2]) or '0'
      return {redis.call('GET', KEYS[1]), g}""";
  /** Stores ARGV[1] for ARGV[3] seconds if the generation is still ARGV[2]. */
  private static final String PUT = """
      local g = redis.call('GET', KEYS[2]) or '0'
      if g == ARGV[2] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3]) return 1 end
      return 0""";
  /** A list page is stored under the current list generation: {value or nil, its key}. */
  private static final String LIST_GET = """
      local key = ARGV[1] .. (redis.call('GET', KEYS[1]) or '0')
      return {redis.call('GET', key), key}""";

  /** A post's generation outlives any copy stored under it (POST_TTL_SECONDS) by far. */
  static final int GENERATION_TTL_SECONDS = 86_400;
  /**
   * KEYS: (generation, copy) per post, then the lists' generation; ARGV[1]: the generations' TTL.
   * Bumps each post's generation, drops its copy, bumps the lists' generation.
   */
  private static final String INVALIDATE = """
      for i = 1, #KEYS - 1, 2 do
        redis.call('INCR', KEYS[i])
        redis.call('EXPIRE', KEYS[i], ARGV[1])
        redis.call('DEL', KEYS[i + 1])
      end
      redis.call('INCR', KEYS[#KEYS])
      return 1""";

  private final RedisAPI redis;
  private final String prefix;
  private final GroupCommit<List<Long>, Void> invalidations = new GroupCommit<>(this::invalidateAll);

  ReadCache(RedisAPI redis, String keyPrefix) {
    this.redis = redis;
    this.prefix = keyPrefix;
  }

  Future<JsonObject> getPost(JsonObject body) {
    long id = body.getLong(Field.ID);
    return redis.eval(List.of(GET, "2", postKey(id), postGen(id))).map(r -> reply(r.get(0), r.get(1).toString()));
  }

  Future<JsonObject> putPost(JsonObject body) {
    long id = body.getLong(Field.ID);
    return redis.eval(List.of(PUT, "2", postKey(id), postGen(id), body.getJsonObject(Field.VALUE).encode(),
            body.getString(Field.GENERATION), String.valueOf(POST_TTL_SECONDS)))
        .map(r -> new JsonObject().put("stored", r.toInteger() == 1));
  }

  /** {@code key} names the list (sort, period, board); the reply's generation is the full Redis key. */
  Future<JsonObject> getList(JsonObject body) {
    return redis.eval(List.of(LIST_GET, "1", listGen(), prefix + "list:" + body.getString(Field.KEY) + ":"))
        .map(r -> reply(r.get(0), r.get(1).toString()));
  }

  /** Stores a list page under the key the miss returned; a bumped generation makes it unreachable. */
  Future<JsonObject> putList(JsonObject body) {
    return redis.set(List.of(body.getString(Field.GENERATION), body.getJsonObject(Field.VALUE).encode(),
            "EX", String.valueOf(LIST_TTL_SECONDS)))
        .map(r -> new JsonObject().put("stored", true));
  }

  /**
   * Drops the posts, bumps their generations and the lists' generation. Invalidations that arrive while
   * another is in flight go together into the next call (each post once): one script, one round trip,
   * for every write of the moment, whether its edge asked or its domain event did.
   */
  Future<JsonObject> invalidate(JsonObject body) {
    List<Long> ids = new ArrayList<>();
    for (Object id : body.getJsonArray(Field.POST_IDS, new JsonArray())) {
      ids.add(((Number) id).longValue());
    }
    return invalidations.submit(ids).map(done -> new JsonObject());
  }

  private Future<List<Future<Void>>> invalidateAll(List<List<Long>> batch) {
    Set<Long> ids = new LinkedHashSet<>();
    batch.forEach(ids::addAll);
    List<String> args = new ArrayList<>(ids.size() * 2 + 4);
    args.add(INVALIDATE);
    args.add(String.valueOf(ids.size() * 2 + 1));
    for (long id : ids) {
      args.add(postGen(id));
      args.add(postKey(id));
    }
    args.add(listGen());
    args.add(String.valueOf(GENERATION_TTL_SECONDS));
    return redis.eval(args).map(done -> Collections.nCopies(batch.size(), Future.<Void>succeededFuture()));
  }

  private static JsonObject reply(Response value, String generation) {
    return new JsonObject()
        .put(Field.VALUE, value == null ? null : new JsonObject(value.toString()))
        .put(Field.GENERATION, generation);
  }

  private String postKey(long id) {
    return prefix + "post:" + id;
  }

  private String postGen(long id) {
    return prefix + "post-gen:" + id;
  }

  private String listGen() {
    return prefix + "list-gen";
  }
}
