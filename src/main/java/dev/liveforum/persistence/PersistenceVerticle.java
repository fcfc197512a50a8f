package dev.liveforum.persistence;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.StoreGate;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

/**
 * Owns the database: migrates the schema on start, then serves the {@code persistence.*} commands while
 * the database answers (see {@link StoreGate}): a node that has lost the database steps back, and the
 * cluster's requests go to the persistence roles that have it.
 */
public class PersistenceVerticle extends VerticleBase {
  private Pool pool;
  private StoreGate gate;
  private Passwords passwords;
  private WorkerExecutor imageWorkers;
  private OutboxRelay relay;
  private Heartbeats heartbeats;
  private long hotTimer;
  private long viewPurgeTimer;
  private long channelPurgeTimer;
  private long keyPurgeTimer;
  /** How often the hot rank of recent posts is recomputed, so that age keeps pulling it down. */
  private static final long HOT_DECAY_MS = 5 * 60_000;
  private static final long VIEW_BATCH_PURGE_MS = 3_600_000;
  private static final long IDEMPOTENCY_KEY_PURGE_MS = 3_600_000;
  /** Images decoded at once per node: bounds the memory uploads take (a decoded frame is up to 64 MiB). */
  private static final int IMAGE_WORKERS = 2;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    return Database.migrate(vertx, config.db()).compose(migrated -> {
      pool = Database.pool(vertx, config.db());
      // A probe waits behind the requests for a connection: a busy pool must not look like a lost database.
      gate = new StoreGate(vertx, "persistence", () -> pool.query("SELECT 1").execute(),
          config.busTimeoutMs());
      Config.Auth auth = config.auth();
      passwords = new Passwords(vertx, auth.bcryptCost(), auth.bcryptThreads(), auth.bcryptQueue());
      relay = new OutboxRelay(vertx, pool);
      relay.start(1000);
      AccountService accounts = new AccountService(pool, passwords, auth.refreshTtlDays(), relay::kick,
          ended -> vertx.eventBus().publish(Address.SESSIONS_ENDED, ended));
      gate.serve(Address.USER_REGISTER, accounts::register);
      gate.serve(Address.USER_LOGIN, accounts::login);
      gate.serve(Address.USER_GET, accounts::get);
      gate.serve(Address.USER_UPDATE, accounts::update);
      gate.serve(Address.TOKEN_REFRESH, accounts::refresh);
      gate.serve(Address.TOKEN_REVOKE, accounts::revoke);
      gate.serve(Address.SESSION_CHECK, accounts::checkSession);
      Cursors cursors = new Cursors(config.auth().jwtSecret());
      BoardService boards = new BoardService(pool, relay::kick);
      gate.serve(Address.BOARD_LIST, boards::list);
      gate.serve(Address.BOARD_GET, boards::get);
      gate.serve(Address.BOARD_CREATE, boards::create);
      gate.serve(Address.BOARD_UPDATE, boards::update);
      gate.serve(Address.BOARD_DELETE, boards::delete);
      Markdown markdown = new Markdown(config.markdownImageHosts());
      PostService posts = new PostService(pool, cursors, markdown, relay::kick,
          config.limits().mentionsPerText());
      gate.serve(Address.POST_CREATE, posts::create);
      gate.serve(Address.POST_GET, posts::get);
      gate.serve(Address.POST_UPDATE, posts::update);
      gate.serve(Address.POST_DELETE, posts::delete);
      gate.serve(Address.POST_LIST, posts::list);
      gate.serve(Address.POST_LIKED, posts::liked);
      // Previews come as people type: rendered on a worker, not on the event loop the database replies on.
      gate.serve(Address.MARKDOWN_PREVIEW, body -> vertx.executeBlocking(() -> posts.preview(body), false));
      CommentService comments = new CommentService(pool, cursors, markdown, relay::kick,
          config.comments().repliesPerRoot(), config.comments().maxDepth(), config.limits().mentionsPerText());
      gate.serve(Address.COMMENT_LIST, comments::list);
      gate.serve(Address.COMMENT_REPLIES, comments::replies);
      gate.serve(Address.COMMENT_CREATE, comments::create);
      gate.serve(Address.COMMENT_UPDATE, comments::update);
      gate.serve(Address.COMMENT_DELETE, comments::delete);
      LikeService likes = new LikeService(pool, relay::kick);
      gate.serve(Address.LIKE_ADD, likes::add);
      gate.serve(Address.LIKE_REMOVE, likes::remove);
      ViewService views = new ViewService(pool, relay::kick);
      gate.serve(Address.POST_ADD_VIEWS, views::addViews);
      StatsQueries stats = new StatsQueries(pool);
      gate.serve(Address.PERSISTENCE_STATS_DAYS, stats::days);
      gate.serve(Address.PERSISTENCE_STATS_SUMMARY, stats::summary);
      SearchService search = new SearchService(pool, cursors);
      gate.serve(Address.POST_SEARCH, search::search);
      SearchFeed searchFeed = new SearchFeed(pool);
      gate.serve(Address.SEARCH_FEED, searchFeed::page);
      gate.serve(Address.POST_CARDS, searchFeed::cards);
      ProfileService profiles = new ProfileService(pool, cursors);
      gate.serve(Address.USER_PROFILE, profiles::profile);
      gate.serve(Address.USER_POSTS, profiles::posts);
      gate.serve(Address.USER_COMMENTS, profiles::comments);
      imageWorkers = vertx.createSharedWorkerExecutor("liveforum-images", IMAGE_WORKERS);
      ImageService images = new ImageService(pool, imageWorkers, relay::kick,
          config.limits().imageQuotaBytes());
      gate.serve(Address.IMAGE_UPLOAD, images::upload);
      gate.serve(Address.IMAGE_GET, images::get);
      NotificationFeed feed = new NotificationFeed(pool);
      gate.serve(Address.NOTIFICATION_CLAIM_EVENTS, feed::claim);
      gate.serve(Address.NOTIFICATION_EVENTS_FED, feed::fed);
      gate.serve(Address.NOTIFICATION_EVENTS_DONE, feed::done);
      gate.serve(Address.NOTIFICATION_RELEASE_EVENTS, feed::release);
      NotificationJobs notificationJobs = new NotificationJobs(pool, relay::kick,
          config.notifications().groupWindowSeconds(), config.limits().mentionsPerText());
      gate.serve(Address.NOTIFICATION_APPLY, notificationJobs::apply);
      NotificationInbox inbox = new NotificationInbox(pool, cursors, relay::kick);
      gate.serve(Address.NOTIFICATION_LIST, inbox::list);
      gate.serve(Address.NOTIFICATION_UNREAD_COUNT, inbox::unreadCount);
      gate.serve(Address.NOTIFICATION_READ_ONE, inbox::read);
      gate.serve(Address.NOTIFICATION_READ_ALL, inbox::readAll);
      ChannelLog channels = new ChannelLog(pool, config.realtime().backlogSize(),
          config.realtime().backlogTtlSeconds());
      gate.serve(Address.REALTIME_SINCE, channels::since);
      gate.serve(Address.REALTIME_SEQ, channels::current);
      channelPurgeTimer = channels.startPurging(vertx);
      hotTimer = vertx.setPeriodic(HOT_DECAY_MS, id -> HotRank.decay(pool));
      viewPurgeTimer = vertx.setPeriodic(VIEW_BATCH_PURGE_MS, id -> views.purge());
      keyPurgeTimer = vertx.setPeriodic(IDEMPOTENCY_KEY_PURGE_MS,
          id -> IdempotencyKeys.purge(pool, config.idempotencyKeepHours()));
      gate.serve(Address.PERSISTENCE_HEALTH, ignored -> pool.query("SELECT 1").execute()
          .map(rows -> new JsonObject().put("database", "UP")).recover(Database::classify));
      heartbeats = new Heartbeats(vertx, pool, config.cluster().enabled() ? config.cluster().name() : null);
      return heartbeats.start().compose(beating -> gate.start());
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(hotTimer);
    vertx.cancelTimer(viewPurgeTimer);
    vertx.cancelTimer(channelPurgeTimer);
    vertx.cancelTimer(keyPurgeTimer);
    if (gate != null) {
      gate.stop();
    }
    if (relay != null) {
      relay.stop();
    }
    if (passwords != null) {
      passwords.close();
    }
    if (imageWorkers != null) {
      imageWorkers.close();
    }
    Future<Void> leaving = heartbeats == null ? Future.succeededFuture() : heartbeats.stop();
    return leaving.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
