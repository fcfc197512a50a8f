package dev.liveforum.stats;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The {@code stats.*} commands: daily series, summary and rebuild, for admins only. */
final class Statistics {
  static final int MAX_DAYS = 366;
  static final int DEFAULT_DAYS = 30;

  private final DailyStore store;
  private final Rebuilds rebuilds;
  private final Function<JsonObject, Future<JsonObject>> databaseSummary;

  Statistics(DailyStore store, Rebuilds rebuilds, Function<JsonObject, Future<JsonObject>> databaseSummary) {
    this.store = store;
    this.rebuilds = rebuilds;
    this.databaseSummary = databaseSummary;
  }

  static LocalDate utcToday() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /** {@code {from?, to?}} → {@code {from, to, days: [figures…]}}: one entry per day, oldest first. */
  Future<JsonObject> daily(JsonObject body) {
    Failure.requireAdmin(body, "see statistics");
    LocalDate to = date(body, Field.TO, utcToday());
    LocalDate from = date(body, Field.FROM, to.minusDays(DEFAULT_DAYS - 1));
    if (from.isAfter(to)) {
      throw Failure.badRequest("from (" + from + ") is after to (" + to + ")");
    }
    long length = ChronoUnit.DAYS.between(from, to) + 1;
    if (length > MAX_DAYS) {
      throw Failure.badRequest("a series covers at most " + MAX_DAYS + " days; " + from + " to " + to + " is "
          + length);
    }
    List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
    return figures(days).map(figures -> {
      JsonArray out = new JsonArray();
      figures.forEach(f -> out.add(f.json()));
      return new JsonObject().put(Field.FROM, from.toString()).put(Field.TO, to.toString()).put(Field.DAYS, out);
    }).recover(Statistics::unavailable);
  }

  /** → {@code {totals, today, topPosts}}: all-time totals and today's top posts from the database, today's figures. */
  Future<JsonObject> summary(JsonObject body) {
    Failure.requireAdmin(body, "see statistics");
    LocalDate today = utcToday();
    return today().compose(figures -> databaseSummary.apply(new JsonObject().put(Field.DAY, today.toString()))
            .map(db -> new JsonObject()
                .put(Field.TOTALS, db.getJsonObject(Field.TOTALS))
                .put(Field.TODAY, figures.json())
                .put(Field.TOP_POSTS, db.getJsonArray(Field.TOP_POSTS))))
        .recover(Statistics::unavailable);
  }

  /** {@code {day}} → the day's figures, rebuilt from the database now. */
  Future<JsonObject> rebuild(JsonObject body) {
    Failure.requireAdmin(body, "see statistics");
    LocalDate day = date(body, Field.DAY, null);
    if (day == null) {
      throw Failure.badRequest("day is required, as YYYY-MM-DD");
    }
    if (day.isAfter(utcToday())) {
      throw Failure.badRequest("day " + day + " has not begun yet (UTC)");
    }
    return rebuilds.rebuild(day).map(Figures::json).recover(Statistics::unavailable);
  }

  /** → today's figures, as the live channel pushes them. */
  Future<JsonObject> todayFor(JsonObject body) {
    Failure.requireAdmin(body, "see statistics");
    return today().map(Figures::json).recover(Statistics::unavailable);
  }

  /** Today's figures, complete (rebuilt first if Redis lacks them). */
  Future<Figures> today() {
    return figures(List.of(utcToday())).map(list -> list.get(0));
  }

  /**
   * The figures of {@code days} from Redis; days up to today that Redis lacks are rebuilt from the
   * database first, all together. Days after today have nothing yet.
   */
  private Future<List<Figures>> figures(List<LocalDate> days) {
    LocalDate today = utcToday();
    return store.read(days).compose(stored -> {
      List<LocalDate> missing = new ArrayList<>();
      stored.forEach(s -> {
        if (!s.built() && !s.figures().day().isAfter(today)) {
          missing.add(s.figures().day());
        }
      });
      if (missing.isEmpty()) {
        return Future.succeededFuture(stored.stream().map(DailyStore.Stored::figures).toList());
      }
      return rebuilds.rebuildAll(missing).compose(v -> store.read(days))
          .map(again -> again.stream().map(DailyStore.Stored::figures).toList());
    });
  }

  private static LocalDate date(JsonObject body, String field, LocalDate fallback) {
    String text = body.getString(field);
    if (text == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw Failure.badRequest(field + " must be a date as YYYY-MM-DD, not '" + text + "'");
    }
  }

  /** A refusal passes on; anything else means Redis or the database cannot answer now. */
  private static <T> Future<T> unavailable(Throwable t) {
    return Future.failedFuture(t instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        ? t : Failure.unavailable("statistics are unavailable: the database or Redis cannot be reached"));
  }
}
