package dev.liveforum.http;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.auth.RateLimits;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.config.Config;
import dev.liveforum.http.page.Origins;
import dev.liveforum.net.ConnectionGuard;
import dev.liveforum.net.Framing;
import dev.liveforum.net.FramingDecoder;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.Yaml;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.JWTAuthHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The REST edge. Its router is built from {@code openapi.yaml}, so every request is validated against
 * the contract before a handler runs; handlers reach the other roles only over the event bus. The
 * same server renders the pages people read ({@link PageRoutes}).
 */
public class HttpVerticle extends VerticleBase {
  public static final String CONTRACT = "openapi.yaml";
  private HttpServer server;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    AccessTokens tokens = new AccessTokens(vertx, config.auth(), config.busTimeoutMs());
    Edge edge = new Edge(vertx, config.busTimeoutMs(), tokens,
        new RateLimits(vertx, config.limits(), config.busTimeoutMs()), config.auth().jwtSecret());
    AccountRoutes accounts = new AccountRoutes(edge, tokens, config.auth());
    Health health = new Health(vertx);
    Origins origins = new Origins(config.pages(), config.bridge().port());

    return contract().compose(contract -> {
      contract.getPaths().forEach(path -> QueryExtractor.check(path.getOperations()));
      Config.Http http = config.http();
      Uploads uploads = new Uploads(vertx, contract, ImageRoutes.UPLOAD, http, new UploadGuard(edge, http));
      ConnectionGuard connections = new ConnectionGuard(vertx, "http", new ConnectionGuard.Limits(
          http.maxConnectionsPerIp(), http.maxConnections(), http.headerTimeoutSeconds() * 1000L,
          http.idleTimeoutSeconds() * 1000L), config.trustedProxies());
      RouterBuilder builder = RouterBuilder.create(vertx, CachingContract.of(contract), uploads.extractor(new QueryExtractor()))
          .rootHandler(connections)
          .rootHandler(new RequestLog(config.trustedProxies()))
          .rootHandler(new SecurityHeaders(origins, config.markdownImageHosts()));
      if (!config.http().corsOrigins().isEmpty()) {
        // Credentials: a trusted origin's page may use the session cookie (SessionRoutes); no other route reads cookies.
        CorsHandler cors = CorsHandler.create()
            .addOrigins(config.http().corsOrigins())
            .allowCredentials(true)
            .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE))
            .allowedHeaders(Set.of("Authorization", "Content-Type", RequestLog.HEADER, Edge.IDEMPOTENCY_KEY))
            .exposedHeaders(Set.of(RequestLog.HEADER, "Retry-After", "Location"));
        // Browsers send Origin with their POSTs from the server's own pages too, and the handler refuses
        // every origin it does not list; CORS is about other origins only.
        builder.rootHandler(rc -> {
          if (Origins.fromOwnPage(rc.request())) {
            rc.next();
          } else {
            cors.handle(rc);
          }
        });
      }
      builder.rootHandler(uploads.bodyHandler(BodyHandler.create(false).setBodyLimit(config.http().bodyLimitBytes())));
      builder.rootHandler(new JsonBodies());
      builder.security("bearerAuth").httpHandler(JWTAuthHandler.create(tokens));

      builder.getRoute("register").addHandler(accounts::register);
      builder.getRoute("login").addHandler(accounts::login);
      builder.getRoute("refresh").addHandler(accounts::refresh);
      builder.getRoute("logout").addHandler(accounts::logout);
      SessionRoutes sessions = new SessionRoutes(edge, accounts, config.auth().refreshTtlDays(),
          config.http().corsOrigins());
      builder.getRoute("createSession").addHandler(sessions.originCheck()).addHandler(sessions::signIn);
      builder.getRoute("refreshSession").addHandler(sessions.originCheck()).addHandler(sessions::refresh);
      builder.getRoute("deleteSession").addHandler(sessions.originCheck()).addHandler(sessions::signOut);
      builder.getRoute("getMe").addHandler(accounts::me);
      builder.getRoute("updateMe").addHandler(accounts::updateMe);
      Endpoints endpoints = new Endpoints(vertx);
      NearCache near = NearCache.of(vertx, endpoints);
      CachedReads cache = new CachedReads(edge, near);
      ViewCounts views = new ViewCounts(vertx, edge);
      ReadRoutes reads = new ReadRoutes(edge, views);
      builder.getRoute("getUser").addHandler(reads::getUser);
      builder.getRoute("listUserPosts").addHandler(reads::userPosts);
      builder.getRoute("listUserComments").addHandler(reads::userComments);
      builder.getRoute("searchPosts").addHandler(reads::search);
      builder.getRoute("suggestTitles").addHandler(reads::suggest);
      builder.getRoute("rebuildSearchIndex").addHandler(reads::rebuildIndex);
      builder.getRoute("realtimeSince").addHandler(new RealtimeRoutes(edge)::since);
      NotificationRoutes notifications = new NotificationRoutes(edge);
      builder.getRoute("listNotifications").addHandler(notifications::list);
      builder.getRoute("unreadNotifications").addHandler(notifications::unreadCount);
      builder.getRoute("readNotification").addHandler(notifications::read);
      builder.getRoute("readAllNotifications").addHandler(notifications::readAll);
      builder.getRoute("deadNotificationJobs").addHandler(notifications::deadJobs);
      ForumRoutes forum = new ForumRoutes(edge, cache, views);
      builder.getRoute("listBoards").addHandler(forum::listBoards);
      builder.getRoute("createBoard").addHandler(forum::createBoard);
      builder.getRoute("getBoard").addHandler(forum::getBoard);
      builder.getRoute("updateBoard").addHandler(forum::updateBoard);
      builder.getRoute("deleteBoard").addHandler(forum::deleteBoard);
      builder.getRoute("listPosts").addHandler(forum::listPosts);
      builder.getRoute("createPost").addHandler(forum::createPost);
      builder.getRoute("getPost").addHandler(forum::getPost);
      builder.getRoute("updatePost").addHandler(forum::updatePost);
      builder.getRoute("deletePost").addHandler(forum::deletePost);
      builder.getRoute("previewMarkdown").addHandler(forum::preview);
      CommentRoutes comments = new CommentRoutes(edge, cache);
      builder.getRoute("listComments").addHandler(comments::listComments);
      builder.getRoute("listReplies").addHandler(comments::listReplies);
      builder.getRoute("createComment").addHandler(comments::createComment);
      builder.getRoute("updateComment").addHandler(comments::updateComment);
      builder.getRoute("deleteComment").addHandler(comments::deleteComment);
      builder.getRoute("likePost").addHandler(comments::likePost);
      builder.getRoute("unlikePost").addHandler(comments::unlikePost);
      builder.getRoute("getPostLike").addHandler(comments::postLikeState);
      builder.getRoute("likeComment").addHandler(comments::likeComment);
      builder.getRoute("unlikeComment").addHandler(comments::unlikeComment);
      ImageRoutes images = new ImageRoutes(edge, cache);
      builder.getRoute(ImageRoutes.UPLOAD).addHandler(images::upload);
      builder.getRoute("getImage").addHandler(images::get);
      StatsRoutes stats = new StatsRoutes(edge);
      builder.getRoute("statsDaily").addHandler(stats::daily);
      builder.getRoute("statsSummary").addHandler(stats::summary);
      builder.getRoute("statsRebuild").addHandler(stats::rebuild);

      Router router = builder.createRouter();
      router.get("/health/live").handler(health::live);
      router.get("/health/ready").handler(health::ready);
      ApiDocs.mount(vertx, router);
      new PageRoutes(edge, cache, views, near, origins, reads).mount(router);
      router.route().failureHandler(Problems::onFailure);
      router.errorHandler(404, rc -> Problems.send(rc, 404, "there is nothing at " + rc.request().path()));
      AllowedMethods allowed = new AllowedMethods(contract, router);
      router.errorHandler(405, rc -> {
        rc.response().putHeader("Allow", allowed.on(rc.request().path()));
        Problems.send(rc, 405, rc.request().method() + " is not allowed on " + rc.request().path());
      });

      HttpServerOptions options = new HttpServerOptions()
          // Uploads say 100 Continue themselves, once their token and post are checked (see Uploads).
          .setHandle100ContinueAutomatically(false)
          .setIdleTimeout(http.idleTimeoutSeconds())
          .setIdleTimeoutUnit(TimeUnit.SECONDS)
          .setCompressionSupported(true)
          .setHttp2ClearTextEnabled(config.h2c())
          .setMaxFormAttributeSize(config.http().bodyLimitBytes());
      server = vertx.createHttpServer(options);
      server.invalidRequestHandler(Framing::invalid);
      server.connectionHandler(connection -> {
        FramingDecoder.install(connection, options);
        connections.connected(connection);
      });
      return endpoints.ready().compose(v -> server.requestHandler(new Framing(router)).listen(config.http().port(),
          config.http().host()));
    });
  }

  /**
   * The contract the router is built from. vertx-openapi only accepts response media types it knows:
   * not {@code application/problem+json}, nor the image types of {@code getImage}. Responses are never
   * validated, so the router gets a copy that calls every such body {@code application/json}, while
   * {@code /api/openapi.yaml} serves the document as written.
   */
  private Future<OpenAPIContract> contract() {
    // Parsing the YAML takes seconds of CPU on a loaded machine: not on an event loop.
    return vertx.fileSystem().readFile(CONTRACT).compose(text -> vertx.executeBlocking(() -> {
      JsonObject document = new JsonObject(Json.encode(new Yaml().<Map<String, Object>>load(text.toString())));
      Stream.concat(
              document.getJsonObject("paths").stream()
                  .flatMap(path -> ((JsonObject) path.getValue()).stream())
                  .filter(operation -> operation.getValue() instanceof JsonObject o && o.containsKey("responses"))
                  .flatMap(operation -> ((JsonObject) operation.getValue()).getJsonObject("responses").stream()),
              document.getJsonObject("components").getJsonObject("responses", new JsonObject()).stream())
          .map(response -> ((JsonObject) response.getValue()).getJsonObject("content"))
          .filter(content -> content != null)
          .forEach(HttpVerticle::knownMediaTypes);
      return document;
    })).compose(document -> OpenAPIContract.from(vertx, document));
  }

  private static void knownMediaTypes(JsonObject content) {
    for (String type : List.copyOf(content.fieldNames())) {
      if (!MediaType.isMediaTypeSupported(type)) {
        Object body = content.remove(type);
        if (!content.containsKey(MediaType.APPLICATION_JSON)) {
          content.put(MediaType.APPLICATION_JSON, body);
        }
      }
    }
  }
}
