package dev.liveforum.support;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production jar run as its own JVM, as an operator runs it ({@code java -jar target/liveforum.jar}),
 * settings from the environment only. Its standard output (the log) and standard error (where a refusal to
 * start goes) go to files of their own under {@code target/processes}, so a chatty node never blocks on a
 * full pipe and both are there to read after a failure.
 */
public final class NodeProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "liveforum.jar");
  private static final Path LOGS = Path.of("target", "processes");
  private static final long READY_SECONDS = 90;

  public final String name;
  /** The HTTP port, or 0 when the environment did not set one. */
  public final int port;
  public final int bridgePort;
  private final Process process;
  private final Path log;
  private final Path errors;

  private NodeProcess(String name, int port, int bridgePort, Process process, Path log, Path errors) {
    this.name = name;
    this.port = port;
    this.bridgePort = bridgePort;
    this.process = process;
    this.log = log;
    this.errors = errors;
  }

  /**
   * Starts the jar with exactly {@code env}'s LIVEFORUM_* settings: none is inherited from this JVM, and
   * {@code conf/config.json} is not read.
   */
  public static NodeProcess start(String name, Map<String, String> env) {
    assertTrue(Files.exists(JAR), "run through ./mvnw verify, which builds " + JAR);
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    try {
      Files.createDirectories(LOGS);
      Path log = LOGS.resolve(name + "-" + TestServices.RUN_ID + ".log");
      Path errors = LOGS.resolve(name + "-" + TestServices.RUN_ID + ".err");
      ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toString())
          .redirectOutput(log.toFile()).redirectError(errors.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("LIVEFORUM_"));
      pb.environment().put("LIVEFORUM_CONFIG", "does-not-exist.json");
      pb.environment().putAll(env);
      Process process = pb.start();
      // Should the test JVM end without its @AfterAll (a timeout, Ctrl-C), the node must not outlive it.
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-reaper"));
      return new NodeProcess(name, port(env, Setting.HTTP_PORT), port(env, Setting.BRIDGE_PORT), process, log, errors);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name, e);
    }
  }

  /**
   * A production node on this test run's database and Redis, signing tokens with {@code jwtSecret},
   * bcrypt cost 4, on free HTTP and bridge ports.
   */
  public static Map<String, String> production(String jwtSecret) {
    Config services = TestServices.config();
    Map<String, String> env = new HashMap<>();
    env.put(Setting.PROFILE.env(), "prod");
    int[] ports = TestNode.freePorts(2);
    env.put(Setting.HTTP_PORT.env(), String.valueOf(ports[0]));
    env.put(Setting.BRIDGE_PORT.env(), String.valueOf(ports[1]));
    env.put(Setting.DB_URL.env(), services.db().url());
    env.put(Setting.DB_USER.env(), services.db().user());
    env.put(Setting.DB_PASSWORD.env(), services.db().password());
    env.put(Setting.REDIS_URL.env(), services.redis().url());
    env.put(Setting.REDIS_KEY_PREFIX.env(), services.redis().keyPrefix());
    env.put(Setting.JWT_SECRET.env(), jwtSecret);
    env.put(Setting.BCRYPT_COST.env(), "4");
    env.put(Setting.SEARCH_DIR.env(), TestNode.ownSearchDir(Config.from(new io.vertx.core.json.JsonObject())).searchDir());
    return env;
  }

  /** As {@link #production(String)}, joining this test run's cluster (the one {@link TestNode#clustered} joins). */
  public static Map<String, String> clustered(String jwtSecret, String... roles) {
    Map<String, String> env = production(jwtSecret);
    env.put(Setting.CLUSTER_ENABLED.env(), "true");
    env.put(Setting.CLUSTER_NAME.env(), TestServices.config().cluster().name());
    env.put(Setting.CLUSTER_PORT.env(), String.valueOf(TestNode.HAZELCAST_BASE));
    env.put(Setting.CLUSTER_MEMBERS.env(), String.join(",", TestNode.MEMBERS));
    env.put(Setting.ROLES.env(), String.join(",", roles));
    return env;
  }

  private static int port(Map<String, String> env, Setting setting) {
    return Integer.parseInt(env.getOrDefault(setting.env(), "0"));
  }

  /** Waits until {@code /health/ready} answers 200; fails with the node's log if it dies or takes too long. */
  public Api.Response awaitReady() {
    Api api = new Api(port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_SECONDS);
    Api.Response last = null;
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        last = api.get("/health/ready");
        if (last.status() == 200) {
          return last;
        }
      } catch (Exception notYet) {
        // still starting: the port is not open yet
      }
      sleep(250);
    }
    throw new AssertionError(name + " did not become ready within " + READY_SECONDS + " s (alive: "
        + process.isAlive() + ", last answer: " + last + ")\n" + output());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the JVM at once (SIGKILL), as a crash or an OOM killer would: no shutdown hook runs. */
  public void kill() {
    process.destroyForcibly();
    waitFor(10);
  }

  /**
   * Stops the JVM where it stands (SIGSTOP), as a long GC pause or a stalled host would: its sockets stay
   * open and what is sent to it waits in their buffers. {@link #resume()} lets it go on.
   */
  public void freeze() {
    signal("STOP");
  }

  /** Lets a {@link #freeze() frozen} JVM go on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int exit = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
      assertTrue(exit == 0, "kill -" + name + " " + process.pid() + " exited with " + exit);
    } catch (IOException e) {
      throw new IllegalStateException("cannot signal " + this.name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + this.name, e);
    }
  }

  /** Asks the JVM to stop (SIGTERM), as an orchestrator does, and returns its exit code. */
  public int stop() {
    process.destroy();
    if (!waitFor(30)) {
      throw new AssertionError(name + " did not stop within 30 s of SIGTERM\n" + output());
    }
    return process.exitValue();
  }

  private boolean waitFor(long seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits for the JVM to end by itself and returns its exit code. */
  public int awaitExit(long seconds) {
    assertTrue(waitFor(seconds), name + " should stop by itself within " + seconds + " s\n" + output());
    return process.exitValue();
  }

  /** Everything the node has written so far: its stdout, then its stderr. */
  public String log() {
    return read(log) + read(errors);
  }

  /** What the node has written to stderr so far. */
  public String errors() {
    return read(errors);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  /** {@link #log()}, headed with the node's name, for failure messages. */
  public String output() {
    return "--- output of " + name + " (" + log + ", then " + errors + ") ---\n" + log();
  }

  /** Never leaves a JVM behind, whatever the test did. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
