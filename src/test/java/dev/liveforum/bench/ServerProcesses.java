package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.TestNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The LiveForum nodes of a realtime bench run, each a JVM of its own ({@link RealtimeServer}). One node
 * runs every role; a second is an edge (HTTP and bridge only) that reaches the database and Redis through
 * the first, over the clustered event bus.
 */
final class ServerProcesses implements AutoCloseable {
  private static final String[] ALL_ROLES = {"http", "persistence", "cache", "bridge"};
  private static final String[] EDGE_ROLES = {"http", "bridge"};

  final List<ChildJvm> jvms = new ArrayList<>();
  final List<Integer> httpPorts = new ArrayList<>();
  final List<Integer> bridgePorts = new ArrayList<>();
  /** The bare Vert.x bridge in the first node's JVM, or 0. */
  final int barePort;

  private ServerProcesses(int barePort) {
    this.barePort = barePort;
  }

  static ServerProcesses start(int nodes, Config base, boolean bare, String heap, Path work) throws Exception {
    ServerProcesses servers = new ServerProcesses(bare ? TestNode.freePort() : 0);
    try {
      for (int i = 0; i < nodes; i++) {
        Config config = nodes == 1 ? base : TestNode.clusterMember(base, i == 0 ? ALL_ROLES : EDGE_ROLES);
        int[] ports = TestNode.freePorts(2);
        config = config.with(Setting.HTTP_PORT, ports[0]).with(Setting.BRIDGE_PORT, ports[1]);
        String name = "server-" + nodes + "n-" + (char) ('a' + i);
        Path file = work.resolve(name + ".json");
        Files.writeString(file, config.json().encodePrettily());
        List<String> args = new ArrayList<>(List.of(file.toString()));
        if (i == 0 && bare) {
          args.add(Integer.toString(servers.barePort));
        }
        ChildJvm jvm = ChildJvm.start(name, work, List.of("-Xmx" + heap), RealtimeServer.class, args);
        servers.jvms.add(jvm);
        jvm.await("READY", Duration.ofMinutes(3));
        servers.httpPorts.add(ports[0]);
        servers.bridgePorts.add(ports[1]);
      }
      return servers;
    } catch (Exception e) {
      servers.close();
      throw e;
    }
  }

  ChildJvm first() {
    return jvms.get(0);
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = jvms.size() - 1; i >= 0; i--) {
      jvms.get(i).close();
    }
  }
}
