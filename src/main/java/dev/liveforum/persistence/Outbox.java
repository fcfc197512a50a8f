package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Records domain events in the transaction of the change they describe. */
final class Outbox {
  private static final String INSERT = "INSERT INTO outbox (event_id, address, payload, created_at) VALUES";
  private static final String ROW = "(?, ?, ?, UTC_TIMESTAMP(3))";

  private Outbox() {}

  /**
   * Adds {@code type} (e.g. {@code post.created}) with {@code data} to the outbox through {@code tx},
   * which must be the transaction of the write: the event exists exactly when the change does.
   */
  static Future<Void> record(SqlClient tx, String type, JsonObject data) {
    return tx.preparedQuery(INSERT + " " + ROW).execute(row(type, data)).mapEmpty();
  }

  /** Adds events made by {@link #row} to the outbox through {@code tx}, many per statement. */
  static Future<Void> recordAll(SqlClient tx, List<Tuple> events) {
    return Rows.insertAll(tx, INSERT, ROW, events).mapEmpty();
  }

  /** The outbox row of one event: {@code type} with {@code data}, under a new event id. */
  static Tuple row(String type, JsonObject data) {
    JsonObject event = new JsonObject()
        .put(Field.EVENT_ID, UUID.randomUUID().toString())
        .put(Field.TYPE, type)
        .put(Field.AT, Instant.now().toString())
        .put(Field.DATA, data);
    return Tuple.of(event.getString(Field.EVENT_ID), Address.event(type), event.encode());
  }
}
