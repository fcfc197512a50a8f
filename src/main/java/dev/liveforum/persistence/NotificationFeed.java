package dev.liveforum.persistence;

import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Hands outbox events to the notification job queue until their notifications are done: a feeder
 * leases a batch for a short time, adds its jobs to the queue, then extends their leases to keep the
 * events out of other feeders' hands while their jobs wait in the queue. An event is done when its job is applied (in that transaction),
 * when it needs no job, or when its job is given up. Until then the outbox holds it, so a queue that
 * loses its jobs (Redis restarted empty) delays them and never drops them: their leases run out, or are
 * given back at once when the loss is seen, and they are fed again (a job applied twice does nothing).
 */
final class NotificationFeed {
  private final Pool pool;

  NotificationFeed(Pool pool) {
    this.pool = pool;
  }

  /** {limit, leaseSeconds} → {events: [{outboxId, eventId, type, at, data}]}, oldest first. */
  Future<JsonObject> claim(JsonObject body) {
    int limit = body.getInteger(Field.LIMIT, 100);
    int lease = body.getInteger("leaseSeconds", 30);
    String token = UUID.randomUUID().toString();
    return Database.readCommitted(pool, false, conn -> conn.preparedQuery(NotificationSql.LEASE_UNTIL)
            .execute(Tuple.of(lease))
            .map(rows -> Rows.first(rows).getLocalDateTime("until"))
            .compose(until -> conn.preparedQuery(NotificationSql.LEASE_EVENTS).execute(Tuple.of(token, until, limit))
                .compose(leased -> leased.rowCount() == 0 ? Future.succeededFuture(new JsonArray())
                    : conn.preparedQuery(NotificationSql.LEASED).execute(Tuple.of(token, until, leased.rowCount()))
                        .map(NotificationFeed::events))))
        .map(events -> new JsonObject().put("events", events))
        .recover(Database::classify);
  }

  private static JsonArray events(RowSet<Row> rows) {
    JsonArray events = new JsonArray();
    for (Row row : rows) {
      events.add(new JsonObject(row.getString("payload")).put("outboxId", row.getLong("id")));
    }
    return events;
  }

  /** {ids, leaseSeconds} → {}: these events' jobs are in the stream now; they are leased that much longer. */
  Future<JsonObject> fed(JsonObject body) {
    List<Object> params = new ArrayList<>();
    params.add(body.getInteger("leaseSeconds", 120));
    body.getJsonArray("ids", new JsonArray()).forEach(id -> params.add(((Number) id).longValue()));
    if (params.size() == 1) {
      return Future.succeededFuture(new JsonObject());
    }
    List<Object> padded = new ArrayList<>(params.subList(0, 1));
    padded.addAll(Rows.padded(params.subList(1, params.size())));
    return Transactions.retryingDeadlocks(() -> pool.preparedQuery(NotificationSql.FED + Rows.in(padded.size() - 1))
            .execute(Tuple.from(padded)))
        .map(r -> new JsonObject())
        .recover(Database::classify);
  }

  /** {eventIds} → {}: these events need no job, or their job was given up. */
  Future<JsonObject> done(JsonObject body) {
    List<String> ids = strings(body.getJsonArray("eventIds"));
    return ids.isEmpty() ? Future.succeededFuture(new JsonObject())
        : Transactions.retryingDeadlocks(() -> markDone(pool, ids)).map(r -> new JsonObject()).recover(Database::classify);
  }

  /** Marks the events of {@code eventIds} (not empty) done, through {@code sql} (a job's transaction, say). */
  static Future<Void> markDone(SqlClient sql, List<String> eventIds) {
    List<String> params = Rows.padded(eventIds);
    return sql.preparedQuery(NotificationSql.DONE + Rows.in(params.size())).execute(Tuple.from(params)).mapEmpty();
  }

  /**
   * {ids} → {}: a feeder gives back the leases of events it could not hand to the queue, so the next
   * pass takes them. {} → {}: the queue was lost (it began anew), so every event in it is fed again.
   */
  Future<JsonObject> release(JsonObject body) {
    JsonArray given = body.getJsonArray("ids");
    Supplier<Future<RowSet<Row>>> statement;
    if (given == null) {
      statement = () -> Database.readCommitted(pool, false, conn -> conn.query(NotificationSql.RELEASE_ALL).execute());
    } else if (given.isEmpty()) {
      return Future.succeededFuture(new JsonObject());
    } else {
      List<Long> ids = new ArrayList<>();
      given.forEach(id -> ids.add(((Number) id).longValue()));
      List<Long> params = Rows.padded(ids);
      statement = () -> pool.preparedQuery(NotificationSql.RELEASE + Rows.in(params.size())).execute(Tuple.from(params));
    }
    return Transactions.retryingDeadlocks(statement).map(r -> new JsonObject()).recover(Database::classify);
  }

  private static List<String> strings(JsonArray values) {
    List<String> out = new ArrayList<>();
    if (values != null) {
      values.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }
}
