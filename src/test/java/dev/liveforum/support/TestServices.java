package dev.liveforum.support;

import dev.liveforum.launch.Config;
import dev.liveforum.launch.DevServicesSetup;
import dev.liveforum.launch.Setting;
import dev.liveforum.persistence.Database;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The MariaDB and Redis a test run uses, set up once per JVM. With {@code LIVEFORUM_DB_URL} /
 * {@code LIVEFORUM_REDIS_URL} set (CI's second pass), the machine's servers are used, with a database
 * and a Redis key prefix of this run's own; otherwise embedded ones are started, as for a new user.
 */
public final class TestServices {
  /** Unique per test JVM: names the database, the Redis key prefix and the Hazelcast cluster. */
  public static final String RUN_ID = Long.toString(System.currentTimeMillis(), 36)
      + UUID.randomUUID().toString().substring(0, 6);

  private static Config base;

  private TestServices() {}

  /** Settings every test node starts from: this run's database and Redis, fast bcrypt, lenient limits. */
  public static synchronized Config config() {
    if (base == null) {
      base = prepare();
    }
    return base;
  }

  private static Config prepare() {
    try {
      Map<String, String> env = System.getenv();
      String database = "lf_test_" + RUN_ID;
      JsonObject json = new JsonObject()
          .put("profile", "dev")
          .put("auth", new JsonObject().put("bcryptCost", 4).put("loginLimitPerIp", 100_000)
              .put("loginLimitPerAccount", 100_000))
          .put("redis", new JsonObject().put("keyPrefix", "lf-test-" + RUN_ID + ":"))
          .put("http", new JsonObject().put("instances", 1))
          .put("cluster", new JsonObject().put("name", "lf-test-" + RUN_ID));
      Config config = Config.from(json);
      String dbUrl = env.getOrDefault(Setting.DB_URL.env(), "");
      if (!dbUrl.isEmpty()) {
        Database.Address a = Database.Address.parse(dbUrl);
        config = config.with(Setting.DB_URL, "mysql://" + a.host() + ":" + a.port() + "/" + database)
            .with(Setting.DB_USER, env.getOrDefault(Setting.DB_USER.env(), "root"))
            .with(Setting.DB_PASSWORD, env.getOrDefault(Setting.DB_PASSWORD.env(), ""));
        Database.createIfMissing(config.db());
        Config created = config;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            Database.drop(created.db());
          } catch (Exception ignored) {
            // the run is over; a database left behind is named after it
          }
        }));
      }
      String redisUrl = env.getOrDefault(Setting.REDIS_URL.env(), "");
      if (!redisUrl.isEmpty()) {
        config = config.with(Setting.REDIS_URL, redisUrl);
      }
      Path dataDir = Files.createTempDirectory("liveforum-test-db");
      return DevServicesSetup.prepare(config, dataDir, false, database);
    } catch (Exception e) {
      throw new IllegalStateException("test services could not start", e);
    }
  }
}
