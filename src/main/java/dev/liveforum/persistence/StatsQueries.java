package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The statistics as the tables hold them (the source of truth the stats role rebuilds from), and the
 * few statements writers run so that the tables keep saying what the events said.
 */
final class StatsQueries {
  /**
   * How long after publication an event may still be on its way to a stats node. A rebuild's snapshot
   * names the counted events published within this window, so that their late arrival is not counted
   * on top of the snapshot.
   */
  static final int IN_FLIGHT_SECONDS = 60;
  static final int TOP_POSTS = 5;
  private static final String[] FIGURES = {Field.USERS, Field.POSTS, Field.COMMENTS, Field.LIKES, Field.VIEWS};

  private final Pool pool;

  StatsQueries(Pool pool) {
    this.pool = pool;
  }

  /**
   * {@code {from, to}} → {@code {days: [{day, users, posts, comments, likes, views, activeUserIds}],
   * recentEventIds}}: the figures and active users of every day from {@code from} to {@code to} that
   * has any (a day left out has none), and the ids of recently published events, all read in one
   * consistent snapshot with three queries however long the range.
   */
  Future<JsonObject> days(JsonObject body) {
    LocalDate from = day(body.getString(Field.FROM));
    LocalDate until = day(body.getString(Field.TO)).plusDays(1);
    if (!from.isBefore(until)) {
      throw Failure.badRequest("from is after to");
    }
    LocalDateTime start = from.atStartOfDay();
    LocalDateTime end = until.atStartOfDay();
    Tuple range = Tuple.of(start, end, start, end, start, end, start, end, from, until);
    Map<LocalDate, JsonObject> days = new TreeMap<>();
    Function<Row, JsonObject> dayOf = row -> days.computeIfAbsent(row.getLocalDate("day"), d -> {
      JsonObject figures = new JsonObject().put(Field.DAY, d.toString()).put(Field.ACTIVE_USER_IDS, new JsonArray());
      for (String figure : FIGURES) {
        figures.put(figure, 0L);
      }
      return figures;
    });
    JsonObject out = new JsonObject();
    return pool.getConnection().compose(conn -> snapshot(conn)
            .compose(tx -> conn.preparedQuery(StatsSql.FIGURES).execute(range)
                .compose(rows -> {
                  rows.forEach(row -> dayOf.apply(row).put(row.getString("figure"), row.getLong("n")));
                  return conn.preparedQuery(StatsSql.ACTIVE_USERS).execute(range);
                })
                .compose(rows -> {
                  rows.forEach(row -> dayOf.apply(row).getJsonArray(Field.ACTIVE_USER_IDS).add(row.getLong("user_id")));
                  return conn.preparedQuery(StatsSql.RECENT_EVENTS).execute(Tuple.of(IN_FLIGHT_SECONDS));
                })
                .compose(rows -> {
                  JsonArray ids = new JsonArray();
                  rows.forEach(row -> ids.add(row.getString("event_id")));
                  out.put(Field.RECENT_EVENT_IDS, ids);
                  return tx.commit();
                }))
            .eventually(conn::close))
        .map(done -> out.put(Field.DAYS, new JsonArray(List.copyOf(days.values()))))
        .recover(Database::classify);
  }

  /** {@code {day}} → {@code {totals, topPosts}}: all-time counts and the day's busiest posts. */
  Future<JsonObject> summary(JsonObject body) {
    LocalDateTime start = day(body.getString(Field.DAY)).atStartOfDay();
    LocalDateTime end = start.plusDays(1);
    JsonObject out = new JsonObject();
    return pool.query(StatsSql.TOTALS).execute()
        .compose(rows -> {
          Row row = Rows.first(rows);
          JsonObject totals = new JsonObject();
          for (String figure : FIGURES) {
            totals.put(figure, row.getLong(figure));
          }
          out.put(Field.TOTALS, totals);
          return pool.preparedQuery(StatsSql.TOP_POSTS).execute(Tuple.of(start, end, start, end, TOP_POSTS));
        })
        .map(rows -> {
          JsonArray top = new JsonArray();
          rows.forEach(row -> top.add(new JsonObject()
              .put(Field.ID, row.getLong("id"))
              .put(Field.BOARD_ID, row.getLong("board_id"))
              .put(Field.TITLE, row.getString("title"))
              .put(Field.COMMENTS, row.getLong("comments"))
              .put(Field.LIKES, row.getLong("likes"))));
          return out.put(Field.TOP_POSTS, top);
        })
        .recover(Database::classify);
  }

  /**
   * Before a post is deleted, in its transaction: keeps its authors, commenters and likers active on
   * their days, and answers per day what the deletion takes away ({@code [{day, posts, comments, likes}]}),
   * which the post.deleted event carries so that counters kept from events drop by the same amounts.
   */
  static Future<JsonArray> beforePostDelete(SqlClient tx, long postId) {
    Tuple four = Tuple.of(postId, postId, postId, postId);
    return tx.preparedQuery(StatsSql.LOCK_POST_COMMENTS).execute(Tuple.of(postId))
        .compose(r -> tx.preparedQuery(StatsSql.KEEP_POST_ACTIVITY).execute(four))
        .compose(r -> tx.preparedQuery(StatsSql.REMOVED_WITH_POST).execute(four))
        .map(rows -> {
          JsonArray removed = new JsonArray();
          rows.forEach(row -> removed.add(new JsonObject()
              .put(Field.DAY, row.getLocalDate("day").toString())
              .put(Field.POSTS, row.getLong("posts"))
              .put(Field.COMMENTS, row.getLong("comments"))
              .put(Field.LIKES, row.getLong("likes"))));
          return removed;
        });
  }

  /**
   * A transaction whose reads all see the state committed at its first read, whatever the server's
   * default isolation. Closing the connection rolls back a transaction that did not commit.
   */
  private static Future<Transaction> snapshot(SqlConnection conn) {
    return conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute().compose(v -> conn.begin());
  }

  static LocalDate day(String text) {
    try {
      return LocalDate.parse(text == null ? "" : text);
    } catch (DateTimeParseException e) {
      throw Failure.badRequest("day must be a date as YYYY-MM-DD");
    }
  }
}
