package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
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
  /** How often the hot rank of recent posts is recomputed, so that age keeps pulling it down. */
  private static final long HOT_DECAY_MS = 5 * 60_000;
  private static final long VIEW_BATCH_PURGE_MS = 3_600_000;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    return Database.migrate(vertx, config.db()).map(migrated -> {
      pool = Database.pool(vertx, config.db());
      bcryptWorkers = vertx.createSharedWorkerExecutor("liveforum-bcrypt",
          Math.max(2, Runtime.getRuntime().availableProcessors()));
      AccountService accounts = new AccountService(pool, new Passwords(bcryptWorkers, config.auth().bcryptCost()),
          config.auth().refreshTtlDays());
      Bus.serve(vertx, Address.USER_REGISTER, accounts::register);
      Bus.serve(vertx, Address.USER_LOGIN, accounts::login);
      Bus.serve(vertx, Address.USER_GET, accounts::get);
      Bus.serve(vertx, Address.USER_UPDATE, accounts::update);
      Bus.serve(vertx, Address.TOKEN_REFRESH, accounts::refresh);
      Bus.serve(vertx, Address.TOKEN_REVOKE, accounts::revoke);
      relay = new OutboxRelay(vertx, pool);
      relay.start(1000);
      Cursors cursors = new Cursors(config.auth().jwtSecret());
      BoardService boards = new BoardService(pool, relay::kick);
      Bus.serve(vertx, Address.BOARD_LIST, boards::list);
      Bus.serve(vertx, Address.BOARD_GET, boards::get);
      Bus.serve(vertx, Address.BOARD_CREATE, boards::create);
      Bus.serve(vertx, Address.BOARD_UPDATE, boards::update);
      Bus.serve(vertx, Address.BOARD_DELETE, boards::delete);
      PostService posts = new PostService(pool, cursors, relay::kick);
      Bus.serve(vertx, Address.POST_CREATE, posts::create);
      Bus.serve(vertx, Address.POST_GET, posts::get);
      Bus.serve(vertx, Address.POST_UPDATE, posts::update);
      Bus.serve(vertx, Address.POST_DELETE, posts::delete);
      Bus.serve(vertx, Address.POST_LIST, posts::list);
      Bus.serve(vertx, Address.POST_LIKED, posts::liked);
      CommentService comments = new CommentService(pool, cursors, relay::kick);
      Bus.serve(vertx, Address.COMMENT_LIST, comments::list);
      Bus.serve(vertx, Address.COMMENT_CREATE, comments::create);
      Bus.serve(vertx, Address.COMMENT_UPDATE, comments::update);
      Bus.serve(vertx, Address.COMMENT_DELETE, comments::delete);
      LikeService likes = new LikeService(pool, relay::kick);
      Bus.serve(vertx, Address.LIKE_ADD, likes::add);
      Bus.serve(vertx, Address.LIKE_REMOVE, likes::remove);
      ViewService views = new ViewService(pool);
      Bus.serve(vertx, Address.POST_ADD_VIEWS, views::addViews);
      SearchService search = new SearchService(pool, cursors);
      Bus.serve(vertx, Address.POST_SEARCH, search::search);
      ProfileService profiles = new ProfileService(pool, cursors);
      Bus.serve(vertx, Address.USER_PROFILE, profiles::profile);
      Bus.serve(vertx, Address.USER_POSTS, profiles::posts);
      Bus.serve(vertx, Address.USER_COMMENTS, profiles::comments);
      ImageService images = new ImageService(pool, relay::kick);
      Bus.serve(vertx, Address.IMAGE_UPLOAD, images::upload);
      Bus.serve(vertx, Address.IMAGE_GET, images::get);
      hotTimer = vertx.setPeriodic(HOT_DECAY_MS, id -> HotRank.decay(pool));
      viewPurgeTimer = vertx.setPeriodic(VIEW_BATCH_PURGE_MS, id -> views.purge());
      Bus.serve(vertx, Address.PERSISTENCE_HEALTH, ignored -> pool.query("SELECT 1").execute()
          .map(rows -> new JsonObject().put("database", "UP")).recover(Database::classify));
      return migrated;
    });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(hotTimer);
    vertx.cancelTimer(viewPurgeTimer);
    if (relay != null) {
      relay.stop();
    }
    if (bcryptWorkers != null) {
      bcryptWorkers.close();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
