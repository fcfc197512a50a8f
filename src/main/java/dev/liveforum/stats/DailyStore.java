package dev.liveforum.stats;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The daily figures in Redis: per UTC day a hash of counters ({@code stats:day:<day>}) and a
 * HyperLogLog of active users ({@code stats:active:<day>}). A day's hash says {@code built} once a
 * rebuild from the database has filled it; counters of a day that lacks it (Redis lost its data, or
 * nobody has read that day yet) are incomplete, and reading the day rebuilds it first.
 */
final class DailyStore {
  static final String[] COUNTERS = {"users", "posts", "comments", "likes", "views"};
  /** A day is kept long enough for a full year's series; older days are rebuilt when asked for. */
  static final long DAY_TTL_SECONDS = 400L * 86_400;
  /** An event is redelivered within seconds (a relay retrying its batch); a day is ample. */
  static final long MARKER_TTL_SECONDS = 86_400;

  /**
   * Counts one event on one day, once. KEYS: day hash, active HLL, the event's marker for that day,
   * the day's rebuild flag, the day's rebuild log. ARGV: marker TTL, day TTL, event id, deltas
   * ({@code field:n,…}), active user id or ''. While the day is being rebuilt the event is also logged,
   * so the rebuild can add it if its snapshot of the database did not hold it yet.
   */
  private static final String COUNT = """
      if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[1]) then return 0 end
      for field, n in string.gmatch(ARGV[4], '(%a+):(-?%d+)') do redis.call('HINCRBY', KEYS[1], field, n) end
      redis.call('EXPIRE', KEYS[1], ARGV[2])
      if ARGV[5] ~= '' then
        redis.call('PFADD', KEYS[2], ARGV[5])
        redis.call('EXPIRE', KEYS[2], ARGV[2])
      end
      if redis.call('EXISTS', KEYS[4]) == 1 then
        redis.call('HSET', KEYS[5], ARGV[3], ARGV[4])
        redis.call('EXPIRE', KEYS[5], 3600)
      end
      return 1""";
  /**
   * KEYS: per day its rebuild flag and rebuild log. ARGV: token, flag TTL in ms. Per day, 1 when this
   * rebuild may go ahead with it, 0 when another rebuild of it is under way.
   */
  private static final String BEGIN = """
      local out = {}
      for i = 1, #KEYS, 2 do
        if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
          redis.call('DEL', KEYS[i + 1])
          out[#out + 1] = 1
        else
          out[#out + 1] = 0
        end
      end
      return out""";
  /**
   * Replaces each day's counters with the database's, plus the events logged during the rebuild that
   * the snapshot did not hold, and marks the events it did hold as counted on the day (they may still
   * arrive). KEYS: per day its hash, active HLL, rebuild flag, rebuild log. ARGV: token, day TTL, marker
   * TTL, number of days, per day its marker key prefix, users, posts, comments, likes and views, then
   * the snapshot's recent event ids. Per day 1, or 0 when its flag is no longer this rebuild's (it took
   * too long): that day is left unchanged.
   */
  private static final String FINISH = """
      local days = tonumber(ARGV[4])
      local first = 5 + 6 * days
      local held = {}
      for i = first, #ARGV do held[ARGV[i]] = true end
      local out = {}
      for d = 0, days - 1 do
        local k, a = 4 * d, 5 + 6 * d
        if redis.call('GET', KEYS[k + 3]) ~= ARGV[1] then
          out[d + 1] = 0
        else
          local fig = {users = tonumber(ARGV[a + 1]), posts = tonumber(ARGV[a + 2]),
            comments = tonumber(ARGV[a + 3]), likes = tonumber(ARGV[a + 4]), views = tonumber(ARGV[a + 5])}
          for i = first, #ARGV do redis.call('SET', ARGV[a] .. ARGV[i], '1', 'NX', 'EX', ARGV[3]) end
          local log = redis.call('HGETALL', KEYS[k + 4])
          for i = 1, #log, 2 do
            if not held[log[i]] then
              for field, n in string.gmatch(log[i + 1], '(%a+):(-?%d+)') do fig[field] = fig[field] + tonumber(n) end
            end
          end
          redis.call('DEL', KEYS[k + 1], KEYS[k + 3], KEYS[k + 4])
          redis.call('HSET', KEYS[k + 1], 'users', fig.users, 'posts', fig.posts, 'comments', fig.comments,
            'likes', fig.likes, 'views', fig.views, 'built', '1')
          redis.call('EXPIRE', KEYS[k + 1], ARGV[2])
          redis.call('EXPIRE', KEYS[k + 2], ARGV[2])
          out[d + 1] = 1
        end
      end
      return out""";
  /**
   * KEYS: rebuild flags. ARGV: token, flag TTL in ms. Extends each flag that is still this rebuild's;
   * returns how many were.
   */
  private static final String KEEP = """
      local kept = 0
      for i = 1, #KEYS do
        if redis.call('GET', KEYS[i]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[i], ARGV[2])
          kept = kept + 1
        end
      end
      return kept""";
  /** KEYS: per day its rebuild flag and rebuild log. ARGV: token. Drops the flags (and logs) still this rebuild's. */
  private static final String ABANDON = """
      for i = 1, #KEYS, 2 do
        if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i], KEYS[i + 1]) end
      end
      return 0""";
  /**
   * Whether to push figures to the live channel: 0 when they are what was pushed last, -1 when a push
   * (by any node) happened less than ARGV[2] ms ago, 1 when they should go out now. KEYS: lock, last.
   */
  private static final String PUSH_GATE = """
      if redis.call('GET', KEYS[2]) == ARGV[1] then return 0 end
      if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return -1 end
      redis.call('SET', KEYS[2], ARGV[1], 'EX', 86400)
      return 1""";

  private final Redis client;
  private final RedisAPI redis;
  private final String prefix;

  DailyStore(Redis client, String keyPrefix) {
    this.client = client;
    this.redis = RedisAPI.api(client);
    this.prefix = keyPrefix + "stats:";
  }

  /** Counts the event's change once per event id and day; true when this call counted it. */
  Future<Boolean> count(String eventId, Contributions.Change change) {
    String day = change.day().toString();
    return redis.eval(List.of(COUNT, "5", dayKey(day), activeKey(day), markerPrefix(day) + eventId,
            rebuildKey(day), logKey(day), String.valueOf(MARKER_TTL_SECONDS), String.valueOf(DAY_TTL_SECONDS),
            eventId, change.encoded(), change.activeUser() == null ? "" : String.valueOf(change.activeUser())))
        .map(r -> r.toInteger() == 1);
  }

  /** The figures of each day, in order, and whether each is complete ({@code built}). */
  Future<List<Stored>> read(List<LocalDate> days) {
    List<Request> batch = new ArrayList<>(2 * days.size());
    for (LocalDate day : days) {
      Request hmget = Request.cmd(Command.HMGET).arg(dayKey(day.toString()));
      for (String counter : COUNTERS) {
        hmget.arg(counter);
      }
      batch.add(hmget.arg("built"));
      batch.add(Request.cmd(Command.PFCOUNT).arg(activeKey(day.toString())));
    }
    return client.batch(batch).map(responses -> {
      List<Stored> out = new ArrayList<>(days.size());
      for (int i = 0; i < days.size(); i++) {
        Response counters = responses.get(2 * i);
        out.add(new Stored(new Figures(days.get(i), number(counters.get(0)), number(counters.get(1)),
            number(counters.get(2)), number(counters.get(3)), number(counters.get(4)),
            responses.get(2 * i + 1).toLong()), counters.get(5) != null));
      }
      return out;
    });
  }

  record Stored(Figures figures, boolean built) {}

  /** Starts rebuilding each of {@code days} that no other rebuild has under way: per day, whether this one may go ahead. */
  Future<List<Boolean>> beginRebuild(List<LocalDate> days, String token, long ttlMs) {
    List<String> args = new ArrayList<>(List.of(BEGIN, String.valueOf(2 * days.size())));
    for (LocalDate day : days) {
      args.add(rebuildKey(day.toString()));
      args.add(logKey(day.toString()));
    }
    args.add(token);
    args.add(String.valueOf(ttlMs));
    return redis.eval(args).map(DailyStore::flags);
  }

  /** Extends the flags of {@code days} that this rebuild still holds, so they outlive it only briefly if it dies. */
  Future<Void> keepRebuild(List<LocalDate> days, String token, long ttlMs) {
    List<String> args = new ArrayList<>(List.of(KEEP, String.valueOf(days.size())));
    days.forEach(day -> args.add(rebuildKey(day.toString())));
    args.add(token);
    args.add(String.valueOf(ttlMs));
    return redis.eval(args).mapEmpty();
  }

  /** Gives up a failed rebuild's days at once, so the next reader need not wait for the flags to expire. */
  Future<Void> abandonRebuild(List<LocalDate> days, String token) {
    List<String> args = new ArrayList<>(List.of(ABANDON, String.valueOf(2 * days.size())));
    for (LocalDate day : days) {
      args.add(rebuildKey(day.toString()));
      args.add(logKey(day.toString()));
    }
    args.add(token);
    return redis.eval(args).mapEmpty();
  }

  /** Adds users to each day's active users (a union: adding one twice changes nothing). */
  Future<Void> addActive(Map<LocalDate, List<String>> userIds) {
    List<Request> batch = new ArrayList<>();
    userIds.forEach((day, ids) -> {
      for (int i = 0; i < ids.size(); i += 1000) {
        Request pfadd = Request.cmd(Command.PFADD).arg(activeKey(day.toString()));
        ids.subList(i, Math.min(ids.size(), i + 1000)).forEach(pfadd::arg);
        batch.add(pfadd);
      }
    });
    return batch.isEmpty() ? Future.succeededFuture() : client.batch(batch).mapEmpty();
  }

  /**
   * Completes a rebuild of the days of {@code db} with the database's figures: per day, whether it did,
   * or lost its flag and changed nothing.
   */
  Future<List<Boolean>> finishRebuild(String token, List<Figures> db, List<String> recentEventIds) {
    List<String> args = new ArrayList<>(List.of(FINISH, String.valueOf(4 * db.size())));
    for (Figures f : db) {
      String d = f.day().toString();
      args.addAll(List.of(dayKey(d), activeKey(d), rebuildKey(d), logKey(d)));
    }
    args.addAll(List.of(token, String.valueOf(DAY_TTL_SECONDS), String.valueOf(MARKER_TTL_SECONDS),
        String.valueOf(db.size())));
    for (Figures f : db) {
      args.addAll(List.of(markerPrefix(f.day().toString()), String.valueOf(f.users()), String.valueOf(f.posts()),
          String.valueOf(f.comments()), String.valueOf(f.likes()), String.valueOf(f.views())));
    }
    args.addAll(recentEventIds);
    return redis.eval(args).map(DailyStore::flags);
  }

  private static List<Boolean> flags(Response r) {
    List<Boolean> out = new ArrayList<>(r.size());
    r.forEach(flag -> out.add(flag.toInteger() == 1));
    return out;
  }

  /** Forgets that a day is complete, so that its next reader rebuilds it (an event could not be counted). */
  Future<Void> markIncomplete(LocalDate day) {
    return redis.hdel(List.of(dayKey(day.toString()), "built")).mapEmpty();
  }

  /** The last day a stats node said it was running, or null when none ever did (or Redis lost it). */
  Future<LocalDate> lastRunning() {
    return redis.get(prefix + "running").map(r -> r == null ? null : LocalDate.parse(r.toString()));
  }

  /** A stats node is running on {@code day}: it counts that day's events. */
  Future<Void> running(LocalDate day) {
    return redis.set(List.of(prefix + "running", day.toString(), "EX", String.valueOf(DAY_TTL_SECONDS))).mapEmpty();
  }

  /** See {@link #PUSH_GATE}. */
  Future<Integer> pushGate(String figures, long intervalMs) {
    return redis.eval(List.of(PUSH_GATE, "2", prefix + "live:lock", prefix + "live:last", figures,
        String.valueOf(intervalMs))).map(Response::toInteger);
  }

  private String dayKey(String day) {
    return prefix + "day:" + day;
  }

  private String activeKey(String day) {
    return prefix + "active:" + day;
  }

  private String markerPrefix(String day) {
    return prefix + "seen:" + day + ":";
  }

  private String rebuildKey(String day) {
    return prefix + "rebuild:" + day;
  }

  private String logKey(String day) {
    return prefix + "log:" + day;
  }

  private static long number(Response r) {
    return r == null ? 0 : r.toLong();
  }
}
