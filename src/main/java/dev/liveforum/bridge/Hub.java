package dev.liveforum.bridge;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Channel;
import dev.liveforum.bus.ChannelEvents;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Field;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.Events;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sockets of one bridge and the channels they watch. Domain events arrive once per bridge (they
 * are published cluster-wide), already numbered on each channel they reach (in the transaction of
 * their change, see ChannelEvents), and are written to this bridge's watchers, encoded once. Events of
 * one channel go out in the order of their numbers: events reach a bridge in the order their relays
 * published them, which two relays (or one that met a row still being committed) may not keep, so a
 * bridge that gets a later number first holds it back until the one before it went out, for
 * {@link #HOLD_MS} at most (then the client sees the gap and catches up).
 */
final class Hub {
  private static final Logger log = LoggerFactory.getLogger(Hub.class);

  private final Vertx vertx;
  private final long busTimeoutMs;
  private final Map<String, Set<Session>> watchers = new HashMap<>();
  private final Set<Session> sessions = new HashSet<>();
  /** Each socket's client IP, and how many sockets each IP holds here. */
  private final Map<Session, String> addresses = new HashMap<>();
  private final Map<String, Integer> perAddress = new HashMap<>();
  /** Per watched post, who each of its sockets is: a user, or a guest's IP. One person is one viewer. */
  private final Map<String, Map<Session, String>> viewers = new HashMap<>();
  /** Per watched channel: the last number sent and the frames held until the ones before them are. */
  private final Map<String, Sequence> sent = new HashMap<>();
  /** The last seq this bridge knows per watched channel, which ephemeral events (presence, typing) carry. */
  private final Map<String, Long> seqs = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  static final long HOLD_MS = 1000;
  /** Figures pushed so far; a watcher's first figures are dropped if a push came while they were read. */
  private long statsPushes;

  Hub(Vertx vertx, long busTimeoutMs) {
    this.vertx = vertx;
    this.busTimeoutMs = busTimeoutMs;
  }

  /** Listens for the events it delivers; ready with {@code endpoints}. */
  void start(Endpoints endpoints) {
    for (String type : Events.BROWSER) {
      consumers.add(endpoints.<JsonObject>listen(Events.address(type), msg -> {
        DomainEvent event = DomainEvent.from(msg.body());
        JsonObject seqs = event.seqs() == null ? new JsonObject() : event.seqs();
        for (ChannelEvents.Routed routed : ChannelEvents.route(event)) {
          log.debug("{} on {} as {} to {} watchers here", event, routed.channel(), seqs.getLong(routed.channel()),
              watchers.getOrDefault(routed.channel(), Set.of()).size());
          deliver(routed.channel(), seqs.getLong(routed.channel()), routed.event());
        }
      }));
    }
    consumers.add(endpoints.<JsonObject>listen(Address.BRIDGE_STATS, msg -> {
      statsPushes++;
      deliverEphemeral(Channel.STATS, "stats", msg.body());
    }));
    consumers.add(endpoints.<JsonObject>listen(Address.SESSIONS_ENDED, msg -> {
      for (Session session : new ArrayList<>(sessions)) {
        session.sessionsEnded(msg.body());
      }
    }));
    consumers.add(endpoints.<JsonObject>listen(Address.BRIDGE_TYPING, msg -> {
      String channel = msg.body().getString(Field.CHANNEL);
      deliverEphemeral(channel, "typing", new JsonObject()
          .put(Field.USER_ID, msg.body().getLong(Field.USER_ID))
          .put(Field.USERNAME, msg.body().getString(Field.USERNAME)));
    }));
  }

  /** Closes every socket, so their clients reconnect to another node. */
  Future<Void> stop() {
    for (Session session : new ArrayList<>(sessions)) {
      session.close();
    }
    List<Future<?>> done = new ArrayList<>();
    consumers.forEach(c -> done.add(c.unregister()));
    return Future.join(done).mapEmpty();
  }

  void opened(Session session) {
    sessions.add(session);
  }

  /** Counts a new socket against its client's IP, unless that IP holds {@code max} here already. */
  boolean admit(Session session, String ip, int max) {
    if (perAddress.getOrDefault(ip, 0) >= max) {
      return false;
    }
    addresses.put(session, ip);
    perAddress.merge(ip, 1, Integer::sum);
    return true;
  }

  void closed(Session session) {
    sessions.remove(session);
    String ip = addresses.remove(session);
    if (ip != null) {
      perAddress.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
    }
    for (String channel : session.channels()) {
      unsubscribe(session, channel);
    }
  }

  /**
   * Adds a watcher and tells it the channel's current seq ({@code subscribed}), null when the database
   * cannot say. A watcher of {@code stats} then gets today's figures, so it need not wait for them to change.
   */
  Future<?> subscribe(Session session, Channel channel, Session.Identity who) {
    watchers.computeIfAbsent(channel.name(), k -> new HashSet<>()).add(session);
    if (channel.kind() == Channel.Kind.POST) {
      viewers.computeIfAbsent(channel.name(), k -> new HashMap<>())
          .put(session, who.userId() != null ? "u:" + who.userId() : "ip:" + addresses.get(session));
    }
    return Bus.request(vertx, Address.REALTIME_SEQ, new JsonObject().put(Field.CHANNEL, channel.name()), null,
            busTimeoutMs)
        .map(r -> r.getLong(Field.SEQ))
        .otherwise((Long) null)
        .onSuccess(seq -> {
          if (seq != null) {
            seqs.merge(channel.name(), seq, Math::max);
            sent.computeIfAbsent(channel.name(), k -> new Sequence(seq));
          }
          session.write(frame(channel.name(), event("subscribed", seq, new JsonObject())));
        })
        .compose(seq -> channel.kind() == Channel.Kind.STATS ? currentFigures(session, who) : Future.succeededFuture());
  }

  /** Today's figures to one new watcher, unless a push overtook them (it holds newer ones). */
  private Future<?> currentFigures(Session session, Session.Identity who) {
    long pushesBefore = statsPushes;
    JsonObject actor = new JsonObject().put(Field.ACTOR_ID, who.userId()).put(Field.ACTOR_ROLE, who.role());
    return Bus.request(vertx, Address.STATS_TODAY, actor, null, busTimeoutMs)
        .onSuccess(figures -> {
          Set<Session> set = watchers.get(Channel.STATS);
          if (statsPushes == pushesBefore && set != null && set.contains(session)) {
            session.write(frame(Channel.STATS, event("stats", null, figures)));
          }
        })
        // No stats node, or it cannot answer now: the next change is pushed as usual.
        .otherwise((JsonObject) null);
  }

  void unsubscribe(Session session, String channel) {
    Map<Session, String> people = viewers.get(channel);
    if (people != null && people.remove(session) != null && people.isEmpty()) {
      viewers.remove(channel);
    }
    Set<Session> set = watchers.get(channel);
    if (set != null && set.remove(session) && set.isEmpty()) {
      watchers.remove(channel);
      seqs.remove(channel);
      Sequence sequence = sent.remove(channel);
      if (sequence != null && sequence.timer >= 0) {
        vertx.cancelTimer(sequence.timer);
      }
    }
  }

  /** Who watches each post through this bridge (users and guests' IPs), for presence. */
  Map<String, Set<String>> postViewers() {
    Map<String, Set<String>> people = new HashMap<>();
    viewers.forEach((channel, sockets) -> people.put(channel, new HashSet<>(sockets.values())));
    return people;
  }

  int sockets() {
    return sessions.size();
  }

  /** Closes sockets silent for longer than {@code timeoutMs}. */
  void closeIdle(long timeoutMs) {
    long now = System.currentTimeMillis();
    for (Session session : new ArrayList<>(sessions)) {
      if (now - session.lastSeen > timeoutMs) {
        session.close();
      }
    }
  }

  void typing(String channel, Session.Identity who) {
    vertx.eventBus().publish(Address.BRIDGE_TYPING, new JsonObject().put(Field.CHANNEL, channel)
        .put(Field.USER_ID, who.userId()).put(Field.USERNAME, who.username()));
  }

  /** Presence and typing: not numbered, not kept; they carry the channel's current seq. */
  void deliverEphemeral(String channel, String type, JsonObject data) {
    Set<Session> set = watchers.get(channel);
    if (set != null) {
      write(set, frame(channel, event(type, seqs.get(channel), data)));
    }
  }

  /**
   * A domain event to this bridge's watchers of one channel, with the number persistence gave it there
   * (unnumbered only if it comes from a node that does not number events).
   */
  private void deliver(String channel, Long seq, JsonObject event) {
    Set<Session> set = watchers.get(channel);
    if (set == null) {
      return;
    }
    Buffer frame = frame(channel, event.put(Field.SEQ, seq));
    if (seq == null) {
      write(set, frame);
      return;
    }
    sendInOrder(channel, seq, frame);
  }

  /** Numbers sent on one channel by this bridge, and frames waiting for the numbers before them. */
  private static final class Sequence {
    long last;
    final TreeMap<Long, Buffer> held = new TreeMap<>();
    long timer = -1;

    Sequence(long last) {
      this.last = last;
    }
  }

  /**
   * Sends a numbered frame once every lower number of its channel went out; a number already passed
   * (a late event, or one this bridge saw before its first watcher came) goes out at once, and the
   * client drops it if it has it.
   */
  private void sendInOrder(String channel, long seq, Buffer frame) {
    Sequence sequence = sent.computeIfAbsent(channel, k -> new Sequence(seq - 1));
    if (seq > sequence.last + 1) {
      sequence.held.put(seq, frame);
      if (sequence.timer < 0) {
        sequence.timer = vertx.setTimer(HOLD_MS, id -> {
          sequence.timer = -1;
          release(channel, sequence, Long.MAX_VALUE);
        });
      }
      return;
    }
    send(channel, seq, frame);
    sequence.last = Math.max(sequence.last, seq);
    release(channel, sequence, sequence.last + 1);
  }

  /** Sends the held frames numbered up to {@code upTo} and those that follow them without a gap. */
  private void release(String channel, Sequence sequence, long upTo) {
    while (!sequence.held.isEmpty() && (sequence.held.firstKey() <= upTo || sequence.held.firstKey() == sequence.last + 1)) {
      Map.Entry<Long, Buffer> next = sequence.held.pollFirstEntry();
      send(channel, next.getKey(), next.getValue());
      sequence.last = Math.max(sequence.last, next.getKey());
    }
    if (sequence.held.isEmpty() && sequence.timer >= 0) {
      vertx.cancelTimer(sequence.timer);
      sequence.timer = -1;
    }
  }

  /** Sends a numbered frame; presence and typing frames then carry its number. */
  private void send(String channel, long seq, Buffer frame) {
    seqs.merge(channel, seq, Math::max);
    Set<Session> set = watchers.get(channel);
    if (set != null) {
      write(set, frame);
    }
  }

  private static void write(Set<Session> set, Buffer frame) {
    for (Session session : new ArrayList<>(set)) {
      session.write(frame);
    }
  }

  static JsonObject event(String type, Long seq, JsonObject data) {
    return new JsonObject().put(Field.TYPE, type).put(Field.SEQ, seq).put(Field.AT, Instant.now().toString())
        .put(Field.DATA, data);
  }

  /**
   * The bridge protocol's delivery frame, encoded once for all watchers: each socket writes the same
   * bytes (a binary frame on the raw WebSocket, as Vert.x's own bridge sends) rather than encoding a
   * String again.
   */
  static Buffer frame(String channel, JsonObject body) {
    return new JsonObject().put("type", "rec").put("address", channel).put("body", body).toBuffer();
  }
}
