package dev.liveforum.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The browsers of the realtime bench: raw WebSockets to {@code /eventbus/websocket} (the cheapest
 * client of the bridge protocol, so the generator costs as little as it can), each registered on one
 * channel. Every frame they receive goes to the current {@link Deliveries}.
 */
final class Subscribers implements AutoCloseable {
  /** Sockets being opened at once: enough to keep both ends busy, few enough not to overflow the accept backlog. */
  private static final int OPENING_AT_ONCE = 128;
  private static final byte[] ERROR_FRAME = "{\"type\":\"err\"".getBytes(StandardCharsets.UTF_8);
  /**
   * Each socket pings this often, as a browser's bridge client does (every 5 s in a foreground tab, about
   * once a minute in a background one): the server closes sockets silent for bridge.pingTimeoutSeconds.
   */
  private static final int PING_SECONDS = 30;
  private static final String PING = new JsonObject().put("type", "ping").encode();

  private final Vertx vertx;
  private final WebSocketClient client;
  private final ConcurrentLinkedQueue<WebSocket> sockets = new ConcurrentLinkedQueue<>();
  private final LongAdder errorFrames = new LongAdder();
  private final LongAdder closedByServer = new LongAdder();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final AtomicReference<String> lastPresence = new AtomicReference<>();
  private volatile Deliveries deliveries;
  private volatile boolean closing;

  Subscribers(int eventLoops) {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
        .setConnectTimeout(60_000));
    long[] tick = {0};
    // A slice of the sockets each second, so that the pings are spread evenly.
    vertx.setPeriodic(1000, id -> {
      long slice = tick[0]++ % PING_SECONDS;
      long i = 0;
      for (WebSocket ws : sockets) {
        if (i++ % PING_SECONDS == slice && !ws.isClosed()) {
          ws.writeTextMessage(PING);
        }
      }
    });
  }

  /** What opening a batch of sockets came to. */
  record Opened(int count, int failed, long millis, String firstFailure) {}

  /**
   * Opens {@code count} sockets spread over {@code ports} in turn and registers each on {@code channel}:
   * with a token of {@code tokens} in turn, waiting for its {@code subscribed} frame (LiveForum), or, with
   * no tokens (the bare bridge, which confirms nothing), until the register frame is written.
   */
  Opened open(String host, List<Integer> ports, int count, String channel, List<String> tokens)
      throws InterruptedException {
    long start = System.nanoTime();
    CountDownLatch done = new CountDownLatch(count);
    Semaphore opening = new Semaphore(OPENING_AT_ONCE);
    LongAdder failed = new LongAdder();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    for (int i = 0; i < count; i++) {
      opening.acquire();
      int port = ports.get(i % ports.size());
      String token = tokens.isEmpty() ? null : tokens.get(i % tokens.size());
      Runnable finished = () -> {
        opening.release();
        done.countDown();
      };
      vertx.getOrCreateContext().runOnContext(v -> openOne(host, port, channel, token, finished).onFailure(t -> {
        failed.increment();
        firstFailure.compareAndSet(null, t.toString());
        finished.run();
      }));
    }
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("sockets still opening after 10 minutes");
    }
    return new Opened(count, failed.intValue(), (System.nanoTime() - start) / 1_000_000, firstFailure.get());
  }

  private Future<Void> openOne(String host, int port, String channel, String token, Runnable subscribed) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(host).setPort(port)
        .setURI("/eventbus/websocket");
    return client.connect(options).compose(ws -> {
      sockets.add(ws);
      boolean[] waiting = {token != null};
      ws.frameHandler(frame -> onFrame(frame, waiting, subscribed));
      ws.closeHandler(v -> {
        if (!closing) {
          closedByServer.increment();
        }
      });
      JsonObject headers = token == null ? new JsonObject() : new JsonObject().put("Authorization", "Bearer " + token);
      Future<Void> written = ws.writeTextMessage(new JsonObject().put("type", "register").put("address", channel)
          .put("headers", headers).encode());
      return token == null ? written.onSuccess(v -> subscribed.run()) : written;
    });
  }

  private void onFrame(WebSocketFrame frame, boolean[] waiting, Runnable subscribed) {
    if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) {
      return;
    }
    Buffer data = frame.binaryData();
    byte[] bytes = data.getBytes();
    if (startsWith(bytes, ERROR_FRAME)) {
      errorFrames.increment();
      firstError.compareAndSet(null, data.toString());
      return;
    }
    if (waiting[0] && data.toString().contains("\"type\":\"subscribed\"")) {
      waiting[0] = false;
      subscribed.run();
      return;
    }
    if (bytes.length < 200 && data.toString().contains("\"type\":\"presence\"")) {
      lastPresence.set(data.toString());
    }
    Deliveries current = deliveries;
    if (current != null) {
      current.frame(bytes, bytes.length);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** One more socket, registered on nothing: the bare bridge's runs publish through it. */
  WebSocket publisher(String host, int port) {
    return client.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/eventbus/websocket"))
        .await();
  }

  /** Counts what arrives from now on into {@code next}. */
  void countInto(Deliveries next) {
    deliveries = next;
  }

  /** The last presence frame received (viewer counts), or null. */
  String lastPresence() {
    return lastPresence.get();
  }

  long errorFrames() {
    return errorFrames.sum();
  }

  String firstError() {
    return firstError.get();
  }

  long closedByServer() {
    return closedByServer.sum();
  }

  int open() {
    return sockets.size();
  }

  /** Closes every socket and waits until they are closed; from then on, closes are no longer counted as the server's. */
  long closeAll() {
    long start = System.nanoTime();
    closing = true;
    List<Future<Void>> closed = new ArrayList<>();
    for (WebSocket ws; (ws = sockets.poll()) != null; ) {
      closed.add(ws.close());
    }
    Future.join(closed).otherwiseEmpty().await();
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public void close() {
    closeAll();
    vertx.close().await();
  }
}
