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
      Bus.serve(vertx, Address.PERSISTENCE_HEALTH, ignored -> pool.query("SELECT 1").execute()
          .map(rows -> new JsonObject().put("database", "UP")).recover(Database::classify));
      return migrated;
    });
  }

  @Override
  public Future<?> stop() {
    if (bcryptWorkers != null) {
      bcryptWorkers.close();
    }
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
