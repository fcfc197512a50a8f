package dev.liveforum.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The addresses one verticle serves and listens on. A consumer handles local messages at once but
 * reaches the other nodes only when its registration has gone through the cluster: a publish from
 * another node a moment earlier is not delivered to it (measured: 9 of 30 right after registering, 0
 * of 30 after completion). A verticle returns {@link #ready()} from its start, so a node says it is up
 * only when every node can reach all of it.
 */
public final class Endpoints {
  private final Vertx vertx;
  private final List<Future<Void>> registered = new ArrayList<>();

  public Endpoints(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@link Bus#serve}: replies with the handler's result. */
  public MessageConsumer<JsonObject> serve(String address, Function<JsonObject, Future<?>> handler) {
    return track(Bus.serve(vertx, address, handler));
  }

  /** Listens on {@code address} (published events, notices). */
  public <T> MessageConsumer<T> listen(String address, Handler<Message<T>> handler) {
    return track(vertx.eventBus().consumer(address, handler));
  }

  /** Completes once every registration so far is known to the cluster. */
  public Future<Void> ready() {
    return Future.all(List.copyOf(registered)).mapEmpty();
  }

  private <T> MessageConsumer<T> track(MessageConsumer<T> consumer) {
    registered.add(consumer.completion());
    return consumer;
  }
}
