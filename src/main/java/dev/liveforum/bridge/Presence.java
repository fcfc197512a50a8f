package dev.liveforum.bridge;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Field;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Live viewer counts per post across the cluster: people, not sockets (a user once however many tabs and
 * nodes, a guest once per IP). Every bridge publishes who watches through it each tick when that changed, and at least every other tick as a heartbeat; a bridge not heard from for three
 * heartbeats (a dead node) stops counting. Each tick, watchers whose post's total changed get a
 * {@code presence} event. No Redis involved: the counts live as long as the sockets do.
 */
final class Presence {
  private static final int HEARTBEAT_TICKS = 2;
  private static final int EXPIRY_HEARTBEATS = 3;

  private record Peer(Map<String, Set<String>> viewers, long seenAt) {}

  private final Vertx vertx;
  private final Hub hub;
  private final long tickMs;
  private final String self = UUID.randomUUID().toString();
  private final Map<String, Peer> peers = new HashMap<>();
  private final Map<String, Integer> shown = new HashMap<>();
  private Map<String, Set<String>> published = Map.of();
  private int ticksSincePublished;
  private long timer;
  private MessageConsumer<JsonObject> consumer;

  Presence(Vertx vertx, Hub hub, long tickMs) {
    this.vertx = vertx;
    this.hub = hub;
    this.tickMs = tickMs;
  }

  void start(Endpoints endpoints) {
    consumer = endpoints.listen(Address.BRIDGE_PRESENCE, msg -> {
      String from = msg.body().getString(Field.NODE_ID);
      if (self.equals(from)) {
        return;
      }
      JsonObject counts = msg.body().getJsonObject(Field.COUNTS);
      if (counts == null) {
        peers.remove(from);
      } else {
        Map<String, Set<String>> map = new HashMap<>();
        counts.forEach(e -> map.put(e.getKey(), new HashSet<>(((JsonArray) e.getValue()).getList())));
        peers.put(from, new Peer(map, System.currentTimeMillis()));
      }
    });
    timer = vertx.setPeriodic(tickMs, id -> tick());
  }

  /** Tells the others this bridge's viewers are gone (a graceful stop; a crash is noticed by silence). */
  void stop() {
    vertx.cancelTimer(timer);
    consumer.unregister();
    vertx.eventBus().publish(Address.BRIDGE_PRESENCE, new JsonObject().put(Field.NODE_ID, self));
  }

  void tick() {
    Map<String, Set<String>> mine = hub.postViewers();
    if (!mine.equals(published) || ++ticksSincePublished >= HEARTBEAT_TICKS) {
      JsonObject counts = new JsonObject();
      mine.forEach((channel, people) -> counts.put(channel, new JsonArray(List.copyOf(people))));
      vertx.eventBus().publish(Address.BRIDGE_PRESENCE, new JsonObject().put(Field.NODE_ID, self)
          .put(Field.COUNTS, counts));
      published = mine;
      ticksSincePublished = 0;
    }
    long deadline = System.currentTimeMillis() - EXPIRY_HEARTBEATS * HEARTBEAT_TICKS * tickMs;
    peers.values().removeIf(peer -> peer.seenAt() < deadline);
    shown.keySet().retainAll(mine.keySet());
    for (Map.Entry<String, Set<String>> entry : mine.entrySet()) {
      String channel = entry.getKey();
      Set<String> people = new HashSet<>(entry.getValue());
      for (Peer peer : peers.values()) {
        people.addAll(peer.viewers().getOrDefault(channel, Set.of()));
      }
      int total = people.size();
      if (!Objects.equals(shown.put(channel, total), total)) {
        hub.deliverEphemeral(channel, "presence", new JsonObject().put("viewers", total));
      }
    }
  }
}
