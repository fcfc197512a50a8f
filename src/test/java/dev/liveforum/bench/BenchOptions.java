package dev.liveforum.bench;

import dev.liveforum.config.Setting;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bench's command line. */
record BenchOptions(List<String> scenarios, Duration duration, Duration warmup, int connections, URI target,
                    int clientLoops, Map<Setting, String> settings, boolean idempotencyKeys, int seedPosts, boolean help) {

  static final String USAGE = """
      usage: Bench [--scenarios LIST] [--duration S] [--warmup S] [--connections N] [--client-loops N] [--target URL]
                   [--set KEY=VALUE]... [--idempotency-keys] [--seed-posts N]

        --scenarios LIST   comma list of %s (default: all, in that order)
        --duration S       seconds each scenario is measured (default 10)
        --warmup S         seconds of load before each measurement, not counted (default 3)
        --connections N    connections, each with one request in flight (default 64, at most 1000)
        --client-loops N   event loops of the load generator (default: the number of cores)
        --target URL       load a running LiveForum (http://host:port) instead of starting one in this JVM;
                           its database settings must be in LIVEFORUM_DB_URL/_USER/_PASSWORD
        --set KEY=VALUE    a setting of the node the bench starts (README "Settings"), e.g. db.poolSize=16;
                           repeatable; not with --target
        --idempotency-keys every write carries an Idempotency-Key of its own (as the web UI sends them)
        --seed-posts N     first write N more posts (Korean and English words) straight into the database and
                           have the search role rebuild its index; prints the time that took and the index's
                           size (default 0, at most 1,000,000)
      """.formatted(String.join(",", Scenarios.ALL));

  static BenchOptions parse(String[] args) {
    List<String> scenarios = Scenarios.ALL;
    int duration = 10;
    int warmup = 3;
    int connections = 64;
    int clientLoops = Runtime.getRuntime().availableProcessors();
    URI target = null;
    Map<Setting, String> settings = new LinkedHashMap<>();
    boolean keys = false;
    int seedPosts = 0;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        return new BenchOptions(scenarios, Duration.ZERO, Duration.ZERO, 0, null, 0, Map.of(), false, 0, true);
      }
      if (option.equals("--idempotency-keys")) {
        keys = true;
        continue;
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--scenarios" -> scenarios = scenarios(value);
        case "--duration" -> duration = number(option, value, 1, 3600);
        case "--warmup" -> warmup = number(option, value, 0, 600);
        case "--connections" -> connections = number(option, value, 1, 1000);
        case "--client-loops" -> clientLoops = number(option, value, 1, 64);
        case "--target" -> target = target(value);
        case "--set" -> setting(value, settings);
        case "--seed-posts" -> seedPosts = number(option, value, 0, 1_000_000);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (target != null && !settings.isEmpty()) {
      throw new IllegalArgumentException("--set changes the node the bench starts; a --target runs with its own settings");
    }
    return new BenchOptions(scenarios, Duration.ofSeconds(duration), Duration.ofSeconds(warmup), connections, target,
        clientLoops, Collections.unmodifiableMap(settings), keys, seedPosts, false);
  }

  static void setting(String value, Map<Setting, String> settings) {
    int eq = value.indexOf('=');
    String key = eq < 0 ? value : value.substring(0, eq);
    Setting setting = Arrays.stream(Setting.values()).filter(s -> s.key.equals(key)).findFirst().orElse(null);
    if (eq < 0 || setting == null) {
      throw new IllegalArgumentException("--set expects KEY=VALUE with a key of README \"Settings\", got " + value);
    }
    settings.put(setting, value.substring(eq + 1));
  }

  private static List<String> scenarios(String value) {
    List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String name : names) {
      if (!Scenarios.ALL.contains(name)) {
        throw new IllegalArgumentException("no scenario named " + name);
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("--scenarios needs at least one name");
    }
    return names;
  }

  static int number(String option, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below, like a number out of range
    }
    throw new IllegalArgumentException(option + " expects a whole number from " + min + " to " + max + ", got " + value);
  }

  private static URI target(String value) {
    URI uri = URI.create(value);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("--target expects http://host:port, got " + value);
    }
    return uri;
  }
}
