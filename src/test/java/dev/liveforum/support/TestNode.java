package dev.liveforum.support;

import dev.liveforum.launch.Config;
import dev.liveforum.launch.Node;
import dev.liveforum.launch.Setting;
import io.vertx.core.json.JsonArray;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;

/** Starts real LiveForum nodes for tests, through the same {@link Node} the launcher uses. */
public final class TestNode implements AutoCloseable {
  /** Hazelcast ports for test clusters: from 15701, as the machine's own Hazelcast may hold 5701+. */
  private static final List<String> MEMBERS = List.of("127.0.0.1:15701", "127.0.0.1:15702", "127.0.0.1:15703",
      "127.0.0.1:15704", "127.0.0.1:15705", "127.0.0.1:15706", "127.0.0.1:15707", "127.0.0.1:15708");

  public final Node node;
  public final int port;
  public final Config config;

  private TestNode(Node node, int port, Config config) {
    this.node = node;
    this.port = port;
    this.config = config;
  }

  /** A single, unclustered node running every role. */
  public static TestNode start() {
    return start(TestServices.config());
  }

  public static TestNode start(Config config) {
    int port = freePort();
    Config c = config.with(Setting.HTTP_PORT, port);
    return new TestNode(Node.start(c).await(), port, c);
  }

  /** A clustered node of this test run's cluster, running only {@code roles}. */
  public static TestNode clustered(String... roles) {
    return clustered(TestServices.config(), roles);
  }

  /**
   * As {@link #clustered(String...)}, starting from {@code base} (normally {@link TestServices#config()}
   * with some settings changed, e.g. a shorter bus timeout).
   */
  public static TestNode clustered(Config base, String... roles) {
    Config c = base
        .with(Setting.CLUSTER_ENABLED, true)
        .with(Setting.CLUSTER_MEMBERS, new JsonArray(MEMBERS))
        .with(Setting.ROLES, new JsonArray(List.of(roles)));
    return start(c);
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    node.close().await();
  }
}
