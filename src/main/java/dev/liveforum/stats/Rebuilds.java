package dev.liveforum.stats;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Rebuilds days' figures from the database, without losing or doubling events that arrive meanwhile:
 * <ol>
 * <li>a flag per day in Redis (one rebuild of a day at a time, cluster-wide) makes every event counted
 * for the day from then on also go to the day's log;</li>
 * <li>persistence reads, in one snapshot, the figures and active users of all the days (a few GROUP BY
 * queries however many days) and the ids of the counted events published in the last minute (any of
 * them may still be on its way here);</li>
 * <li>one script sets each day's counters to the snapshot's plus the logged events the snapshot did not
 * hold, and marks the snapshot's events as counted on the day, so that they count nothing when they
 * arrive.</li>
 * </ol>
 * An event that arrived before the flag was set had been committed before the snapshot, so the
 * snapshot holds it. The flag lives {@link #FLAG_TTL_MS} and is extended while its rebuild runs: a
 * rebuild that fails gives its days up at once, and one whose node died holds them at most that long. Past days need this as much as today: a like withdrawn or a post deleted now, or
 * a view batch written just before midnight, still moves them.
 */
final class Rebuilds {
  private static final long WAIT_STEP_MS = 100;
  static final long FLAG_TTL_MS = 2000;
  private static final long KEEP_EVERY_MS = FLAG_TTL_MS / 4;

  private final Vertx vertx;
  private final DailyStore store;
  private final Function<JsonObject, Future<JsonObject>> database;
  private final long waitMs;
  private final Map<LocalDate, Future<Figures>> running = new HashMap<>();

  /**
   * @param database asks persistence for a range of days' figures ({@code persistence.stats.days})
   * @param busTimeoutMs how long a bus request may take; a reader waits a few of them for another
   *     node's rebuild of a day
   */
  Rebuilds(Vertx vertx, DailyStore store, Function<JsonObject, Future<JsonObject>> database, long busTimeoutMs) {
    this.vertx = vertx;
    this.store = store;
    this.database = database;
    this.waitMs = 3 * busTimeoutMs;
  }

  /** Rebuilds {@code day}; a rebuild of it already running (on this node or another) is waited for instead. */
  Future<Figures> rebuild(LocalDate day) {
    return rebuildAll(List.of(day)).map(figures -> figures.get(0));
  }

  /**
   * Rebuilds every day of {@code days} (oldest first) at once; a day whose rebuild is already running
   * (on this node or another) is waited for instead. The figures come in the order of {@code days}.
   */
  Future<List<Figures>> rebuildAll(List<LocalDate> days) {
    Map<LocalDate, Future<Figures>> each = new LinkedHashMap<>();
    List<LocalDate> fresh = new ArrayList<>();
    for (LocalDate day : days) {
      Future<Figures> current = running.get(day);
      if (current != null) {
        each.put(day, current);
      } else {
        fresh.add(day);
      }
    }
    if (!fresh.isEmpty()) {
      Future<Map<LocalDate, Figures>> together = attempt(fresh, System.currentTimeMillis() + waitMs);
      for (LocalDate day : fresh) {
        Future<Figures> one = together.map(figures -> figures.get(day));
        each.put(day, one);
        running.put(day, one);
        one.onComplete(ar -> running.remove(day, one));
      }
    }
    List<Future<Figures>> all = List.copyOf(each.values());
    return Future.all(all).map(done -> days.stream().map(day -> each.get(day).result()).toList());
  }

  private Future<Map<LocalDate, Figures>> attempt(List<LocalDate> days, long giveUpAt) {
    String token = UUID.randomUUID().toString();
    return store.beginRebuild(days, token, FLAG_TTL_MS).compose(mine -> {
      List<LocalDate> ours = new ArrayList<>();
      List<Future<Figures>> others = new ArrayList<>();
      for (int i = 0; i < days.size(); i++) {
        if (mine.get(i)) {
          ours.add(days.get(i));
        } else {
          others.add(waitForOther(days.get(i), giveUpAt));
        }
      }
      return (ours.isEmpty() ? Future.succeededFuture(new HashMap<LocalDate, Figures>()) : holding(ours, token))
          .compose(figures -> Future.all(others).map(done -> {
            others.forEach(other -> figures.put(other.result().day(), other.result()));
            return figures;
          }));
    });
  }

  /** {@link #fromDatabase}, keeping the days' flags alive while it runs and giving them up if it fails. */
  private Future<Map<LocalDate, Figures>> holding(List<LocalDate> days, String token) {
    long keeper = vertx.setPeriodic(KEEP_EVERY_MS, id -> store.keepRebuild(days, token, FLAG_TTL_MS));
    return fromDatabase(days, token)
        .onComplete(ar -> vertx.cancelTimer(keeper))
        .onFailure(t -> store.abandonRebuild(days, token));
  }

  /** Rebuilds {@code days} (oldest first, all flagged by this rebuild) from one snapshot of the database. */
  private Future<Map<LocalDate, Figures>> fromDatabase(List<LocalDate> days, String token) {
    JsonObject range = new JsonObject().put(Field.FROM, days.get(0).toString())
        .put(Field.TO, days.get(days.size() - 1).toString());
    return database.apply(range).compose(db -> {
      Map<LocalDate, JsonObject> rows = new HashMap<>();
      db.getJsonArray(Field.DAYS).forEach(row -> rows.put(LocalDate.parse(((JsonObject) row).getString(Field.DAY)),
          (JsonObject) row));
      Map<LocalDate, List<String>> active = new HashMap<>();
      List<Figures> figures = new ArrayList<>(days.size());
      for (LocalDate day : days) {
        JsonObject row = rows.get(day);
        if (row != null) {
          active.put(day, strings(row.getJsonArray(Field.ACTIVE_USER_IDS)));
        }
        figures.add(row == null ? Figures.none(day) : figures(day, row));
      }
      return store.addActive(active)
          .compose(v -> store.finishRebuild(token, figures, strings(db.getJsonArray(Field.RECENT_EVENT_IDS))));
    }).compose(done -> done.contains(false)
        ? Future.failedFuture(Failure.unavailable("rebuilding " + days.size() + " day(s) from " + days.get(0)
            + " took too long; try again"))
        : store.read(days)).map(stored -> {
          Map<LocalDate, Figures> out = new HashMap<>();
          stored.forEach(s -> out.put(s.figures().day(), s.figures()));
          return out;
        });
  }

  /** Another node is rebuilding the day: its result is read once it is there. */
  private Future<Figures> waitForOther(LocalDate day, long giveUpAt) {
    return store.read(List.of(day)).compose(stored -> {
      if (stored.get(0).built()) {
        return Future.succeededFuture(stored.get(0).figures());
      }
      if (System.currentTimeMillis() > giveUpAt) {
        return Future.failedFuture(Failure.unavailable("another rebuild of " + day + " is still running; try again"));
      }
      Promise<Void> later = Promise.promise();
      vertx.setTimer(WAIT_STEP_MS, id -> later.complete());
      // The other rebuild may have ended without a result, or its node died (its flag then expires soon): try again.
      return later.future().compose(v -> attempt(List.of(day), giveUpAt)).map(figures -> figures.get(day));
    });
  }

  private static Figures figures(LocalDate day, JsonObject db) {
    return new Figures(day, db.getLong(Field.USERS), db.getLong(Field.POSTS), db.getLong(Field.COMMENTS),
        db.getLong(Field.LIKES), db.getLong(Field.VIEWS), 0);
  }

  private static List<String> strings(JsonArray values) {
    List<String> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(String.valueOf(v)));
    return out;
  }
}
