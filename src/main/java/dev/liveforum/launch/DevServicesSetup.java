package dev.liveforum.launch;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.devservices.DevServices;
import dev.liveforum.persistence.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Fills in what a development run or a test run left unconfigured: an embedded MariaDB and an embedded
 * Redis. Production never comes here. Blocking: start-up code only.
 */
public final class DevServicesSetup {
  private DevServicesSetup() {}

  /**
   * A development run without {@code jwt.secret} signs with a random secret of its own, made on the first
   * run and kept in {@code file} (readable by its owner only), so sign-ins outlive a restart.
   */
  public static Config secret(Config config, Path file) throws IOException {
    if (config.jwtSecretSet()) {
      return config;
    }
    if (!Files.exists(file)) {
      byte[] bytes = new byte[32];
      new SecureRandom().nextBytes(bytes);
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path fresh = Files.createTempFile(file.toAbsolutePath().getParent(), "jwt-secret", ".tmp");
      Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rw-------"));
      Files.writeString(fresh, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
      Files.move(fresh, file, StandardCopyOption.ATOMIC_MOVE);
    }
    return config.with(Setting.JWT_SECRET, Files.readString(file).trim());
  }

  /**
   * @param dataDir    where the embedded MariaDB keeps its files
   * @param persistent keep them after the process ends (the dev run) or delete them (tests)
   * @param database   the database to create and use on the embedded server
   */
  public static Config prepare(Config config, Path dataDir, boolean persistent, String database) throws Exception {
    if (config.production()) {
      throw new IllegalStateException("production never starts embedded services");
    }
    try {
      if (config.db().url().isEmpty()) {
        DevServices.EmbeddedMariaDb db = DevServices.startMariaDb(dataDir, persistent);
        config = config.with(Setting.DB_URL, "mysql://127.0.0.1:" + db.port() + "/" + database)
            .with(Setting.DB_USER, db.user())
            .with(Setting.DB_PASSWORD, db.password());
        Database.createIfMissing(config.db());
      }
      if (config.redis().url().isEmpty()) {
        DevServices.EmbeddedRedis redis = DevServices.startRedis();
        config = config.with(Setting.REDIS_URL, "redis://127.0.0.1:" + redis.port());
      }
      return config;
    } catch (NoClassDefFoundError e) {
      throw new Config.ConfigException("Missing setting " + Setting.DB_URL.key + " or " + Setting.REDIS_URL.key
          + ": embedded MariaDB and Redis exist only in the development run (./mvnw compile exec:java);"
          + " set " + Setting.DB_URL.env() + " and " + Setting.REDIS_URL.env());
    }
  }
}
