package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.launch.DevServicesSetup;
import dev.liveforum.launch.Node;
import dev.liveforum.launch.Role;
import dev.liveforum.persistence.Admins;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Starts a LiveForum node, or runs a one-off command.
 *
 * <pre>
 *   java -jar liveforum.jar                      run a node
 *   java -jar liveforum.jar make-admin USERNAME  give an account the admin role
 * </pre>
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    try {
      Config config = Config.load(Path.of(System.getenv().getOrDefault("LIVEFORUM_CONFIG", "conf/config.json")),
          System.getenv());
      Role.of(config); // a role there is not stops start-up before any embedded service starts
      if (config.production()) {
        config.requireProduction();
      } else {
        config.refusePublishedSecret();
        config = DevServicesSetup.secret(config, Path.of(config.devDataDir(), "jwt-secret"));
        if (config.db().url().isEmpty() || config.redis().url().isEmpty()) {
          config = DevServicesSetup.prepare(config, Path.of(config.devDataDir(), "mariadb"), true, "liveforum");
        }
      }
      if (args.length > 0) {
        System.exit(command(config, args));
      }
      // Registered before the roles deploy: a SIGTERM while they do lets them finish, then stops them in
      // order (persistence removing its heartbeat row), instead of ending the JVM with nothing stopped.
      Future<Node> starting = Node.start(config);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> starting
          .transform(started -> started.succeeded() ? started.result().close() : Future.<Void>succeededFuture())
          .await(), "liveforum-shutdown"));
      starting.await();
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      log.error("LiveForum could not start", e);
      System.exit(1);
    }
  }

  static int command(Config config, String[] args) throws Exception {
    if (args[0].equals("make-admin") && args.length == 2) {
      int changed = Admins.makeAdmin(config.db(), args[1]);
      System.out.println(changed == 1 ? args[1] + " is now an admin" : "no account is named " + args[1]);
      return changed == 1 ? 0 : 1;
    }
    System.err.println("unknown command: " + String.join(" ", Arrays.asList(args))
        + "\nusage: liveforum [make-admin USERNAME]");
    return 2;
  }
}
