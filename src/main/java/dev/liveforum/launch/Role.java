package dev.liveforum.launch;

import dev.liveforum.bridge.BridgeVerticle;
import dev.liveforum.cache.CacheVerticle;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.http.HttpVerticle;
import dev.liveforum.notification.NotificationVerticle;
import dev.liveforum.persistence.PersistenceVerticle;
import dev.liveforum.search.SearchVerticle;
import dev.liveforum.stats.StatsVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every role a node can run, in the order a node deploys them: its name in the {@code roles} setting, its
 * verticle, and the store {@link StartupChecks} makes sure it reaches. The launcher is the only code that
 * knows them all; a new role is one entry here.
 */
public enum Role {
  // Persistence first: it migrates the schema before anything is served.
  PERSISTENCE(PersistenceVerticle::new, Store.DATABASE),
  CACHE(CacheVerticle::new, Store.REDIS),
  // The bridge before HTTP: deployments take event loops in turn (twice as many as cores), so on a
  // 2-core node the bridge gets a loop of its own, and a fan-out to thousands of sockets does not hold
  // up the persistence replies that the loop after the HTTP instances would otherwise share with it.
  BRIDGE(BridgeVerticle::new, Store.NONE),
  HTTP(HttpVerticle::new, Store.NONE) {
    @Override
    int instances(Config config) {
      return config.http().instances();
    }
  },
  NOTIFICATION(NotificationVerticle::new, Store.REDIS),
  STATS(StatsVerticle::new, Store.REDIS),
  SEARCH(SearchVerticle::new, Store.NONE);

  /**
   * What a role keeps a client of its own to, checked before any role deploys: the database (the node
   * then also looks there for other clusters sharing it), Redis, or neither.
   */
  enum Store { NONE, DATABASE, REDIS }

  private final Supplier<? extends Deployable> verticle;
  final Store store;

  Role(Supplier<? extends Deployable> verticle, Store store) {
    this.verticle = verticle;
    this.store = store;
  }

  /** Its name in the {@code roles} setting. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How many instances of its verticle a node deploys. */
  int instances(Config config) {
    return 1;
  }

  Future<String> deploy(Vertx vertx, Config config) {
    return vertx.deployVerticle(verticle, new DeploymentOptions().setConfig(config.json()).setInstances(instances(config)));
  }

  /**
   * The roles {@code config} names, in the order they deploy; every role when it names none. A name that is
   * no role stops start-up.
   */
  public static List<Role> of(Config config) {
    List<String> named = config.roles();
    for (String name : named) {
      if (Arrays.stream(values()).noneMatch(r -> r.key().equals(name))) {
        throw Config.invalid(Setting.ROLES, "expected a comma list of " + keys(List.of(values())), name);
      }
    }
    return Arrays.stream(values()).filter(r -> named.isEmpty() || named.contains(r.key())).toList();
  }

  /** The roles that keep a client of {@code store}: {@code cache, notification and stats}. */
  static String keeping(Store store) {
    List<Role> roles = Arrays.stream(values()).filter(r -> r.store == store).toList();
    String last = roles.get(roles.size() - 1).key();
    return roles.size() == 1 ? last : keys(roles.subList(0, roles.size() - 1)) + " and " + last;
  }

  private static String keys(List<Role> roles) {
    return roles.stream().map(Role::key).collect(Collectors.joining(", "));
  }
}
