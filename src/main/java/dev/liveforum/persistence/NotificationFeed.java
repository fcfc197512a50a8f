package dev.liveforum.persistence;

import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Hands outbox events to the notification job queue, at least once: a feeder leases a batch, adds the
 * jobs to the queue, then marks them fed. A feeder that dies in between leaves the lease to run out,
 * and another feeds the batch again (jobs are applied once per event id, so a repeat does nothing).
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
    return Database.readCommitted(pool, false,
            conn -> conn.preparedQuery(NotificationSql.LEASE_EVENTS).execute(Tuple.of(token, lease, limit)))
        .compose(leased -> leased.rowCount() == 0 ? Future.succeededFuture(new JsonArray())
            : pool.preparedQuery(NotificationSql.LEASED).execute(Tuple.of(token, leased.rowCount())).map(rows -> {
              JsonArray events = new JsonArray();
              for (Row row : rows) {
                events.add(new JsonObject(row.getString("payload")).put("outboxId", row.getLong("id")));
              }
              return events;
            }))
        .map(events -> new JsonObject().put("events", events))
        .recover(Database::classify);
  }

  /** {ids} → {}: these outbox rows are in the job queue now. */
  Future<JsonObject> fed(JsonObject body) {
    List<Long> ids = new ArrayList<>();
    body.getJsonArray("ids", new JsonArray()).forEach(id -> ids.add(((Number) id).longValue()));
    if (ids.isEmpty()) {
      return Future.succeededFuture(new JsonObject());
    }
    // One statement for the batch: executeBatch would cost a round trip per row.
    List<Long> params = Rows.padded(ids);
    // Marking by primary key can deadlock with another feeder's lease (by the secondary index): run again.
    return Transactions.retryingDeadlocks(() -> pool.preparedQuery(NotificationSql.FED + Rows.in(params.size()))
            .execute(Tuple.from(params)))
        .map(r -> new JsonObject())
        .recover(Database::classify);
  }
}
