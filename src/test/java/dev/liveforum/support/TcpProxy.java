package dev.liveforum.support;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

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

  public TcpProxy(String host, int port) {
    NetClient client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(port, host).onSuccess(out -> {
        open.add(in);
        open.add(out);
        in.pipeTo(out);
        out.pipeTo(in);
        in.resume();
      }).onFailure(t -> in.close());
    });
    server.listen(0, "127.0.0.1").await();
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
