package dev.liveforum.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A browser's side of the bridge for tests: a real WebSocket to {@code /eventbus/websocket} speaking the
 * vertx-eventbus bridge protocol; frames received are queued for the test thread to take.
 */
public final class BridgeClient implements AutoCloseable {
  private static final Vertx VERTX = Vertx.vertx();
  private static final WebSocketClient CLIENT = VERTX.createWebSocketClient(new WebSocketClientOptions()
      .setMaxFrameSize(4 * 1024 * 1024).setMaxMessageSize(4 * 1024 * 1024));

  private final WebSocket socket;
  private final LinkedBlockingDeque<JsonObject> frames = new LinkedBlockingDeque<>();
  private volatile boolean closed;

  private BridgeClient(WebSocket socket) {
    this.socket = socket;
    socket.textMessageHandler(text -> frames.add(new JsonObject(text)));
    socket.binaryMessageHandler(bytes -> frames.add(new JsonObject(bytes)));
    socket.closeHandler(v -> closed = true);
  }

  public static BridgeClient connect(int bridgePort) {
    return connect(bridgePort, null);
  }

  /** Connects as a browser on page {@code origin} would (null: no Origin header, as a non-browser client). */
  public static BridgeClient connect(int bridgePort, String origin) {
    return connectWith(bridgePort, origin == null ? Map.of() : Map.of("Origin", origin));
  }

  /** Connects with these request headers (an Origin, or the X-Forwarded-For a proxy would add). */
  public static BridgeClient connectWith(int bridgePort, Map<String, String> headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(bridgePort)
        .setURI("/eventbus/websocket");
    headers.forEach(options::addHeader);
    // Handlers set on the socket's own event loop as it opens: no frame (such as a refusal) can come first.
    return CLIENT.connect(options).map(BridgeClient::new).await();
  }

  /** Registers on {@code channel} (with the access token, or as a guest) and waits for its {@code subscribed}. */
  public JsonObject subscribe(String channel, String token) {
    register(channel, token);
    // Frames of the channel may come before its `subscribed` (a presence tick while the bridge reads the
    // channel's seq): they are kept, in order, for what the test awaits next. Others are skipped as before.
    List<JsonObject> early = new ArrayList<>();
    JsonObject subscribed = await("subscribed to " + channel,
        f -> "rec".equals(f.getString("type")) && channel.equals(f.getString("address"))
            && "subscribed".equals(f.getJsonObject("body").getString("type")), 10, early);
    List<JsonObject> ofChannel = early.stream().filter(f -> channel.equals(f.getString("address"))).toList();
    for (int i = ofChannel.size() - 1; i >= 0; i--) {
      frames.addFirst(ofChannel.get(i));
    }
    return subscribed;
  }

  public void register(String channel, String token) {
    frame(new JsonObject().put("type", "register").put("address", channel).put("headers", headers(token)));
  }

  public void unregister(String channel) {
    frame(new JsonObject().put("type", "unregister").put("address", channel));
  }

  public void send(String address, String token, JsonObject body) {
    frame(new JsonObject().put("type", "send").put("address", address).put("headers", headers(token))
        .put("body", body));
  }

  public void frame(JsonObject frame) {
    raw(frame.encode());
  }

  public void raw(String text) {
    socket.writeTextMessage(text).await();
  }

  /** The next frame matching {@code what}, skipping others; fails the test after 10 s. */
  public JsonObject await(String description, Predicate<JsonObject> what) {
    return await(description, what, 10);
  }

  /** As {@link #await(String, Predicate)}, for what comes later (a token's expiry): fails after {@code seconds}. */
  public JsonObject await(String description, Predicate<JsonObject> what, int seconds) {
    return await(description, what, seconds, new ArrayList<>());
  }

  /** As {@link #await(String, Predicate, int)}, adding every frame it skips to {@code skippedAll}. */
  private JsonObject await(String description, Predicate<JsonObject> what, int seconds, List<JsonObject> skippedAll) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Deque<JsonObject> skipped = new ArrayDeque<>();
    try {
      while (System.nanoTime() < deadline) {
        JsonObject frame = frames.poll(50, TimeUnit.MILLISECONDS);
        if (frame != null && what.test(frame)) {
          return frame;
        }
        if (frame != null) {
          skippedAll.add(frame);
          skipped.addLast(frame);
          if (skipped.size() > 5) {
            skipped.removeFirst();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return fail("no frame " + description + " within " + seconds + " s; the last frames skipped: " + skipped
        + (closed ? "; the socket is closed" : ""));
  }

  /** The body of the next event of {@code type} on {@code channel}. */
  public JsonObject event(String channel, String type) {
    return await(type + " on " + channel, f -> "rec".equals(f.getString("type"))
        && channel.equals(f.getString("address")) && type.equals(f.getJsonObject("body").getString("type")))
        .getJsonObject("body");
  }

  /** Waits for a {@code presence} event on {@code channel} counting {@code viewers}, skipping other counts. */
  public void awaitViewers(String channel, int viewers) {
    await(viewers + " viewers on " + channel, f -> "rec".equals(f.getString("type"))
        && channel.equals(f.getString("address")) && "presence".equals(f.getJsonObject("body").getString("type"))
        && f.getJsonObject("body").getJsonObject("data").getInteger("viewers") == viewers);
  }

  /** The next error frame. */
  public JsonObject error() {
    return await("of type err", f -> "err".equals(f.getString("type")));
  }

  /** Every frame that arrives within {@code millis}. */
  public List<JsonObject> drain(long millis) {
    List<JsonObject> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    try {
      while (System.nanoTime() < deadline) {
        JsonObject frame = frames.poll(20, TimeUnit.MILLISECONDS);
        if (frame != null) {
          out.add(frame);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  public boolean isClosed() {
    return closed;
  }

  /** The status code of the server's close frame (1000: a deliberate close); null if the connection just dropped. */
  public Short closeStatus() {
    return socket.closeStatusCode();
  }

  private static JsonObject headers(String token) {
    return token == null ? new JsonObject() : new JsonObject().put("Authorization", "Bearer " + token);
  }

  @Override
  public void close() {
    if (!closed) {
      socket.close().await();
    }
  }
}
