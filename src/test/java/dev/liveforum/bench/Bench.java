package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestServices;

import java.util.List;

/**
 * LiveForum's load tool. Starts a node in this JVM (or loads a running one), a bare Vert.x JSON
 * endpoint as the baseline, seeds data through the API, then runs each scenario for a fixed time and
 * prints requests per second, latency percentiles, non-2xx answers and errors, and for writes whether
 * every 2xx left its row. It reports and never judges: a completed run exits 0.
 *
 * <pre>./mvnw -q test-compile exec:java@bench -Dexec.args="--duration 10"</pre>
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    int status = 0;
    try {
      run(options);
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      status = 2;
    } catch (Exception e) {
      System.err.println("The bench could not complete: " + e);
      e.printStackTrace();
      status = 1;
    } finally {
      TestServices.cleanUp();
    }
    // The test client and the embedded servers keep threads alive; nothing is left to wait for.
    System.exit(status);
  }

  private static void run(BenchOptions options) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    try (Target target = options.target() == null
             ? Target.inProcess(cores, options.settings()) : Target.remote(options.target());
         BareServer bare = BareServer.start(cores);
         LoadGenerator load = new LoadGenerator(options.connections(), options.clientLoops(), options.idempotencyKeys())) {
      Api api = new Api(target.server.host(), target.server.port());
      Seed seed = Seed.create(api, target.config);
      Scenarios scenarios = new Scenarios(bare.server, target.server, api, seed, new WriteChecks(target.config),
          options.connections());
      Report report = new Report(System.out);
      report.header(String.format("LiveForum bench: %s; bare endpoint: %d instances; %d cores;"
              + " %d connections, %d client event loops; %d s warm-up, %d s measured per scenario",
          target.description, cores, cores, options.connections(), options.clientLoops(),
          options.warmup().toSeconds(), options.duration().toSeconds()));
      for (String name : options.scenarios()) {
        Scenario scenario = scenarios.create(name);
        Scenario.After after = scenario.check().begin();
        Outcome outcome = load.run(scenario, options.warmup(), options.duration());
        report.scenario(outcome, outcome.available() ? after.lines(outcome) : List.of());
      }
      report.ratio();
    }
  }
}
