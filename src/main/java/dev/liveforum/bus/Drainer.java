package dev.liveforum.bus;

import io.vertx.core.Future;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Drains a backlog (an outbox, a queue) in passes, one at a time: a kick that arrives while a pass runs
 * is folded into one more pass after it, and a pass that reports more waiting (it filled its batch) is
 * followed by another at once. Used from one event loop.
 */
public final class Drainer {
  private final Supplier<Future<Boolean>> pass;
  private final Consumer<Throwable> onFailure;
  private boolean running;
  private boolean again;

  /** {@code pass} answers true when more may be waiting; a failed pass goes to {@code onFailure}. */
  public Drainer(Supplier<Future<Boolean>> pass, Consumer<Throwable> onFailure) {
    this.pass = pass;
    this.onFailure = onFailure;
  }

  public void kick() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    pass.get().onComplete(ar -> {
      running = false;
      if (ar.failed()) {
        onFailure.accept(ar.cause());
      } else if (again || ar.result()) {
        kick();
      }
    });
  }
}
