package dev.liveforum.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay on a free port of 127.0.0.1 to a real server, so a test can cut one node's line to it
 * (as a network partition would) while the other nodes keep theirs.
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private final NetServer server;

  /** Cut the first connection that sends {@code at} after {@code after}, before {@code at} is passed on. */
  private record Tripwire(String after, String at, Promise<Void> tripped) {}

  private volatile Tripwire tripwire;

  public TcpProxy(String host, int port) {
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(port, host).onSuccess(out -> {
        open.add(in);
        open.add(out);
        forward(in, out);
        out.pipeTo(in);
        in.resume();
      }).onFailure(t -> in.close());
    });
    server.listen(0, "127.0.0.1").await();
  }

  /** Passes what the client sends on to the server, unless a tripwire cuts the connection first. */
  private void forward(NetSocket in, NetSocket out) {
    boolean[] armed = {false};
    in.handler(bytes -> {
      Tripwire t = tripwire;
      if (t != null) {
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        if (armed[0] && text.contains(t.at())) {
          tripwire = null;
          in.close();
          out.close();
          t.tripped().tryComplete();
          return;
        }
        armed[0] |= text.contains(t.after());
      }
      out.write(bytes);
      if (out.writeQueueFull()) {
        in.pause();
        out.drainHandler(v -> in.resume());
      }
    });
    in.endHandler(v -> out.close());
  }

  /**
   * Cuts, once, the first connection that sends the ASCII text {@code at} after it sent {@code after}, before
   * {@code at} reaches the server (e.g. a transaction's COMMIT after its INSERT): the client is left not
   * knowing whether it happened. Completes when it has cut one.
   */
  public Future<Void> cutAt(String at, String after) {
    Promise<Void> tripped = Promise.promise();
    tripwire = new Tripwire(after, at, tripped);
    return tripped.future();
  }

  public int port() {
    return server.actualPort();
  }

  /** Drops every connection and refuses new ones. */
  public void cut() {
    server.close().await();
    open.forEach(NetSocket::close);
  }

  @Override
  public void close() {
    cut();
    vertx.close().await();
  }
}
