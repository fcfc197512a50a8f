package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.persistence.Database;
import dev.liveforum.support.Api;
import dev.liveforum.support.NodeProcess;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.Map;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production jar refusing to start where it cannot work: one line on stderr that says what is wrong
 * and which setting to fix, and exit status 2, the way an operator or an orchestrator sees it.
 */
@DisplayName("Start-up refuses what cannot work")
class StartupRefusalIT {
  private static final String SECRET = "the-signing-secret-of-the-running-cluster-here";
  /** A cluster join under load takes seconds; a refusal comes right after it. */
  private static final int EXIT_SECONDS = 180;

  @Test
  @DisplayName("a database password it cannot log in with: one line naming db.password, nothing else printed")
  void wrongDatabasePassword() {
    Map<String, String> env = NodeProcess.production(SECRET);
    env.put(Setting.DB_PASSWORD.env(), "not-the-password");
    String line = refusal("wrong-db-password", env).alone();
    assertTrue(line.matches("The database at \\S+ refused the login of '" + TestServices.config().db().user()
        + "' \\(Access denied .*\\): check db.password \\(LIVEFORUM_DB_PASSWORD\\) and db.user \\(LIVEFORUM_DB_USER\\)"),
        line);
  }

  @Test
  @DisplayName("a database it cannot reach: one line naming db.url")
  void unreachableDatabase() {
    Map<String, String> env = NodeProcess.production(SECRET);
    env.put(Setting.DB_URL.env(), "mysql://127.0.0.1:" + TestNode.freePort() + "/liveforum");
    String line = refusal("unreachable-db", env).alone();
    assertTrue(line.matches("Cannot reach the database at 127\\.0\\.0\\.1:\\d+ \\(Connection refused\\):"
        + " check db.url \\(LIVEFORUM_DB_URL\\) and that the server runs"), line);
  }

  @Test
  @DisplayName("a database the server does not have: one line naming db.url")
  void missingDatabase() {
    Map<String, String> env = NodeProcess.production(SECRET);
    Database.Address a = Database.Address.parse(TestServices.config().db().url());
    env.put(Setting.DB_URL.env(), "mysql://" + a.host() + ":" + a.port() + "/lf_missing_" + TestServices.RUN_ID);
    String line = refusal("missing-db", env).alone();
    assertEquals("The database server at " + a.host() + ":" + a.port() + " has no database 'lf_missing_"
        + TestServices.RUN_ID + "': create it, or check db.url (LIVEFORUM_DB_URL)", line);
  }

  @Test
  @DisplayName("in prod, a Redis it cannot reach: one line naming redis.url")
  void unreachableRedisInProduction() {
    Map<String, String> env = NodeProcess.production(SECRET);
    env.put(Setting.REDIS_URL.env(), "redis://127.0.0.1:" + TestNode.freePort());
    String line = refusal("unreachable-redis", env).alone();
    assertTrue(line.matches("Cannot use Redis at 127\\.0\\.0\\.1:\\d+ \\(.*Connection refused.*\\), which the cache,"
        + " notification and stats roles need: check redis.url \\(LIVEFORUM_REDIS_URL\\) and that Redis runs"), line);
  }

  @Test
  @DisplayName("in dev with a real database and Redis, the signing secret published in the source: one line naming jwt.secret")
  void publishedSecretOnRealData() {
    Map<String, String> env = NodeProcess.production(Config.PUBLISHED_DEV_SECRET);
    env.put(Setting.PROFILE.env(), "dev");
    assertEquals("The development JWT secret published in LiveForum's source may not sign tokens for a real database"
        + " or Redis: set jwt.secret (LIVEFORUM_JWT_SECRET) to a random secret of at least 32 bytes, or leave it empty"
        + " for one kept in dev.dataDir (LIVEFORUM_DEV_DATA_DIR)", refusal("published-secret", env).alone());
  }

  @Test
  @DisplayName("in dev, a Redis it cannot reach is a warning: the node starts and serves, degraded")
  void unreachableRedisInDevelopment() {
    Map<String, String> env = NodeProcess.production(SECRET);
    env.put(Setting.PROFILE.env(), "dev");
    env.put(Setting.REDIS_URL.env(), "redis://127.0.0.1:" + TestNode.freePort());
    try (NodeProcess node = NodeProcess.start("dev-without-redis", env)) {
      Api.Response ready = node.awaitReady();
      assertEquals("DEGRADED", ready.json().getString("status"), ready.toString());
      assertTrue(node.log().lines().anyMatch(l -> l.contains("WARN") && l.contains("Cannot use Redis at 127.0.0.1:")
          && l.contains("starting anyway, as the dev profile does")), node.output());
      assertEquals("", node.errors(), node.output());
      node.stop();
    }
    // Stopped, it left the database to whoever comes next: its heartbeat row went with it.
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM node_heartbeats WHERE cluster_name IS NULL"),
        "a node stopped with SIGTERM removes its heartbeat row");
  }

  /**
   * A cluster already running, its persistence node in this JVM on a database of its own; nodes started
   * beside it share that database.
   */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("beside a running cluster")
  class BesideACluster {
    private final String clusterName = TestServices.config().cluster().name() + "-running";
    private Config config;
    private TestNode running;

    @BeforeAll
    void start() throws Exception {
      Config services = TestServices.config();
      Database.Address a = Database.Address.parse(services.db().url());
      config = services
          .with(Setting.DB_URL, "mysql://" + a.host() + ":" + a.port() + "/" + a.database() + "_running")
          .with(Setting.REDIS_KEY_PREFIX, services.redis().keyPrefix() + "running:")
          .with(Setting.CLUSTER_NAME, clusterName)
          .with(Setting.JWT_SECRET, SECRET);
      Database.createIfMissing(config.db());
      running = TestNode.clustered(config, "persistence");
    }

    @AfterAll
    void stop() throws Exception {
      try {
        if (running != null) {
          running.close();
        }
      } finally {
        Database.drop(config.db());
      }
    }

    /** A production node on the running cluster's database and Redis keys. */
    private Map<String, String> nodeBeside(String jwtSecret, String... roles) {
      Map<String, String> env = NodeProcess.clustered(jwtSecret, roles);
      env.put(Setting.CLUSTER_NAME.env(), clusterName);
      env.put(Setting.DB_URL.env(), config.db().url());
      env.put(Setting.REDIS_KEY_PREFIX.env(), config.redis().keyPrefix());
      return env;
    }

    @Test
    @DisplayName("a JWT secret other than the cluster's: one line naming jwt.secret, and the node leaves the cluster")
    void otherJwtSecret() {
      Map<String, String> env = nodeBeside("a-signing-secret-that-is-not-the-cluster-one", "bridge");
      String line = refusal("other-jwt-secret", env).line();
      assertEquals("This node's JWT signing secret differs from the one cluster '" + clusterName + "' runs with"
          + " (compared by digest), so each would refuse the other's tokens: set jwt.secret (LIVEFORUM_JWT_SECRET)"
          + " to the cluster's secret", line);
      VertxInternal vertx = (VertxInternal) running.node.vertx();
      eventually("the refused node has left the cluster", () -> vertx.clusterManager().getNodes(),
          nodes -> nodes.size() == 1);
    }

    @Test
    @DisplayName("an all-roles node whose cluster.name has a typo: one line naming both clusters and cluster.name")
    void clusterNameTypo() {
      Map<String, String> env = nodeBeside(SECRET); // naming no role: every role
      env.put(Setting.CLUSTER_NAME.env(), clusterName + "-typo");
      String line = refusal("cluster-name-typo", env).line();
      assertTrue(line.matches("This node of cluster '" + clusterName + "-typo' would share its database with cluster '"
          + clusterName + "' \\(a node seen \\d+ s ago\\), each taking the other's events: check cluster.name"
          + " \\(LIVEFORUM_CLUSTER_NAME\\) and cluster.members \\(LIVEFORUM_CLUSTER_MEMBERS\\), or stop the other"
          + " cluster first"), line);
    }

    @Test
    @DisplayName("a persistence node with the cluster's name and JWT secret joins it")
    void sameClusterJoins() {
      try (TestNode second = TestNode.clustered(config, "persistence")) {
        assertEquals(2, ((VertxInternal) second.node.vertx()).clusterManager().getNodes().size());
      }
    }

    @Test
    @DisplayName("a node of the same cluster that finds no member (a crash's leftover row, or members it cannot reach)"
        + " starts, and warns")
    void sameClusterUnseen() {
      Map<String, String> env = nodeBeside(SECRET, "http", "persistence");
      env.put(Setting.HTTP_INSTANCES.env(), "1");
      // Members that are not the running node's: this one cannot find it.
      int port = TestNode.freePort();
      env.put(Setting.CLUSTER_PORT.env(), String.valueOf(port));
      env.put(Setting.CLUSTER_MEMBERS.env(), "127.0.0.1:" + port);
      try (NodeProcess node = NodeProcess.start("same-cluster-unseen", env)) {
        node.awaitReady();
        String warning = "This node found no other member of cluster '" + clusterName + "', but the database shows"
            + " another node of that cluster seen";
        assertTrue(node.log().lines().anyMatch(l -> l.contains("WARN") && l.contains(warning)), node.output());
        assertEquals("", node.errors(), node.output());
        node.stop();
      }
    }

    @Test
    @DisplayName("an all-roles node with clustering off: one line naming cluster.enabled")
    void notClustered() {
      Map<String, String> env = nodeBeside(SECRET); // naming no role: every role
      env.put(Setting.CLUSTER_ENABLED.env(), "false");
      String line = refusal("not-clustered", env).alone();
      assertTrue(line.matches("This node, not clustered \\(cluster.enabled false\\), would share its database with"
          + " cluster '" + clusterName + "' \\(a node seen \\d+ s ago\\), each taking the other's events: check"
          + " cluster.enabled \\(LIVEFORUM_CLUSTER_ENABLED\\) and cluster.name \\(LIVEFORUM_CLUSTER_NAME\\), or stop"
          + " the other cluster first"), line);
    }
  }

  /** What a refused start printed: its one line on stderr, and all of its output. */
  private record Refusal(String line, String output) {
    /** For a node that joins no cluster: that line is all it prints (no log line, stack trace or Flyway dump). */
    String alone() {
      assertEquals(line, output.strip(), "nothing printed but the refusal");
      return line;
    }
  }

  /** Runs the jar until it stops by itself, checking that it exited with status 2 after one line on stderr. */
  private static Refusal refusal(String name, Map<String, String> env) {
    try (NodeProcess node = NodeProcess.start(name, env)) {
      int exit = node.awaitExit(EXIT_SECONDS);
      assertEquals(2, exit, node.output());
      assertEquals(1, node.errors().lines().count(), "one line on stderr\n" + node.output());
      return new Refusal(node.errors().strip(), node.log());
    }
  }
}
