package dev.liveforum.persistence;

import dev.liveforum.bus.Drainer;
import dev.liveforum.bus.Field;
import dev.liveforum.event.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves committed outbox rows onto the event bus. Writers {@link #kick()} it after each commit; a
 * timer also sweeps, so events of a writer that died between commit and publish still go out, from
 * whichever node runs persistence. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so two relays
 * never publish the same row; a row is marked published in the transaction that claimed it.
 */
final class OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH = 500;
  private static final String CLAIM = "SELECT id, address, payload FROM outbox WHERE published_at IS NULL"
      + " ORDER BY id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED";
  /** Followed by {@code IN (…)}: the claimed rows, marked in one statement. */
  private static final String MARK = "UPDATE outbox SET published_at = UTC_TIMESTAMP(3) WHERE id";
  /** Published a day ago and done for notifications, or a week old whatever happened (no notification node ran). */
  private static final String PURGE = "DELETE FROM outbox WHERE (published_at < UTC_TIMESTAMP(3) - INTERVAL 1 DAY"
      + " AND notified_at IS NOT NULL) OR created_at < UTC_TIMESTAMP(3) - INTERVAL 7 DAY LIMIT 10000";

  private final Vertx vertx;
  private final Pool pool;
  private final Drainer drainer = new Drainer(() -> pump().map(n -> n == BATCH),
      t -> log.warn("outbox relay pass failed (rows stay pending): {}", t.getMessage()));
  private long sweepTimer;
  private long purgeTimer;

  OutboxRelay(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  void start(long sweepMs) {
    sweepTimer = vertx.setPeriodic(sweepMs, id -> kick());
    purgeTimer = vertx.setPeriodic(3_600_000, id -> pool.query(PURGE).execute()
        .onFailure(t -> log.warn("outbox purge failed: {}", t.getMessage())));
    kick();
  }

  void stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(purgeTimer);
  }

  /** Publishes whatever is pending; calls that arrive while a pass runs are folded into one more pass. */
  void kick() {
    drainer.kick();
  }


  /** One pass: claim, publish and mark a batch. Returns how many events went out. */
  Future<Integer> pump() {
    return Database.readCommitted(pool, true, conn -> conn.query(CLAIM).execute().compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<Long> ids = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ids.add(row.getLong("id"));
      }
      List<Long> params = Rows.padded(ids);
      return conn.preparedQuery(MARK + Rows.in(params.size())).execute(Tuple.from(params))
          .map(done -> publish(rows));
    }));
  }

  /**
   * Publishing happens before the claiming transaction commits; if that commit then fails, the rows
   * go out again on the next pass. Consumers de-duplicate by event id, which they need anyway.
   */
  private int publish(RowSet<Row> rows) {
    for (Row row : rows) {
      JsonObject event = new JsonObject(row.getString("payload"));
      DeliveryOptions options = new DeliveryOptions().addHeader(Field.EVENT_ID, event.getString(DomainEvent.EVENT_ID));
      String requestId = event.getString(DomainEvent.REQUEST_ID);
      if (requestId != null) {
        options.addHeader(Field.REQUEST_ID, requestId);
      }
      log.debug("publishing {} {} [request {}]", event.getString(DomainEvent.TYPE),
          event.getString(DomainEvent.EVENT_ID), requestId);
      vertx.eventBus().publish(row.getString("address"), event, options);
    }
    return rows.size();
  }
}
