package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.launch.Node;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server side of the realtime bench, run as its own JVM: a LiveForum node with the settings in the
 * JSON file {@code args[0]} and, with {@code args[1]}, the baseline next to it: Vert.x's own SockJS
 * event-bus bridge on that port, letting any client register and publish on any address. The baseline
 * has a Vert.x instance of its own (not clustered, so registrations stay local as they do in our Hub)
 * and, like our bridge, one verticle instance: one event loop writes to all of its sockets.
 * Answers {@code READY}, then serves until {@code STOP}.
 */
public final class RealtimeServer {
  private RealtimeServer() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.from(new JsonObject(Files.readString(Path.of(args[0]))));
    Node node = Node.start(config).await();
    Vertx bare = args.length > 1 ? bareBridge(Integer.parseInt(args[1])) : null;
    ChildJvm.answer("READY");
    ChildJvm.serve(command -> {});
    if (bare != null) {
      bare.close().await();
    }
    node.close().await();
    System.exit(0);
  }

  private static Vertx bareBridge(int port) {
    Vertx vertx = Vertx.vertx();
    PermittedOptions any = new PermittedOptions().setAddressRegex(".*");
    SockJSBridgeOptions options = new SockJSBridgeOptions().addInboundPermitted(any).addOutboundPermitted(any)
        // Our bridge closes a socket only after bridge.pingTimeoutSeconds; the default 10 s would close the idle ones.
        .setPingTimeout(600_000);
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        Router router = Router.router(vertx);
        router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(options));
        return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(1)).await();
    return vertx;
  }
}
