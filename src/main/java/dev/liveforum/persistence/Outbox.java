package dev.liveforum.persistence;

import dev.liveforum.bus.Field;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.EventData;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Records domain events in the transaction of the change they describe. */
final class Outbox {
  private static final String INSERT = "INSERT INTO outbox (event_id, address, payload, created_at) VALUES";
  private static final String ROW = "(?, ?, ?, UTC_TIMESTAMP(3))";

  private Outbox() {}

  /**
   * Adds {@code data} as a new event to the outbox through {@code tx}, which must be the transaction of the
   * write: the event exists exactly when the change does. {@code command} is the command that made the
   * change: the event carries its request id.
   */
  static Future<Void> record(SqlClient tx, JsonObject command, EventData data) {
    return recordAll(tx, List.of(event(command, data)));
  }

  /**
   * Adds events made by {@link #event} to the outbox through {@code tx}, many per statement, numbered
   * on their realtime channels first (see {@link ChannelLog#number}).
   */
  static Future<Void> recordAll(SqlClient tx, List<DomainEvent> events) {
    return ChannelLog.number(tx, events).compose(numbered -> {
      List<Tuple> rows = new ArrayList<>(numbered.size());
      for (DomainEvent event : numbered) {
        rows.add(Tuple.of(event.eventId(), event.address(), event.toJson().encode()));
      }
      return Rows.insertAll(tx, INSERT, ROW, rows);
    }).mapEmpty();
  }

  /** A new domain event: {@code data}, made by {@code command} (whose request id it carries). */
  static DomainEvent event(JsonObject command, EventData data) {
    return DomainEvent.of(data, command == null ? null : command.getString(Field.REQUEST_ID));
  }
}
