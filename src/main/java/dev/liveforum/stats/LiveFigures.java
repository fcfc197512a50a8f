package dev.liveforum.stats;

import dev.liveforum.bus.Address;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.function.Supplier;

/**
 * Pushes today's figures to the bridges ({@code bridge.stats}, for admins on the {@code stats}
 * channel) when they change, at most once per {@link #INTERVAL_MS} across every stats node: a node
 * that counted something asks Redis whether the figures differ from the last push and whether a push
 * is allowed yet; if not yet, it asks again shortly.
 */
final class LiveFigures {
  static final long INTERVAL_MS = 1000;
  private static final long CHECK_MS = 200;

  private final Vertx vertx;
  private final DailyStore store;
  private final Supplier<Future<Figures>> today;
  private boolean changed;
  private boolean pushing;
  private long timer;

  LiveFigures(Vertx vertx, DailyStore store, Supplier<Future<Figures>> today) {
    this.vertx = vertx;
    this.store = store;
    this.today = today;
  }

  void start() {
    timer = vertx.setPeriodic(CHECK_MS, id -> push());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  /** Today's figures moved. */
  void changed() {
    changed = true;
  }

  private void push() {
    if (!changed || pushing) {
      return;
    }
    changed = false;
    pushing = true;
    today.get()
        .compose(figures -> {
          JsonObject json = figures.json();
          return store.pushGate(json.encode(), INTERVAL_MS).map(gate -> {
            if (gate == 1) {
              vertx.eventBus().publish(Address.BRIDGE_STATS, json);
            } else if (gate < 0) {
              changed = true;
            }
            return gate;
          });
        })
        // A failed try (Redis away, today being rebuilt) is tried again at the next check: no event may
        // come after the last one, and the figures it changed must still be pushed.
        .onComplete(ar -> {
          pushing = false;
          if (ar.failed()) {
            changed = true;
          }
        });
  }
}
