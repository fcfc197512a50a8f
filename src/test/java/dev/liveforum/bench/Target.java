package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.net.HostAndPort;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The LiveForum server under load: a node the bench starts in its own JVM (as the tests do), or one
 * already running. {@code config} reaches that server's database, where the bench makes its admin and
 * counts rows.
 */
final class Target implements AutoCloseable {
  final HostAndPort server;
  final Config config;
  final String description;
  private final TestNode node;

  private Target(HostAndPort server, Config config, String description, TestNode node) {
    this.server = server;
    this.config = config;
    this.description = description;
    this.node = node;
  }

  /**
   * A single node with every role, on the test run's database and Redis (embedded unless
   * {@code LIVEFORUM_DB_URL}/{@code LIVEFORUM_REDIS_URL} are set); bcrypt cost and login limits are
   * the tests' (see {@link TestServices#config()}), access tokens outlive a long run, and HTTP runs on
   * {@code httpInstances} event loops; {@code settings} come last and may change any of it.
   */
  static Target inProcess(int httpInstances, Map<Setting, String> settings) {
    Config config = TestServices.config()
        .with(Setting.HTTP_INSTANCES, httpInstances)
        .with(Setting.ACCESS_TTL, 86_400)
        .with(Setting.BRIDGE_MAX_SOCKETS_PER_IP, Integer.MAX_VALUE)
        .with(Setting.BRIDGE_MAX_CONNECTIONS_PER_IP, 1_000_000).with(Setting.BRIDGE_MAX_CONNECTIONS, 1_000_000)
        .with(Setting.HTTP_MAX_CONNECTIONS_PER_IP, 1_000_000).with(Setting.HTTP_MAX_CONNECTIONS, 1_000_000); // every simulated client is this machine
    for (Map.Entry<Setting, String> s : settings.entrySet()) {
      config = config.with(s.getKey(), s.getValue());
    }
    TestNode node = TestNode.start(config);
    String changed = settings.isEmpty() ? "" : ", " + settings.entrySet().stream()
        .map(s -> s.getKey().key + "=" + s.getValue()).collect(Collectors.joining(", "));
    return new Target(HostAndPort.create("127.0.0.1", node.port), node.config,
        "in-process node, " + node.config.http().instances() + " HTTP instances" + changed, node);
  }

  /**
   * A server already running at {@code base}. The bench reads the same settings as that server would
   * (conf/config.json and LIVEFORUM_* variables) to reach its database.
   */
  static Target remote(URI base) {
    Config config = Config.load(Path.of(System.getenv().getOrDefault("LIVEFORUM_CONFIG", "conf/config.json")),
        System.getenv());
    if (config.db().url().isEmpty()) {
      throw new Config.ConfigException("--target needs the server's database settings ("
          + Setting.DB_URL.env() + ", " + Setting.DB_USER.env() + ", " + Setting.DB_PASSWORD.env()
          + "): the bench makes its admin there and counts the rows its writes left");
    }
    int port = base.getPort() > 0 ? base.getPort() : 80;
    return new Target(HostAndPort.create(base.getHost(), port), config, "server at " + base, null);
  }

  /** Where the node the bench started keeps its search index; null for a --target. */
  Path searchDir() {
    return node == null ? null : Path.of(node.config.searchDir());
  }

  @Override
  public void close() {
    if (node != null) {
      node.close();
    }
  }
}
