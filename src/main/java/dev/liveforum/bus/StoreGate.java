package dev.liveforum.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The commands a role serves only while it can reach its store (Redis, the database). The role probes
 * the store every {@link #PROBE_MS} (one probe at a time); after {@link #FAILURES} failed probes in a row it unregisters
 * them, so the cluster's requests go to the same role on the other nodes (or, with none left, fail at
 * once for want of a handler instead of waiting out the bus timeout); at the first probe that succeeds
 * it registers them again. A role whose store does not answer at start starts stepped back.
 */
public final class StoreGate {
  private static final Logger log = LoggerFactory.getLogger(StoreGate.class);
  static final long PROBE_MS = 1000;
  /** One slow probe (a busy pool) is not an outage. */
  static final int FAILURES = 2;

  private final Vertx vertx;
  private final String role;
  private final Supplier<Future<?>> probe;
  private final long probeTimeoutMs;
  private final Map<String, Function<JsonObject, Future<?>>> commands = new LinkedHashMap<>();
  private final List<MessageConsumer<JsonObject>> serving = new ArrayList<>();
  private int failures;
  private boolean probing;
  private long timer = -1;

  /**
   * {@code role} names it in the log; {@code probe} asks the store something trivial, and fails when it
   * takes longer than {@code probeTimeoutMs} (long enough for a busy store to answer).
   */
  public StoreGate(Vertx vertx, String role, Supplier<Future<?>> probe, long probeTimeoutMs) {
    this.vertx = vertx;
    this.role = role;
    this.probe = probe;
    this.probeTimeoutMs = probeTimeoutMs;
  }

  /** {@link Bus#serve}, while the store answers. */
  public void serve(String address, Function<JsonObject, Future<?>> handler) {
    commands.put(address, handler);
  }

  /**
   * Probes the store once, serves the commands if it answers, then keeps probing. Completes when the
   * first probe is done and, if it succeeded, every node can reach the commands.
   */
  public Future<Void> start() {
    timer = vertx.setPeriodic(PROBE_MS, id -> check());
    return probe().transform(ar -> {
      if (ar.succeeded()) {
        return stepIn();
      }
      failures = FAILURES;
      log.warn("the {} role starts stepped back, serving nothing until its store answers: {}", role,
          ar.cause().getMessage());
      return Future.succeededFuture();
    });
  }

  public Future<Void> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** Whether the commands are served now. */
  public boolean serving() {
    return !serving.isEmpty();
  }

  private void check() {
    if (probing) {
      return;
    }
    probing = true;
    probe().onComplete(ar -> {
      probing = false;
      if (ar.succeeded()) {
        if (failures >= FAILURES) {
          log.info("the {} role serves again: its store answers", role);
        }
        failures = 0;
        stepIn();
      } else if (++failures == FAILURES) {
        log.warn("the {} role steps back, its store failing {} probes in a row: {}", role, FAILURES,
            ar.cause().getMessage());
        stepBack();
      }
    });
  }

  private Future<?> probe() {
    return probe.get().timeout(probeTimeoutMs, TimeUnit.MILLISECONDS);
  }

  private Future<Void> stepIn() {
    if (serving()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> registered = new ArrayList<>();
    commands.forEach((address, handler) -> {
      MessageConsumer<JsonObject> consumer = Bus.serve(vertx, address, handler);
      serving.add(consumer);
      registered.add(consumer.completion());
    });
    return Future.all(registered).mapEmpty();
  }

  private void stepBack() {
    serving.forEach(MessageConsumer::unregister);
    serving.clear();
  }
}
