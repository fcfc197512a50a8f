package dev.liveforum.bench;

import dev.liveforum.support.TestNode;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;

/**
 * The baseline: a plain Vert.x HTTP server, as many instances as LiveForum's HTTP verticle, answering
 * every request with the same small JSON object. What LiveForum adds per request is measured against it.
 */
final class BareServer implements AutoCloseable {
  private static final Buffer BODY = new JsonObject().put("id", 1).put("title", "bare").put("ok", true).toBuffer();

  final HostAndPort server;
  private final Vertx vertx;

  private BareServer(Vertx vertx, HostAndPort server) {
    this.vertx = vertx;
    this.server = server;
  }

  static BareServer start(int instances) {
    Vertx vertx = Vertx.vertx();
    int port = TestNode.freePort();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer()
            .requestHandler(request -> request.response().putHeader("Content-Type", "application/json").end(BODY))
            .listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(instances)).await();
    return new BareServer(vertx, HostAndPort.create("127.0.0.1", port));
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
