package dev.liveforum.bridge;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.auth.RateLimits;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.config.Config;
import dev.liveforum.config.TrustedProxies;
import dev.liveforum.net.ConnectionGuard;
import dev.liveforum.net.Framing;
import dev.liveforum.net.FramingDecoder;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;

import java.util.concurrent.TimeUnit;

/**
 * The realtime bridge: SockJS at {@code /eventbus} (raw WebSocket at {@code /eventbus/websocket}),
 * speaking the vertx-eventbus bridge protocol, on its own port so a node can run it alone as an edge.
 */
public class BridgeVerticle extends VerticleBase {
  /**
   * Frames larger than this are cut off by the WebSocket layer itself (or, over SockJS's HTTP transports, by
   * the body limit with a 413); smaller oversized ones get an error frame.
   */
  private static final int WEBSOCKET_FRAME_LIMIT = 1024 * 1024;

  /** SockJS's receiving requests over plain HTTP: {@code /eventbus/<server>/<session>/<transport>}. */
  private static final String RECEIVING = "/eventbus/[^/.]+/[^/.]+/(?:xhr|xhr_streaming|eventsource)";

  private HttpServer server;
  private Hub hub;
  private Presence presence;
  private long idleTimer;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    Config.Bridge bridge = config.bridge();
    TrustedProxies proxies = config.trustedProxies();
    AccessTokens tokens = new AccessTokens(vertx, config.auth(), config.busTimeoutMs());
    RateLimits limits = new RateLimits(vertx, config.limits(), config.busTimeoutMs());
    hub = new Hub(vertx, config.busTimeoutMs());
    Endpoints endpoints = new Endpoints(vertx);
    hub.start(endpoints);
    presence = new Presence(vertx, hub, bridge.presenceIntervalMs());
    presence.start(endpoints);
    long pingTimeoutMs = bridge.pingTimeoutSeconds() * 1000L;
    idleTimer = vertx.setPeriodic(Math.min(10_000, pingTimeoutMs / 3), id -> hub.closeIdle(pingTimeoutMs));

    ConnectionGuard connections = new ConnectionGuard(vertx, "bridge", new ConnectionGuard.Limits(
        bridge.maxConnectionsPerIp(), bridge.maxConnections(), config.http().headerTimeoutSeconds() * 1000L,
        bridge.idleTimeoutSeconds() * 1000L), proxies);
    Router router = Router.router(vertx);
    router.route().handler(connections);
    router.route().handler(BridgeHttp::headers);
    router.route("/eventbus/*").handler(new OriginCheck(bridge.origins(), config.pages().publicUrl(), config.http().port()));
    // The iframe, htmlfile and JSONP transports exist for browsers without CORS; a page that can be framed
    // or a script with a caller-chosen callback is all they add today. SockJS serves the iframe regardless.
    router.getWithRegex("/eventbus/iframe[^/]*\\.html").handler(rc -> BridgeHttp.refuse(rc, 404,
        "the iframe transport is off: use websocket, xhr-streaming, xhr-polling or eventsource"));
    // SockJS's HTTP transports (xhr-streaming, xhr-polling, eventsource...) send frames as POST bodies, which
    // the SockJS handler reads only from a BodyHandler; without one every xhr_send fails with a 500. A body
    // may batch several frames; past the limit it is a 413 before it is read whole.
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(16L * bridge.maxFrameBytes()));
    router.postWithRegex("/eventbus/[^/.]+/[^/.]+/xhr_send").handler(BridgeHttp::framesBody);
    // SockJS closes the connection after each poll (and after a stream's last byte) without saying so; a
    // keep-alive client (Node 19+) may then reuse it for its next xhr_send and lose the connection to a reset.
    router.routeWithRegex(RECEIVING).handler(rc -> {
      rc.response().putHeader(HttpHeaders.CONNECTION, "close");
      rc.next();
    });
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions()
            .setRegisterWriteHandler(false)
            .addDisabledTransport(Transport.HTML_FILE.name())
            .addDisabledTransport(Transport.JSON_P.name()))
        .socketHandler(socket -> {
          String ip = proxies.clientIp(socket.remoteAddress(), socket.headers());
          Session session = new Session(vertx, socket, hub, tokens, bridge, limits, ip);
          if (hub.admit(session, ip, bridge.maxSocketsPerIp())) {
            session.start();
          } else {
            socket.write(new JsonObject().put("type", "err").put("body", "too_many_sockets")
                .put("failureType", "too_many_sockets")
                .put("message", "this address has " + bridge.maxSocketsPerIp() + " connections open: close one").toBuffer());
            socket.close();
          }
        }));
    router.route().failureHandler(BridgeHttp::failure);
    router.errorHandler(404, rc -> BridgeHttp.refuse(rc, 404, "there is nothing at " + rc.request().path()));
    router.errorHandler(405, rc -> BridgeHttp.refuse(rc, 405, rc.request().method() + " is not allowed here"));
    HttpServerOptions options = new HttpServerOptions()
        .setHost(bridge.host())
        .setPort(bridge.port())
        // With cleartext HTTP/2 on, Vert.x holds a new connection back from the connection handler until its
        // first bytes tell HTTP/1 from HTTP/2, so no header deadline could start; the bridge speaks HTTP/1 only.
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(WEBSOCKET_FRAME_LIMIT)
        .setMaxWebSocketMessageSize(WEBSOCKET_FRAME_LIMIT)
        // A backstop for whatever no deadline of its own covers (a POST body that stalls): a socket is closed
        // after this much silence from its client anyway.
        .setIdleTimeout(bridge.pingTimeoutSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    server = vertx.createHttpServer(options);
    // Requests read as the HTTP port reads them: ambiguous framing and what the decoder refuses are problems.
    server.invalidRequestHandler(Framing::invalid);
    server.connectionHandler(connection -> {
      FramingDecoder.install(connection, options);
      connections.connected(connection);
    });
    return endpoints.ready().compose(v -> server.requestHandler(new Framing(router)).listen());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(idleTimer);
    presence.stop();
    return hub.stop().eventually(() -> server.close());
  }
}
