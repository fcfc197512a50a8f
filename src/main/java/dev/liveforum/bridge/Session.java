package dev.liveforum.bridge;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.auth.RateLimits;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser connection, speaking the vertx-eventbus bridge protocol: {@code register} and
 * {@code unregister} a channel, {@code send} (or {@code publish}) a typing signal, {@code ping}.
 * The access token travels in each frame's {@code headers.Authorization}; nothing a client sends
 * ever reaches the event bus as it was sent. Refusals are {@code {type:"err", body:<code>, failureType:<code>,
 * message}}
 * frames; an oversized frame or a flood closes the socket after its error frame.
 *
 * <p>A private channel ({@code user.<id>}, {@code stats}) is held with the token it was registered with: it
 * ends ({@code token_expired}) when that token expires, unless a fresh token of the same user came on the
 * socket first (any frame's {@code headers.Authorization}; a {@code ping} carrying one is the way to send it
 * alone), and at once ({@code session_ended}) when the token's session is signed out.
 */
final class Session {
  /** The only address a client may send to: {@code post.<id>.typing}. */
  static final long ROLE_CHECK_MS = 5_000;
  private static final Pattern TYPING = Pattern.compile("(post\\.[1-9][0-9]{0,17})\\.typing");
  private static final int MAX_ADDRESS_LENGTH = 64;
  private static final String EXPIRED = "the access token of this private channel expired: send a fresh one in"
      + " headers.Authorization (e.g. on a ping) before it expires, or register again with one";

  /** Who sent a frame; {@code joinedAtMs} is when their account was made (null: unknown). */
  record Identity(Long userId, String username, String role, String sessionId, long expiresAtMs, Long joinedAtMs) {
    static final Identity GUEST = new Identity(null, null, null, null, Long.MAX_VALUE, null);
  }

  private final SockJSSocket socket;
  private final Hub hub;
  private final AccessTokens tokens;
  private final Config.Bridge limits;
  private final RateLimits rateLimits;
  /** The client's IP address (see {@code http.trustedProxies}). */
  private final String ip;
  private final Set<String> channels = new HashSet<>();
  private final Map<String, Long> lastTyping = new HashMap<>();
  /** The private channels watched, each with the identity (token) it is held with. */
  private final Map<String, Identity> grants = new HashMap<>();
  private final Vertx vertx;
  private long expiryTimer = -1;
  /** When an admin's {@code stats} was last checked against the account's current role. */
  private long roleCheckedAt = System.currentTimeMillis();
  private Future<?> queue = Future.succeededFuture();
  private double allowance;
  private long refilledAt;
  long lastSeen;
  private boolean closed;

  Session(Vertx vertx, SockJSSocket socket, Hub hub, AccessTokens tokens, Config.Bridge limits,
          RateLimits rateLimits, String ip) {
    this.vertx = vertx;
    this.rateLimits = rateLimits;
    this.ip = ip;
    this.socket = socket;
    this.hub = hub;
    this.tokens = tokens;
    this.limits = limits;
    this.allowance = 2.0 * limits.messagesPerSecond();
    this.refilledAt = System.nanoTime();
    this.lastSeen = System.currentTimeMillis();
  }

  void start() {
    socket.handler(this::onFrame);
    socket.exceptionHandler(t -> close());
    socket.closeHandler(v -> onClosed());
    hub.opened(this);
  }

  Set<String> channels() {
    return channels;
  }

  /** Writes an encoded frame; a client that cannot keep up is dropped and catches up when it reconnects. */
  void write(Buffer frame) {
    if (closed) {
      return;
    }
    boolean full;
    try {
      full = socket.writeQueueFull();
    } catch (IllegalStateException e) {
      onClosed();
      return;
    }
    if (full) {
      refuse(null, "slow_consumer", "this connection fell too far behind; reconnect and catch up");
      close();
      return;
    }
    send(frame);
  }

  /**
   * A WebSocket that closed before its close handler ran throws on every use: that would cut short the
   * hub's loop over the channel's other watchers, so it counts as closed here and now.
   */
  private void send(Buffer frame) {
    try {
      socket.write(frame);
    } catch (IllegalStateException e) {
      onClosed();
    }
  }

  void close() {
    if (!closed) {
      socket.close();
      onClosed();
    }
  }

  private void onClosed() {
    if (!closed) {
      closed = true;
      vertx.cancelTimer(expiryTimer);
      hub.closed(this);
    }
  }

  private void onFrame(Buffer data) {
    if (closed) {
      return;
    }
    lastSeen = System.currentTimeMillis();
    if (!withinRate()) {
      refuse(null, "rate_limited", "more than " + limits.messagesPerSecond() + " frames a second");
      close();
      return;
    }
    if (data.length() > limits.maxFrameBytes()) {
      refuse(null, "frame_too_large", "frames are at most " + limits.maxFrameBytes() + " bytes");
      close();
      return;
    }
    JsonObject msg;
    try {
      msg = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      refuse(null, "invalid_json", "a frame is one JSON object");
      return;
    }
    // Frames are handled one after another, so a register checked asynchronously still precedes the
    // unregister sent after it.
    queue = queue.transform(ignored -> handle(msg));
  }

  private Future<?> handle(JsonObject msg) {
    if (closed) {
      return Future.succeededFuture();
    }
    Object type = msg.getValue("type");
    if (!(type instanceof String)) {
      refuse(null, "missing_type", "a frame needs a type: register, unregister, send, publish or ping");
      return Future.succeededFuture();
    }
    if (type.equals("ping")) {
      return msg.getValue("headers") == null ? recheckAdmin()
          : identify(null, msg.getValue("headers")).otherwiseEmpty();
    }
    if (!(msg.getValue("address") instanceof String address) || address.isEmpty()) {
      refuse(null, "missing_address", "a " + type + " frame needs an address");
      return Future.succeededFuture();
    }
    if (address.length() > MAX_ADDRESS_LENGTH) {
      refuse(null, "max_address_length_reached", "addresses are at most " + MAX_ADDRESS_LENGTH + " characters");
      return Future.succeededFuture();
    }
    return switch ((String) type) {
      case "register" -> register(address, msg.getValue("headers"));
      case "unregister" -> {
        if (channels.remove(address)) {
          grants.remove(address);
          hub.unsubscribe(this, address);
        }
        yield Future.succeededFuture();
      }
      case "send", "publish" -> typing(address, msg.getValue("headers"));
      default -> {
        refuse(address, "invalid_type", "unknown frame type " + type);
        yield Future.succeededFuture();
      }
    };
  }

  private Future<?> register(String address, Object headers) {
    Channel channel = Channel.parse(address);
    if (channel == null) {
      refuse(address, "access_denied", "only post.<id>, board.<id>, user.<id> and stats can be watched");
      return Future.succeededFuture();
    }
    if (!channels.contains(address) && channels.size() >= limits.maxHandlersPerSocket()) {
      refuse(address, "max_handlers_reached", "a connection watches at most " + limits.maxHandlersPerSocket()
          + " channels");
      return Future.succeededFuture();
    }
    return identify(address, headers).compose(who -> {
      if (!channel.readableBy(who.userId(), who.role())) {
        refuse(address, "access_denied", channel.kind() == Channel.Kind.STATS ? "stats is for admins"
            : who.userId() == null ? address + " is private: sign in as its user" : address + " belongs to another user");
        return Future.succeededFuture();
      }
      if (channel.isPrivate() && who.expiresAtMs() <= System.currentTimeMillis()) {
        // Within the verifier's leeway for clock skew, but this bridge would end it at once.
        refuse(address, "token_expired", EXPIRED);
        return Future.succeededFuture();
      }
      if (closed || !channels.add(address)) {
        return Future.succeededFuture();
      }
      if (channel.isPrivate()) {
        grants.put(address, who);
        scheduleExpiry();
      }
      return hub.subscribe(this, channel, who);
    });
  }

  private Future<?> typing(String address, Object headers) {
    Matcher m = TYPING.matcher(address);
    if (!m.matches()) {
      refuse(address, "access_denied", "clients may send only to post.<id>.typing");
      return Future.succeededFuture();
    }
    return identify(address, headers).compose(who -> {
      if (who.userId() == null) {
        refuse(address, "access_denied", "sign in to show that you are typing");
        return Future.succeededFuture();
      }
      String channel = m.group(1);
      long now = System.currentTimeMillis();
      Long last = lastTyping.get(channel);
      if (last != null && now - last < limits.typingIntervalMs()) {
        refuse(address, "typing_too_fast", "one typing signal per " + limits.typingIntervalMs() + " ms");
        return Future.succeededFuture();
      }
      lastTyping.put(channel, now);
      // The interval holds per socket; the user's and the address's counts hold over every socket and node.
      return rateLimits.count(new RateLimits.Who(who.userId(), who.joinedAtMs(), ip), null,
          List.of(RateLimits.Count.of(rateLimits.limits().typing()))).map(refusal -> {
            if (refusal != null) {
              refuse(address, "typing_too_fast", refusal.detail());
            } else if (!closed) {
              hub.typing(channel, who);
            }
            return null;
          });
    });
  }

  /**
   * Who sent the frame, from its {@code Authorization: Bearer} header (whatever the case of the name):
   * a guest when there is none; refused with {@code invalid_token} when it is expired or forged.
   */
  private Future<Identity> identify(String address, Object headers) {
    String bearer = null;
    if (headers instanceof JsonObject h) {
      for (String name : h.fieldNames()) {
        if (name.equalsIgnoreCase("authorization") && h.getValue(name) instanceof String value) {
          bearer = value;
        }
      }
    }
    if (bearer == null) {
      return Future.succeededFuture(Identity.GUEST);
    }
    if (!bearer.regionMatches(true, 0, "Bearer ", 0, 7)) {
      refuse(address, "invalid_token", "the Authorization header must be 'Bearer <access token>'");
      return Future.failedFuture("refused");
    }
    return tokens.authenticate(new TokenCredentials(bearer.substring(7).trim()))
        .map(user -> renew(new Identity(AccessTokens.userId(user), AccessTokens.username(user), AccessTokens.role(user),
            AccessTokens.sessionId(user), AccessTokens.expiresAtMs(user), AccessTokens.joinedAtMs(user))))
        .recover(t -> {
          refuse(address, "invalid_token", "the access token is expired or invalid: refresh it and retry");
          return Future.failedFuture(t);
        });
  }

  /**
   * A fresh token of a user holds that user's private channels on: until it expires, and with its session
   * and current role (a user no longer admin loses {@code stats}).
   */
  private Identity renew(Identity who) {
    for (Map.Entry<String, Identity> grant : List.copyOf(grants.entrySet())) {
      if (who.userId().equals(grant.getValue().userId()) && who.expiresAtMs() >= grant.getValue().expiresAtMs()) {
        if (Channel.parse(grant.getKey()).readableBy(who.userId(), who.role())) {
          grants.put(grant.getKey(), who);
        } else {
          end(grant.getKey(), "access_denied", "stats is for admins");
        }
      }
    }
    scheduleExpiry();
    return who;
  }

  /**
   * On the client's pings, at most every {@link #ROLE_CHECK_MS}: whether the admin holding {@code stats} still
   * is one. A role taken away (in the database: there is no API for roles) ends the channel then, rather than
   * at the token's expiry. Only {@code stats} is checked so: few sockets hold it, and a user's own channel
   * needs no role.
   */
  private Future<?> recheckAdmin() {
    Identity admin = grants.get(Channel.STATS);
    long now = System.currentTimeMillis();
    if (admin == null || now - roleCheckedAt < ROLE_CHECK_MS) {
      return Future.succeededFuture();
    }
    roleCheckedAt = now;
    return tokens.liveRole(admin.userId(), admin.sessionId())
        .onSuccess(role -> {
          if (!"admin".equals(role) && grants.get(Channel.STATS) == admin) {
            end(Channel.STATS, "access_denied", "stats is for admins");
          }
        })
        .onFailure(t -> {
          if (t instanceof ReplyException e && e.failureCode() == 401 && grants.get(Channel.STATS) == admin) {
            end(Channel.STATS, "session_ended", "this session was signed out: sign in again and register anew");
          }
        })
        .otherwiseEmpty();
  }

  /** Ends the private channels held with {@code sessions} that ended ({@link Address#SESSIONS_ENDED}). */
  void sessionsEnded(JsonObject ended) {
    Long userId = ended.getLong(Field.USER_ID);
    String sessionId = ended.getString(Field.SESSION_ID);
    String kept = ended.getString(Field.KEPT_SESSION_ID);
    for (Map.Entry<String, Identity> grant : List.copyOf(grants.entrySet())) {
      Identity who = grant.getValue();
      if (who.userId().equals(userId) && (sessionId != null ? sessionId.equals(who.sessionId())
          : !who.sessionId().equals(kept))) {
        end(grant.getKey(), "session_ended", "this session was signed out (logout or password change): sign in"
            + " again and register anew");
      }
    }
  }

  private void scheduleExpiry() {
    vertx.cancelTimer(expiryTimer);
    expiryTimer = -1;
    long first = grants.values().stream().mapToLong(Identity::expiresAtMs).min().orElse(Long.MAX_VALUE);
    if (first != Long.MAX_VALUE && !closed) {
      expiryTimer = vertx.setTimer(Math.max(1, first - System.currentTimeMillis()), id -> {
        expiryTimer = -1;
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Identity> grant : List.copyOf(grants.entrySet())) {
          if (grant.getValue().expiresAtMs() <= now) {
            end(grant.getKey(), "token_expired", EXPIRED);
          }
        }
        scheduleExpiry();
      });
    }
  }

  /** Stops delivering a channel to this socket and says why. */
  private void end(String address, String code, String message) {
    grants.remove(address);
    if (channels.remove(address)) {
      hub.unsubscribe(this, address);
    }
    refuse(address, code, message);
  }

  private void refuse(String address, String code, String message) {
    // failureType too: the official JS client hands a handler {failureCode, failureType, message}, not the body.
    JsonObject frame = new JsonObject().put("type", "err").put("body", code).put("failureType", code)
        .put("message", message);
    if (address != null) {
      frame.put("address", address);
    }
    if (!closed) {
      send(frame.toBuffer());
    }
  }

  /** A token bucket: {@code messagesPerSecond} frames a second, bursts of twice that. */
  private boolean withinRate() {
    long now = System.nanoTime();
    double rate = limits.messagesPerSecond();
    allowance = Math.min(2 * rate, allowance + (now - refilledAt) / 1e9 * rate);
    refilledAt = now;
    if (allowance < 1) {
      return false;
    }
    allowance -= 1;
    return true;
  }
}
