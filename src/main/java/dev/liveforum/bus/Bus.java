package dev.liveforum.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/** The two halves of a command: serving an address, and asking one. */
public final class Bus {
  private static final Logger log = LoggerFactory.getLogger(Bus.class);

  private Bus() {}

  /**
   * Serves {@code address}: the handler's result is the reply; a {@link ReplyException} is passed on
   * as it is, anything else is logged (with the request id) and replied as a 500 that says nothing more.
   * The handler finds the request id of the {@link Field#REQUEST_ID} header in the body under the same
   * name (whatever the sender put there is replaced), so the events a command makes can carry it.
   */
  public static MessageConsumer<JsonObject> serve(Vertx vertx, String address,
                                                  Function<JsonObject, Future<?>> handler) {
    return vertx.eventBus().consumer(address, (Message<JsonObject> msg) -> {
      Future<?> result;
      try {
        JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
        String requestId = msg.headers().get(Field.REQUEST_ID);
        if (requestId == null) {
          body.remove(Field.REQUEST_ID);
        } else {
          body.put(Field.REQUEST_ID, requestId);
        }
        result = handler.apply(body);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else if (ar.cause() instanceof ReplyException re) {
          msg.fail(re.failureCode(), re.getMessage());
        } else {
          log.error("{} failed [request {}]", address, msg.headers().get(Field.REQUEST_ID), ar.cause());
          msg.fail(500, "internal error");
        }
      });
    });
  }

  /** Sends a command and waits at most {@code timeoutMs} for its reply. */
  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, String requestId,
                                           long timeoutMs) {
    DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMs);
    if (requestId != null) {
      options.addHeader(Field.REQUEST_ID, requestId);
    }
    return vertx.eventBus().<JsonObject>request(address, body, options).map(Message::body);
  }
}
