package dev.liveforum.persistence;

import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.UUID;

/** Records domain events in the transaction of the change they describe. */
final class Outbox {
  private static final String INSERT =
      "INSERT INTO outbox (event_id, address, payload, created_at) VALUES (?, ?, ?, UTC_TIMESTAMP(3))";

  private Outbox() {}

  /**
   * Adds {@code type} (e.g. {@code post.created}) with {@code data} to the outbox through {@code tx},
   * which must be the transaction of the write: the event exists exactly when the change does.
   */
  static Future<Void> record(SqlClient tx, String type, JsonObject data) {
    JsonObject event = new JsonObject()
        .put(Field.EVENT_ID, UUID.randomUUID().toString())
        .put(Field.TYPE, type)
        .put(Field.AT, Instant.now().toString())
        .put(Field.DATA, data);
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(event.getString(Field.EVENT_ID), dev.liveforum.bus.Address.event(type), event.encode()))
        .mapEmpty();
  }
}
