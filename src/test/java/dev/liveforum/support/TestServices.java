package dev.liveforum.support;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.launch.DevServicesSetup;
import dev.liveforum.persistence.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
  private static final List<Callable<?>> CLEANUPS = new ArrayList<>();

  /** Drops this run's database and Redis keys from shared servers; embedded ones vanish by themselves. */
  public static synchronized void cleanUp() {
    for (Callable<?> cleanup : CLEANUPS) {
      try {
        cleanup.call();
      } catch (Exception e) {
        System.err.println("test clean-up failed (names carry the run id " + RUN_ID + "): " + e);
      }
    }
    CLEANUPS.clear();
  }

  /** Has {@link #cleanUp()} run {@code cleanup} too, e.g. to remove a directory a node kept files in. */
  public static synchronized void afterRun(Callable<?> cleanup) {
    CLEANUPS.add(cleanup);
  }

  private TestServices() {}

  /** Settings every test node starts from: this run's database and Redis, fast bcrypt, lenient limits. */
  public static synchronized Config config() {
    if (base == null) {
      base = prepare();
    }
    return base;
  }

  /** Removes every key this run wrote to a shared Redis (its own prefix and the variants tests derive from it). */
  private static void deleteKeys(String url, String prefix) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, url));
      String pattern = prefix.substring(0, prefix.length() - 1) + "*";
      String cursor = "0";
      do {
        Response page = redis.scan(List.of(cursor, "MATCH", pattern, "COUNT", "500")).await();
        cursor = page.get(0).toString();
        List<String> keys = new ArrayList<>();
        page.get(1).forEach(k -> keys.add(k.toString()));
        if (!keys.isEmpty()) {
          redis.unlink(keys).await();
        }
      } while (!cursor.equals("0"));
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Every count of every named limit (README "Limits") far above what any test does: the suite's users are
   * all new accounts, all on 127.0.0.1, under one Redis key prefix. WriteLimitsTest sets small ones.
   */
  private static JsonObject lenientLimits() {
    JsonObject limits = new JsonObject();
    for (Setting s : Setting.values()) {
      List<String> path = s.path();
      if (path.size() == 3 && path.get(0).equals("limits") && !path.get(2).equals("windowSeconds")) {
        limits.put(path.get(1), limits.getJsonObject(path.get(1), new JsonObject()).put(path.get(2), 10_000_000));
      }
    }
    return limits;
  }

  private static Config prepare() {
    try {
      Map<String, String> env = System.getenv();
      String database = "lf_test_" + RUN_ID;
      JsonObject json = new JsonObject()
          .put("profile", "dev")
          .put("auth", new JsonObject().put("bcryptCost", 4).put("loginLimitPerIp", 100_000)
              .put("loginLimitPerAccount", 100_000).put("registerLimitPerIp", 100_000))
          .put("limits", lenientLimits())
          .put("redis", new JsonObject().put("keyPrefix", "lf-test-" + RUN_ID + ":"))
          .put("jwt", new JsonObject().put("secret", "test-secret-" + UUID.randomUUID()))
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
        CLEANUPS.add(() -> {
          Database.drop(created.db());
          return null;
        });
      }
      String redisUrl = env.getOrDefault(Setting.REDIS_URL.env(), "");
      if (!redisUrl.isEmpty()) {
        config = config.with(Setting.REDIS_URL, redisUrl);
        String prefix = config.redis().keyPrefix();
        CLEANUPS.add(() -> {
          deleteKeys(redisUrl, prefix);
          return null;
        });
      }
      Path dataDir = Files.createTempDirectory("liveforum-test-db");
      return DevServicesSetup.prepare(config, dataDir, false, database);
    } catch (Exception e) {
      throw new IllegalStateException("test services could not start", e);
    }
  }
}
