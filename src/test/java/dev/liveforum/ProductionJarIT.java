package dev.liveforum;

import dev.liveforum.launch.Config;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production jar, run the way an operator runs it: {@code java -jar target/liveforum.jar}. */
@DisplayName("The production jar")
class ProductionJarIT {
  private static final Path JAR = Path.of("target", "liveforum.jar");
  private static final String SECRET = "an-operator-chosen-secret-of-32-bytes-or-more";

  @Test
  @DisplayName("does not bundle the embedded database or Redis")
  void noEmbeddedServers() throws Exception {
    try (JarFile jar = new JarFile(JAR.toFile())) {
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
  void runsInProduction() throws Exception {
    Config services = TestServices.config();
    int port = TestNode.freePort();
    Map<String, String> env = new HashMap<>();
    env.put("LIVEFORUM_PROFILE", "prod");
    env.put("LIVEFORUM_HTTP_PORT", String.valueOf(port));
    env.put("LIVEFORUM_DB_URL", services.db().url());
    env.put("LIVEFORUM_DB_USER", services.db().user());
    env.put("LIVEFORUM_DB_PASSWORD", services.db().password());
    env.put("LIVEFORUM_REDIS_URL", services.redis().url());
    env.put("LIVEFORUM_REDIS_KEY_PREFIX", services.redis().keyPrefix() + "jar:");
    env.put("LIVEFORUM_JWT_SECRET", SECRET);
    env.put("LIVEFORUM_AUTH_BCRYPT_COST", "4");
    Process process = start(env);
    // Drained by a thread so a chatty server never blocks on a full pipe; shown if the test fails.
    StringBuilder log = new StringBuilder();
    Thread drain = new Thread(() -> {
      try {
        log.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (Exception ignored) {
        // the process ended
      }
    });
    drain.start();
    try {
      Api api = new Api(port);
      Api.Response ready = waitReady(api, process);
      assertEquals(200, ready.status(), ready + "\n" + log);
      JsonObject session = api.newUser("jar_" + TestServices.RUN_ID.substring(0, 8), "a production password");
      assertEquals(200, api.get("/api/users/me", session.getString("accessToken")).status());
    } finally {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  private static Api.Response waitReady(Api api, Process process) throws Exception {
    for (int i = 0; i < 120 && process.isAlive(); i++) {
      try {
        Api.Response r = api.get("/health/ready");
        if (r.status() == 200) {
          return r;
        }
      } catch (Exception notYet) {
        // the server is still starting
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the jar did not become ready; alive=" + process.isAlive());
  }

  private record Run(int exit, String output) {}

  private static Run run(Map<String, String> env, int seconds) throws Exception {
    Process p = start(env);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "the jar should stop by itself");
    return new Run(p.exitValue(), out);
  }

  private static Process start(Map<String, String> env) throws Exception {
    assertTrue(Files.exists(JAR), "run through ./mvnw verify, which builds " + JAR);
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("LIVEFORUM_"));
    pb.environment().put("LIVEFORUM_CONFIG", "does-not-exist.json");
    pb.environment().putAll(env);
    if (!env.containsKey("LIVEFORUM_HTTP_PORT")) {
      pb.environment().put("LIVEFORUM_HTTP_PORT", "0");
    }
    return pb.start();
  }
}
