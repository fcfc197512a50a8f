package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.launch.Role;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Settings: file, environment, defaults and the checks that stop a bad start")
class ConfigTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";

  @Test
  @DisplayName("the file is read, the environment overrides it, and defaults fill the rest")
  void layering() throws Exception {
    Path file = Files.createTempFile("config", ".json");
    Files.writeString(file, "{\"http\":{\"port\":9000,\"corsOrigins\":[\"https://a.example\"]},\"roles\":[\"http\"]}");
    Config c = Config.load(file, Map.of("LIVEFORUM_HTTP_PORT", "9100", "LIVEFORUM_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2",
        "LIVEFORUM_HTTP_BODY_LIMIT_BYTES", "2048"));
    assertEquals(9100, c.http().port());
    assertEquals(2048, c.http().bodyLimitBytes());
    assertEquals(List.of("https://a.example"), c.http().corsOrigins());
    assertEquals(List.of("http"), c.roles());
    assertEquals(List.of("10.0.0.1", "10.0.0.2"), c.cluster().members());
    assertEquals(900, c.auth().accessTtlSeconds());
    assertFalse(c.production());
  }

  @Test
  @DisplayName("the shipped conf/config.json is valid and runs every role")
  void shippedConfig() {
    Config c = Config.load(Path.of("conf/config.json"), Map.of());
    assertEquals(List.of(Role.values()), Role.of(c));
    assertEquals(8081, c.bridge().port());
    assertEquals(8080, c.http().port());
  }

  @Test
  @DisplayName("production names the first missing setting, and never falls back to embedded services")
  void productionNeedsEverything() {
    Config noDb = Config.from(new JsonObject().put("profile", "prod"));
    assertEquals("Missing setting db.url (LIVEFORUM_DB_URL): production needs the database URL, e.g. "
        + "mysql://db.example:3306/liveforum", assertThrows(Config.ConfigException.class, noDb::requireProduction).getMessage());
    Config noRedis = Config.load(null, Map.of("LIVEFORUM_PROFILE", "prod", "LIVEFORUM_DB_URL", "mysql://db:3306/forum"));
    assertTrue(assertThrows(Config.ConfigException.class, noRedis::requireProduction).getMessage()
        .startsWith("Missing setting redis.url (LIVEFORUM_REDIS_URL)"));
    Config noSecret = Config.load(null, Map.of("LIVEFORUM_PROFILE", "prod", "LIVEFORUM_DB_URL", "mysql://db:3306/forum",
        "LIVEFORUM_REDIS_URL", "redis://cache:6379"));
    assertTrue(assertThrows(Config.ConfigException.class, noSecret::requireProduction).getMessage()
        .startsWith("Missing setting jwt.secret (LIVEFORUM_JWT_SECRET)"));
    Config.load(null, Map.of("LIVEFORUM_PROFILE", "prod", "LIVEFORUM_DB_URL", "mysql://db:3306/forum",
        "LIVEFORUM_REDIS_URL", "redis://cache:6379", "LIVEFORUM_JWT_SECRET", SECRET)).requireProduction();
  }

  @Test
  @DisplayName("invalid values stop start-up with one line naming the setting, and never echo a secret")
  void invalidValues() {
    assertEquals("Invalid setting http.port (LIVEFORUM_HTTP_PORT): expected a whole number, got 'eighty'",
        invalid(Map.of("LIVEFORUM_HTTP_PORT", "eighty")));
    assertEquals("Invalid setting http.port (LIVEFORUM_HTTP_PORT): expected a number from 0 to 65535, got '70000'",
        invalid(Map.of("LIVEFORUM_HTTP_PORT", "70000")));
    String shortSecret = invalid(Map.of("LIVEFORUM_JWT_SECRET", "tooshort-secret"));
    assertEquals("Invalid setting jwt.secret (LIVEFORUM_JWT_SECRET): must be at least 32 bytes long, got 15 characters",
        shortSecret);
    assertFalse(shortSecret.contains("tooshort"));
    String role = assertThrows(Config.ConfigException.class,
        () -> Role.of(Config.load(null, Map.of("LIVEFORUM_ROLES", "http,bridge-typo")))).getMessage();
    assertTrue(role.startsWith("Invalid setting roles (LIVEFORUM_ROLES): expected a comma list of persistence, cache,"), role);
    assertTrue(role.endsWith(", got 'bridge-typo'"), role);
    assertTrue(invalid(Map.of("LIVEFORUM_PROFILE", "production")).startsWith("Invalid setting profile"));
    assertTrue(invalid(Map.of("LIVEFORUM_DB_URL", "jdbc:mysql://x/y")).startsWith("Invalid setting db.url"));
    assertTrue(invalid(Map.of("LIVEFORUM_CLUSTER_ENABLED", "yes")).startsWith("Invalid setting cluster.enabled"));
    assertTrue(invalid(Map.of("LIVEFORUM_AUTH_BCRYPT_COST", "40")).startsWith("Invalid setting auth.bcryptCost"));
  }

  private static String invalid(Map<String, String> env) {
    return assertThrows(Config.ConfigException.class, () -> Config.load(null, env)).getMessage();
  }

  @Test
  @DisplayName("the README documents every setting with its environment variable and default")
  void readmeListsEverySetting() throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    for (Setting s : Setting.values()) {
      String row = "| `" + s.key + "` | `" + s.env() + "` | " + (s.defaultValue.isEmpty() ? "" : "`" + s.defaultValue + "`")
          + " |";
      assertTrue(readme.contains(row), "README.md should have the row: " + row);
    }
  }
}
