package dev.liveforum.launch;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.persistence.Heartbeats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node checks once it has joined its cluster and before it deploys any role: that the roles it
 * names can work. A check that fails is a {@link Config.ConfigException}, the one line the operator sees
 * (the launcher exits with status 2); the node then leaves the cluster, having served nothing.
 */
final class StartupChecks {
  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);
  private static final int REDIS_CONNECT_TIMEOUT_MS = 5000;
  /** Facts every member of a cluster must agree on, kept in Hazelcast for as long as the cluster runs. */
  private static final String CLUSTER_FACTS = "liveforum.cluster";
  private static final String JWT_SECRET_DIGEST = "jwt.secret.hmac-sha256";
  /** What the secret signs for the comparison: a digest of it, never the secret itself, crosses the network. */
  private static final String DIGEST_LABEL = "LiveForum cluster jwt.secret check";

  private StartupChecks() {}

  /** @param members how many members the node's cluster has, counting itself (1 when not clustered) */
  static Future<Void> run(Vertx vertx, Config config, List<Role> roles, int members) {
    return database(vertx, config, roles, members)
        .compose(ok -> redis(vertx, config, roles))
        .compose(ok -> jwtSecret(vertx, config));
  }

  /**
   * A persistence node logs in to its database and looks there for the nodes of other clusters (see
   * {@link Heartbeats}): its outbox relay would take their events, and theirs its own.
   */
  private static Future<Void> database(Vertx vertx, Config config, List<Role> roles, int members) {
    if (roles.stream().noneMatch(r -> r.store == Role.Store.DATABASE)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> Heartbeats.recent(config.db())).map(seen -> {
      String mine = config.cluster().enabled() ? config.cluster().name() : null;
      Optional<Heartbeats.Sighting> other = seen.stream().filter(s -> !Objects.equals(s.cluster(), mine)).findFirst();
      if (other.isPresent()) {
        throw new Config.ConfigException(anotherCluster(config, other.get()));
      }
      // Alone, yet another node of its cluster ran a moment ago: it died, or this node cannot reach it. Nothing
      // tells which.
      seen.stream().filter(same -> members == 1).findFirst().ifPresent(same -> log.warn("{}, but the database"
          + " shows another node {} seen {} s ago: if it still runs, the two cannot see each other and take each"
          + " other's events (check {}, {} and {}); if it stopped without shutting down, ignore this", alone(config),
          mine == null ? "not clustered" : "of that cluster", same.secondsAgo(), Setting.CLUSTER_ENABLED.named(),
          Setting.CLUSTER_MEMBERS.named(), Setting.CLUSTER_HOST.named()));
      return null;
    });
  }

  private static String anotherCluster(Config config, Heartbeats.Sighting other) {
    String seen = "seen " + other.secondsAgo() + " s ago";
    String theirs = other.cluster() == null ? "a node not clustered (" + seen + ")"
        : "cluster '" + other.cluster() + "' (a node " + seen + ")";
    return config.cluster().enabled()
        ? "This node of cluster '" + config.cluster().name() + "' would share its database with " + theirs
            + ", each taking the other's events: check " + Setting.CLUSTER_NAME.named() + " and "
            + Setting.CLUSTER_MEMBERS.named() + ", or stop the other cluster first"
        : "This node, not clustered (" + Setting.CLUSTER_ENABLED.key + " false), would share its database with "
            + theirs + ", each taking the other's events: check " + Setting.CLUSTER_ENABLED.named() + " and "
            + Setting.CLUSTER_NAME.named() + ", or stop the other cluster first";
  }

  private static String alone(Config config) {
    return config.cluster().enabled() ? "This node found no other member of cluster '" + config.cluster().name() + "'"
        : "This node is not clustered (" + Setting.CLUSTER_ENABLED.key + " false)";
  }

  /**
   * A node with a Redis role reaches Redis. In {@code prod} it refuses to start without it; in {@code dev}
   * it says so and starts: those roles answer 503 or fall back to the database until Redis comes.
   */
  private static Future<Void> redis(Vertx vertx, Config config, List<Role> roles) {
    if (roles.stream().noneMatch(r -> r.store == Role.Store.REDIS)) {
      return Future.succeededFuture();
    }
    RedisOptions options = config.redis().clientOptions(1);
    options.getNetClientOptions().setConnectTimeout(REDIS_CONNECT_TIMEOUT_MS);
    Redis client = Redis.createClient(vertx, options);
    return client.connect()
        .compose(connection -> connection.send(Request.cmd(Command.PING)).eventually(connection::close))
        .eventually(client::close)
        .<Void>mapEmpty()
        .recover(t -> {
          String problem = "Cannot use Redis at " + hostAndPort(config.redis().url()) + " (" + t.getMessage()
              + "), which the " + Role.keeping(Role.Store.REDIS) + " roles need";
          if (config.production()) {
            return Future.failedFuture(new Config.ConfigException(problem + ": check " + Setting.REDIS_URL.named()
                + " and that Redis runs"));
          }
          log.warn("{}: starting anyway, as the dev profile does (prod refuses to); until Redis answers, reads come"
              + " from the database and what only Redis does answers 503 or waits. Check {}", problem,
              Setting.REDIS_URL.named());
          return Future.succeededFuture();
        });
  }

  /** Where a Redis URL points, without the password it may carry. */
  private static String hostAndPort(String url) {
    URI uri = URI.create(url);
    return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
  }

  /**
   * A clustered node signs tokens with the secret the cluster's first node started with, or a token one
   * node issues is refused by the others. They compare digests: the first member leaves its own.
   */
  private static Future<Void> jwtSecret(Vertx vertx, Config config) {
    if (!config.cluster().enabled()) {
      return Future.succeededFuture();
    }
    String digest = digest(config.auth().jwtSecret());
    return vertx.sharedData().<String, String>getClusterWideMap(CLUSTER_FACTS)
        .compose(facts -> facts.putIfAbsent(JWT_SECRET_DIGEST, digest))
        .compose(theirs -> theirs == null || theirs.equals(digest) ? Future.<Void>succeededFuture()
            : Future.failedFuture(new Config.ConfigException("This node's JWT signing secret differs from the one"
                + " cluster '" + config.cluster().name() + "' runs with (compared by digest), so each would refuse the"
                + " other's tokens: set " + Setting.JWT_SECRET.named() + " to the cluster's secret")));
  }

  private static String digest(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(DIGEST_LABEL.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
