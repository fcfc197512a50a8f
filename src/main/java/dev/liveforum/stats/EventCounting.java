package dev.liveforum.stats;

import dev.liveforum.event.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts the domain events into the daily figures. Every stats node receives every event (they are
 * published); the store counts each once per event id. An event that cannot be counted (Redis
 * unreachable) leaves its day incomplete, so that the day's next reader rebuilds it from the database.
 */
final class EventCounting {
  private static final Logger log = LoggerFactory.getLogger(EventCounting.class);

  private final DailyStore store;
  private final LiveFigures live;
  private final Set<LocalDate> incomplete = new HashSet<>();

  EventCounting(DailyStore store, LiveFigures live) {
    this.store = store;
    this.live = live;
  }

  Future<Void> count(JsonObject json) {
    DomainEvent event;
    List<Contributions.Change> changes;
    try {
      event = DomainEvent.from(json);
      changes = Contributions.of(event.data());
    } catch (RuntimeException e) {
      log.warn("event {} of type {} [request {}] cannot be counted: {}", json.getString(DomainEvent.EVENT_ID),
          json.getString(DomainEvent.TYPE), json.getString(DomainEvent.REQUEST_ID), e.toString());
      return Future.succeededFuture();
    }
    String eventId = event.eventId();
    log.debug("counting {}", event);
    List<Future<?>> counted = new ArrayList<>(changes.size());
    for (Contributions.Change change : changes) {
      counted.add(store.count(eventId, change)
          .onSuccess(fresh -> {
            if (fresh && change.day().equals(Statistics.utcToday())) {
              live.changed();
            }
          })
          .onFailure(t -> {
            if (incomplete.add(change.day())) {
              log.warn("{} not counted on {} ({}); the day will be rebuilt", event, change.day(), t.getMessage());
            }
          }));
    }
    return Future.join(counted).mapEmpty();
  }

  /**
   * Events published while no stats node ran were counted by nobody: the days since a stats node
   * last ran (at most a year back) are marked incomplete, so that their next reader rebuilds them.
   * Called once this node's consumers are registered, so every event from now on is counted here.
   */
  Future<Void> catchUp() {
    LocalDate today = Statistics.utcToday();
    return store.lastRunning().compose(last -> {
      LocalDate from = last == null || last.isBefore(today.minusDays(Statistics.MAX_DAYS)) || last.isAfter(today)
          ? today : last;
      return Future.all(from.datesUntil(today.plusDays(1)).map(store::markIncomplete).toList());
    }).compose(v -> store.running(today));
  }

  /** Says that a stats node is running today. */
  void running() {
    store.running(Statistics.utcToday());
  }

  /** Marks the days whose events could not be counted as incomplete, once Redis answers again. */
  void retryIncomplete() {
    for (LocalDate day : List.copyOf(incomplete)) {
      store.markIncomplete(day).onSuccess(v -> incomplete.remove(day));
    }
  }
}
