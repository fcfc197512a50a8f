package dev.liveforum.notification;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Drainer;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.NotificationRules;
import dev.liveforum.event.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Turns outbox events into jobs: leases a batch of events whose notifications are not done (through
 * persistence), adds the ones notifications care about to the stream and marks the others done. The
 * lease, extended once the jobs are in, keeps the events out of other feeders' hands while their jobs
 * wait in the stream; should Redis
 * lose them, the leases run out (or are given back at once, see Worker) and the events are fed again.
 * Kicked when such an event is published, by a timer (events of a time when no notification node ran)
 * and by the worker when it has done a batch.
 *
 * <p>It feeds only while the stream holds fewer than {@link #WINDOW} jobs: work beyond what the workers
 * keep up with waits in the outbox, where it costs nothing and cannot be lost, and a job spends only
 * the window's time in the stream, well inside its lease. While Redis is away it leases nothing.
 */
final class Feeder {
  private static final Logger log = LoggerFactory.getLogger(Feeder.class);
  private static final int BATCH = 100;
  /** Jobs in the stream (read or not) at which feeding waits: a few reads' worth for a few workers. */
  static final int WINDOW = 2_000;

  private final Vertx vertx;
  private final JobQueue queue;
  private final BooleanSupplier queueReachable;
  private final long busTimeoutMs;
  private final int feedSeconds;
  private final int jobSeconds;
  private final Drainer drainer = new Drainer(() -> pump().map(n -> n == BATCH),
      t -> log.debug("notification feed pass failed (events stay pending): {}", t.getMessage()));

  /**
   * Events are leased for {@code feedSeconds} while they are fed (a feeder that dies, or whose request
   * to lease times out, leaves them for that long), then for {@code jobSeconds} while their jobs wait.
   */
  Feeder(Vertx vertx, JobQueue queue, BooleanSupplier queueReachable, long busTimeoutMs, int feedSeconds,
         int jobSeconds) {
    this.vertx = vertx;
    this.queue = queue;
    this.queueReachable = queueReachable;
    this.busTimeoutMs = busTimeoutMs;
    this.feedSeconds = feedSeconds;
    this.jobSeconds = jobSeconds;
  }

  /** Feeds whatever is pending; kicks that arrive during a pass are folded into one more pass. */
  void kick() {
    drainer.kick();
  }

  private Future<Integer> pump() {
    if (!queueReachable.getAsBoolean()) {
      return Future.succeededFuture(0);
    }
    return queue.length().compose(inStream -> inStream >= WINDOW ? Future.succeededFuture(0)
        : Bus.request(vertx, Address.NOTIFICATION_CLAIM_EVENTS,
                new JsonObject().put(Field.LIMIT, BATCH).put("leaseSeconds", feedSeconds), null, busTimeoutMs)
            .compose(reply -> feed(reply.getJsonArray("events"))));
  }

  /** Adds the leased events' jobs; gives their leases back if Redis did not take them all. */
  private Future<Integer> feed(JsonArray events) {
    List<Future<Void>> added = new ArrayList<>();
    JsonArray jobIds = new JsonArray();
    JsonArray noJob = new JsonArray();
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.getJsonObject(i);
      String type = event.getString(DomainEvent.TYPE);
      String eventId = event.getString(DomainEvent.EVENT_ID);
      // The rules without the database: events that cannot tell anyone make no job.
      if (NotificationRules.mayTell(type, event.getJsonObject(DomainEvent.DATA))) {
        log.debug("feeding {} {} [request {}] as a notification job", type, eventId,
            event.getString(DomainEvent.REQUEST_ID));
        added.add(queue.add(event));
        jobIds.add(event.getLong("outboxId"));
      } else {
        log.debug("{} {} [request {}] tells nobody: no notification job", type, eventId,
            event.getString(DomainEvent.REQUEST_ID));
        noJob.add(eventId);
      }
    }
    Future<?> fed = jobIds.isEmpty() ? Future.succeededFuture() : Future.all(added)
        .recover(t -> Bus.request(vertx, Address.NOTIFICATION_RELEASE_EVENTS, new JsonObject().put("ids", jobIds), null,
                busTimeoutMs)
            .transform(released -> Future.failedFuture(t)))
        .compose(inStream -> Bus.request(vertx, Address.NOTIFICATION_EVENTS_FED,
            new JsonObject().put("ids", jobIds).put("leaseSeconds", jobSeconds), null, busTimeoutMs));
    Future<?> done = noJob.isEmpty() ? Future.succeededFuture()
        : Bus.request(vertx, Address.NOTIFICATION_EVENTS_DONE, new JsonObject().put("eventIds", noJob), null,
            busTimeoutMs);
    return Future.all(fed, done).map(events.size());
  }
}
