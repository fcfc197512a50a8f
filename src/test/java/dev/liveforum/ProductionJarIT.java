package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.NodeProcess;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production jar, run the way an operator runs it: {@code java -jar target/liveforum.jar}. */
@DisplayName("The production jar")
class ProductionJarIT {
  private static final String SECRET = "an-operator-chosen-secret-of-32-bytes-or-more";

  @Test
  @DisplayName("does not bundle the embedded database or Redis")
  void noEmbeddedServers() throws Exception {
    try (JarFile jar = new JarFile(NodeProcess.JAR.toFile())) {
      List<String> embedded = jar.stream().map(e -> e.getName())
          .filter(n -> n.startsWith("ch/vorburger") || n.startsWith("redis/embedded") || n.contains("mariadb-11")
              || n.contains("redis-server"))
          .limit(5).toList();
      assertTrue(embedded.isEmpty(), "embedded servers in the production jar: " + embedded);
    }
  }

  @Test
  @DisplayName("in production, refuses to start without a database URL, naming the setting on one line")
  void refusesMissingSettings() throws Exception {
    Run run = run(Map.of("LIVEFORUM_PROFILE", "prod"), 60);
    assertEquals(2, run.exit(), run.output());
    assertEquals("Missing setting db.url (LIVEFORUM_DB_URL): production needs the database URL, e.g. "
        + "mysql://db.example:3306/liveforum", run.output().strip());

    Run weak = run(Map.of("LIVEFORUM_PROFILE", "prod", "LIVEFORUM_JWT_SECRET", "short"), 60);
    assertEquals(2, weak.exit(), weak.output());
    assertTrue(weak.output().strip().startsWith("Invalid setting jwt.secret (LIVEFORUM_JWT_SECRET)"), weak.output());
  }

  @Test
  @DisplayName("in development without a database, says embedded services are not in this jar")
  void noDevServicesInJar() throws Exception {
    Run run = run(Map.of("LIVEFORUM_PROFILE", "dev"), 60);
    assertEquals(2, run.exit(), run.output());
    assertTrue(run.output().contains("embedded MariaDB and Redis exist only in the development run"), run.output());
  }

  @Test
  @DisplayName("runs against a real MariaDB and Redis with settings from the environment")
  void runsInProduction() {
    Map<String, String> env = NodeProcess.production(SECRET);
    // A node of its own, not of a cluster: keys apart from other tests' nodes.
    env.put(Setting.REDIS_KEY_PREFIX.env(), TestServices.config().redis().keyPrefix() + "jar:");
    try (NodeProcess process = NodeProcess.start("production-jar", env)) {
      process.awaitReady();
      Api api = new Api(process.port);
      JsonObject session = new Forum(api).register("jar_" + TestServices.RUN_ID.substring(0, 8), "a production password");
      assertEquals(200, api.get("/api/users/me", session.getString("accessToken")).status(), process.output());
      process.stop();
    }
  }

  private record Run(int exit, String output) {}

  private static Run run(Map<String, String> env, int seconds) {
    Map<String, String> withPort = new HashMap<>(env);
    withPort.put(Setting.HTTP_PORT.env(), "0");
    try (NodeProcess process = NodeProcess.start("refusing-jar", withPort)) {
      int exit = process.awaitExit(seconds);
      return new Run(exit, process.log());
    }
  }
}
