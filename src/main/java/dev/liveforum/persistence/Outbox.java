package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
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
    return recordAll(tx, List.of(event(type, data)));
  }

  /**
   * Adds events made by {@link #event} to the outbox through {@code tx}, many per statement, numbered
   * on their realtime channels first (see {@link ChannelLog#number}).
   */
  static Future<Void> recordAll(SqlClient tx, List<JsonObject> events) {
    return ChannelLog.number(tx, events).compose(numbered -> {
      List<Tuple> rows = new ArrayList<>(events.size());
      for (JsonObject event : events) {
        rows.add(Tuple.of(event.getString(Field.EVENT_ID), Address.event(event.getString(Field.TYPE)), event.encode()));
      }
      return Rows.insertAll(tx, INSERT, ROW, rows);
    }).mapEmpty();
  }

  /** One domain event: {@code type} with {@code data}, under a new event id. */
  static JsonObject event(String type, JsonObject data) {
    return new JsonObject()
        .put(Field.EVENT_ID, UUID.randomUUID().toString())
        .put(Field.TYPE, type)
        .put(Field.AT, Instant.now().toString())
        .put(Field.DATA, data);
  }
}
