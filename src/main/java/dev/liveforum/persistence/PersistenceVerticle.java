package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.launch.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/** Owns the database: migrates the schema on start, then serves the {@code persistence.*} commands. */
public class PersistenceVerticle extends VerticleBase {
  private Pool pool;
  private WorkerExecutor bcryptWorkers;
  private OutboxRelay relay;
  private long hotTimer;
  private long viewPurgeTimer;
  private long keyPurgeTimer;
  /** How often the hot rank of recent posts is recomputed, so that age keeps pulling it down. */
  private static final long HOT_DECAY_MS = 5 * 60_000;
  private static final long VIEW_BATCH_PURGE_MS = 3_600_000;
  private static final long IDEMPOTENCY_KEY_PURGE_MS = 3_600_000;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    Endpoints endpoints = new Endpoints(vertx);
    return Database.migrate(vertx, config.db()).compose(migrated -> {
      pool = Database.pool(vertx, config.db());
      bcryptWorkers = vertx.createSharedWorkerExecutor("liveforum-bcrypt",
          Math.max(2, Runtime.getRuntime().availableProcessors()));
      relay = new OutboxRelay(vertx, pool);
      relay.start(1000);
      AccountService accounts = new AccountService(pool, new Passwords(bcryptWorkers, config.auth().bcryptCost()),
          config.auth().refreshTtlDays(), relay::kick);
      endpoints.serve(Address.USER_REGISTER, accounts::register);
      endpoints.serve(Address.USER_LOGIN, accounts::login);
      endpoints.serve(Address.USER_GET, accounts::get);
      endpoints.serve(Address.USER_UPDATE, accounts::update);
      endpoints.serve(Address.TOKEN_REFRESH, accounts::refresh);
      endpoints.serve(Address.TOKEN_REVOKE, accounts::revoke);
      Cursors cursors = new Cursors(config.auth().jwtSecret());
      BoardService boards = new BoardService(pool, relay::kick);
      endpoints.serve(Address.BOARD_LIST, boards::list);
      endpoints.serve(Address.BOARD_GET, boards::get);
      endpoints.serve(Address.BOARD_CREATE, boards::create);
      endpoints.serve(Address.BOARD_UPDATE, boards::update);
      endpoints.serve(Address.BOARD_DELETE, boards::delete);
      PostService posts = new PostService(pool, cursors, relay::kick);
      endpoints.serve(Address.POST_CREATE, posts::create);
      endpoints.serve(Address.POST_GET, posts::get);
      endpoints.serve(Address.POST_UPDATE, posts::update);
      endpoints.serve(Address.POST_DELETE, posts::delete);
      endpoints.serve(Address.POST_LIST, posts::list);
      endpoints.serve(Address.POST_LIKED, posts::liked);
      // Previews come as people type: rendered on a worker, not on the event loop the database replies on.
      endpoints.serve(Address.MARKDOWN_PREVIEW, body -> vertx.executeBlocking(() -> PostService.preview(body), false));
      CommentService comments = new CommentService(pool, cursors, relay::kick);
      endpoints.serve(Address.COMMENT_LIST, comments::list);
      endpoints.serve(Address.COMMENT_CREATE, comments::create);
      endpoints.serve(Address.COMMENT_UPDATE, comments::update);
      endpoints.serve(Address.COMMENT_DELETE, comments::delete);
      LikeService likes = new LikeService(pool, relay::kick);
      endpoints.serve(Address.LIKE_ADD, likes::add);
      endpoints.serve(Address.LIKE_REMOVE, likes::remove);
      ViewService views = new ViewService(pool, relay::kick);
      endpoints.serve(Address.POST_ADD_VIEWS, views::addViews);
      StatsQueries stats = new StatsQueries(pool);
      endpoints.serve(Address.PERSISTENCE_STATS_DAYS, stats::days);
      endpoints.serve(Address.PERSISTENCE_STATS_SUMMARY, stats::summary);
      SearchService search = new SearchService(pool, cursors);
      endpoints.serve(Address.POST_SEARCH, search::search);
      ProfileService profiles = new ProfileService(pool, cursors);
      endpoints.serve(Address.USER_PROFILE, profiles::profile);
      endpoints.serve(Address.USER_POSTS, profiles::posts);
      endpoints.serve(Address.USER_COMMENTS, profiles::comments);
      ImageService images = new ImageService(pool, relay::kick);
      endpoints.serve(Address.IMAGE_UPLOAD, images::upload);
      endpoints.serve(Address.IMAGE_GET, images::get);
      NotificationFeed feed = new NotificationFeed(pool);
      endpoints.serve(Address.NOTIFICATION_CLAIM_EVENTS, feed::claim);
      endpoints.serve(Address.NOTIFICATION_EVENTS_FED, feed::fed);
      NotificationService notifications = new NotificationService(pool, cursors, relay::kick,
          config.notifications().groupWindowSeconds());
      endpoints.serve(Address.NOTIFICATION_APPLY, notifications::apply);
      endpoints.serve(Address.NOTIFICATION_LIST, notifications::list);
      endpoints.serve(Address.NOTIFICATION_UNREAD_COUNT, notifications::unreadCount);
      endpoints.serve(Address.NOTIFICATION_READ_ONE, notifications::read);
      endpoints.serve(Address.NOTIFICATION_READ_ALL, notifications::readAll);
      hotTimer = vertx.setPeriodic(HOT_DECAY_MS, id -> HotRank.decay(pool));
      viewPurgeTimer = vertx.setPeriodic(VIEW_BATCH_PURGE_MS, id -> views.purge());
      keyPurgeTimer = vertx.setPeriodic(IDEMPOTENCY_KEY_PURGE_MS,
          id -> IdempotencyKeys.purge(pool, config.idempotencyKeepHours()));
      endpoints.serve(Address.PERSISTENCE_HEALTH, ignored -> pool.query("SELECT 1").execute()
          .map(rows -> new JsonObject().put("database", "UP")).recover(Database::classify));
      return endpoints.ready();
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(hotTimer);
    vertx.cancelTimer(viewPurgeTimer);
    vertx.cancelTimer(keyPurgeTimer);
    if (relay != null) {
      relay.stop();
    }
    if (bcryptWorkers != null) {
      bcryptWorkers.close();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
