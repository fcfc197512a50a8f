package dev.liveforum.launch;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One LiveForum node: a Vert.x instance (clustered or not) running the roles its config names. */
public final class Node {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final Vertx vertx;

  /** The roles' deployments, in the order they were deployed. */
  private final List<String> deployments;

  private Node(Vertx vertx, List<String> deployments) {
    this.vertx = vertx;
    this.deployments = deployments;
  }

  /** Throws {@link Config.ConfigException} at once when {@code config} names a role there is not. */
  public static Future<Node> start(Config config) {
    List<Role> roles = Role.of(config);
    VertxOptions options = new VertxOptions();
    Future<Vertx> vertx;
    HazelcastClusterManager cluster = config.cluster().enabled() ? clusterManager(config.cluster()) : null;
    if (cluster != null) {
      options.getEventBusOptions().setHost(config.cluster().host()).setPort(0);
      vertx = Vertx.builder().with(options).withClusterManager(cluster).buildClustered();
    } else {
      vertx = Future.succeededFuture(Vertx.vertx(options));
    }
    // A promise of no context: a failure is handed out after Vert.x has closed, when the event loop the
    // checks and deployments completed on is gone (a future bound to it would never complete).
    Promise<Node> started = Promise.promise();
    vertx.onFailure(started::fail).onSuccess(v -> StartupChecks.run(v, config, roles, members(cluster))
        .compose(checked -> deploy(v, config, roles))
        .onSuccess(deployed -> {
          log.info("LiveForum node up: roles {}, {}", roles.stream().map(Role::key).toList(),
              config.cluster().enabled() ? "cluster '" + config.cluster().name() + "'" : "not clustered");
          started.complete(new Node(v, deployed));
        })
        .onFailure(t -> v.close().onComplete(closed -> started.fail(t))));
    return started.future();
  }

  /** How many members the node's cluster has, counting itself; 1 when it is not clustered. */
  private static int members(HazelcastClusterManager cluster) {
    return cluster == null ? 1 : cluster.getNodes().size();
  }

  private static Future<List<String>> deploy(Vertx vertx, Config config, List<Role> roles) {
    List<String> ids = new java.util.ArrayList<>();
    Future<?> chain = Future.succeededFuture();
    for (Role role : roles) {
      chain = chain.compose(v -> role.deploy(vertx, config).onSuccess(ids::add));
    }
    return chain.map(ids);
  }

  private static HazelcastClusterManager clusterManager(Config.Cluster cluster) {
    // Through SLF4J from its first line: reading cluster.xml, which says so too, is logged before it is read.
    System.setProperty("hazelcast.logging.type", "slf4j");
    com.hazelcast.config.Config hz;
    Path file = Path.of(cluster.configFile());
    try {
      hz = Files.exists(file) ? new FileSystemXmlConfig(file.toFile()) : new ClasspathXmlConfig("cluster.xml");
    } catch (FileNotFoundException e) {
      throw new Config.ConfigException("Cannot read " + file + ": " + e.getMessage());
    }
    hz.setClusterName(cluster.name());
    hz.getNetworkConfig().setPort(cluster.port()).setPortAutoIncrement(true);
    hz.getNetworkConfig().setPublicAddress(null);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of(cluster.host()));
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return new HazelcastClusterManager(hz);
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Stops the roles one at a time, in the reverse of their deployment (the edges first, persistence last,
   * so that what they still do reaches it), each whatever became of the one before, then Vert.x. A role
   * whose stop fails cannot cut short the others': persistence still removes its heartbeat row.
   */
  public Future<Void> close() {
    Future<?> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.transform(previous -> vertx.undeploy(id)
          .onFailure(t -> log.warn("a role stopped with a failure: {}", t.toString())));
    }
    return chain.transform(stopped -> vertx.close());
  }
}
