package dev.liveforum.notification;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Drainer;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns outbox events into jobs: leases a batch of events not yet fed (through persistence), adds the
 * ones notifications care about to the stream, then marks the batch fed. Kicked when such an event is
 * published, and by a timer, so events of a time when no notification node ran are fed later.
 */
final class Feeder {
  private static final Logger log = LoggerFactory.getLogger(Feeder.class);
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final JobQueue queue;
  private final long busTimeoutMs;
  private final int leaseSeconds;
  private final Drainer drainer = new Drainer(() -> pump().map(n -> n == BATCH),
      t -> log.debug("notification feed pass failed (events stay pending): {}", t.getMessage()));

  Feeder(Vertx vertx, JobQueue queue, long busTimeoutMs, int leaseSeconds) {
    this.vertx = vertx;
    this.queue = queue;
    this.busTimeoutMs = busTimeoutMs;
    this.leaseSeconds = leaseSeconds;
  }

  /** Feeds whatever is pending; kicks that arrive during a pass are folded into one more pass. */
  void kick() {
    drainer.kick();
  }


  private Future<Integer> pump() {
    return Bus.request(vertx, Address.NOTIFICATION_CLAIM_EVENTS,
            new JsonObject().put(Field.LIMIT, BATCH).put("leaseSeconds", leaseSeconds), null, busTimeoutMs)
        .compose(reply -> {
          JsonArray events = reply.getJsonArray("events");
          List<Future<?>> added = new ArrayList<>();
          JsonArray ids = new JsonArray();
          for (int i = 0; i < events.size(); i++) {
            JsonObject event = events.getJsonObject(i);
            ids.add(event.getLong("outboxId"));
            if (mayNotify(event.getString(Field.TYPE), event.getJsonObject(Field.DATA))) {
              added.add(queue.add(event));
            }
          }
          if (events.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return Future.all(added)
              .compose(done -> Bus.request(vertx, Address.NOTIFICATION_EVENTS_FED, new JsonObject().put("ids", ids),
                  null, busTimeoutMs))
              .map(events.size());
        });
  }

  /**
   * Whether the event could notify anyone under the rules (persistence/NotificationService): a cheap
   * first look, so that unlikes, likes of one's own things, comments on one's own posts and texts that
   * mention nobody make no job. When in doubt (a malformed event) it says yes, and persistence judges.
   */
  static boolean mayNotify(String type, JsonObject data) {
    if (!Address.NOTIFICATION_SOURCES.contains(type)) {
      return false;
    }
    if (data == null) {
      return true;
    }
    try {
      return switch (type) {
        case Address.LIKE_CHANGED -> data.getBoolean(Field.LIKED, true)
            && !Objects.equals(data.getLong("targetAuthorId"), data.getLong(Field.USER_ID));
        case Address.COMMENT_CREATED -> {
          Long author = data.getLong(Field.AUTHOR_ID);
          Long parentAuthor = data.getLong(Field.PARENT_ID) == null ? null : data.getLong("parentAuthorId");
          yield !Objects.equals(data.getLong("postAuthorId"), author)
              || parentAuthor != null && !parentAuthor.equals(author)
              || mentionsAnyone(data.getString(Field.CONTENT));
        }
        default -> mentionsAnyone(data.getString(Field.CONTENT)) || mentionsAnyone(data.getString(Field.TITLE));
      };
    } catch (ClassCastException e) {
      return true;
    }
  }

  private static boolean mentionsAnyone(String text) {
    return text != null && text.indexOf('@') >= 0;
  }
}
