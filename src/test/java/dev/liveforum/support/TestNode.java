package dev.liveforum.support;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.launch.Node;
import io.vertx.core.json.JsonArray;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Starts real LiveForum nodes for tests, through the same {@link Node} the launcher uses. */
public final class TestNode implements AutoCloseable {
  /**
   * This run's Hazelcast ports: {@link #HAZELCAST_PORTS} in a row, free when the run began, at a random
   * place below the system's ephemeral range. Fixed ports (5701+, 15701+) may be held by other programs
   * or another test run on the machine; a node of this run tries these first and finds its cluster there.
   */
  static final int HAZELCAST_PORTS = 12;
  static final int HAZELCAST_BASE = hazelcastBase();
  static final List<String> MEMBERS = members();

  public final Node node;
  public final int port;
  /** The realtime bridge's port (SockJS at /eventbus, raw WebSocket at /eventbus/websocket). */
  public final int bridgePort;
  public final Config config;

  private TestNode(Node node, int port, int bridgePort, Config config) {
    this.node = node;
    this.port = port;
    this.bridgePort = bridgePort;
    this.config = config;
  }

  /** A single, unclustered node running every role. */
  public static TestNode start() {
    return start(TestServices.config());
  }

  public static TestNode start(Config config) {
    // A port found free can be taken by another process before the node binds it: try other ports then.
    for (int attempt = 1; ; attempt++) {
      int[] ports = freePorts(2);
      int port = ports[0];
      int bridgePort = ports[1];
      Config c = ownSearchDir(config).with(Setting.HTTP_PORT, port).with(Setting.BRIDGE_PORT, bridgePort);
      try {
        return new TestNode(Node.start(c).await(), port, bridgePort, c);
      } catch (Exception e) {
        if (attempt == 3 || !portTaken(e)) {
          throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * {@code config} with a search index directory of its own, unless it names one: nodes of one run, in one
   * JVM or several, each keep their own index.
   */
  public static Config ownSearchDir(Config config) {
    if (!config.searchDir().equals(Setting.SEARCH_DIR.defaultValue)) {
      return config;
    }
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("liveforum-search-");
      TestServices.afterRun(() -> {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
          for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            java.nio.file.Files.deleteIfExists(p);
          }
        }
        return null;
      });
      return config.with(Setting.SEARCH_DIR, dir.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A node on exactly these ports, e.g. one started again where a stopped one was. */
  public static TestNode startOn(Config config, int port, int bridgePort) {
    Config c = ownSearchDir(config).with(Setting.HTTP_PORT, port).with(Setting.BRIDGE_PORT, bridgePort);
    return new TestNode(Node.start(c).await(), port, bridgePort, c);
  }

  private static boolean portTaken(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.BindException) {
        return true;
      }
    }
    return false;
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
    return start(clusterMember(base, roles));
  }

  /** {@code base} as a member of this test run's cluster running only {@code roles}, for nodes in this JVM or another. */
  public static Config clusterMember(Config base, String... roles) {
    return base
        .with(Setting.CLUSTER_ENABLED, true)
        .with(Setting.CLUSTER_PORT, HAZELCAST_BASE)
        .with(Setting.CLUSTER_MEMBERS, new JsonArray(MEMBERS))
        .with(Setting.ROLES, new JsonArray(List.of(roles)));
  }

  /**
   * {@code n} different free ports. Asked for one by one, the system may hand out a just-closed port
   * again, and two servers of one Vert.x on one port share it: API requests then reach the bridge's
   * router half the time. So every socket stays open until all ports are known.
   */
  public static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>(n);
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a socket that only reserved a number
        }
      }
    }
  }

  private static int hazelcastBase() {
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 20_000 + random.nextInt(12_000 - HAZELCAST_PORTS);
      if (allFree(base, HAZELCAST_PORTS)) {
        return base;
      }
    }
    throw new IllegalStateException("found no " + HAZELCAST_PORTS + " free ports in a row for Hazelcast");
  }

  private static boolean allFree(int first, int count) {
    for (int port = first; port < first + count; port++) {
      try (ServerSocket s = new ServerSocket(port)) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  private static List<String> members() {
    List<String> members = new ArrayList<>();
    for (int port = HAZELCAST_BASE; port < HAZELCAST_BASE + HAZELCAST_PORTS; port++) {
      members.add("127.0.0.1:" + port);
    }
    return List.copyOf(members);
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Forgets the heartbeats of this run's cluster, once none of its nodes runs. A persistence node that
   * was killed, or cut off from the database, cannot remove its row, and for a while a standalone node
   * of a later test would take it for a cluster still using the database and refuse to start.
   */
  public static void forgetStoppedCluster() {
    TestDb.update("DELETE FROM node_heartbeats WHERE cluster_name = ?", TestServices.config().cluster().name());
  }

  @Override
  public void close() {
    node.close().await();
  }
}
