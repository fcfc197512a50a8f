package dev.liveforum.bench;

import dev.liveforum.config.Setting;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The realtime bench's command line. */
record RealtimeOptions(List<Integer> subscribers, List<Integer> nodes, int rate, int duration, int warmup,
                       int saturate, int window, int idle, int idlePerProcess, String serverHeap,
                       Map<Setting, String> settings, boolean help) {

  static final String USAGE = """
      usage: RealtimeBench [--subscribers LIST] [--nodes LIST] [--rate N] [--duration S] [--warmup S]
                           [--saturate N] [--window N] [--idle N] [--idle-per-process N] [--server-heap SIZE]
                           [--set KEY=VALUE]...

        --subscribers LIST    subscriber counts of the delivery runs (default 1000,5000; 0 skips them)
        --nodes LIST          cluster sizes of the delivery runs, 1 and/or 2 (default 1,2)
        --rate N              comments per second in the delivery runs (default 10)
        --duration S          measured seconds of each delivery and saturation run (default 20)
        --warmup S            seconds of events before each measurement, not counted in latencies (default 3)
        --saturate N          subscribers of the saturation run against the bare bridge, on one node (default 1000; 0 skips)
        --window N            events in flight in the saturation runs (default 16)
        --idle N              idle authenticated connections held by one node (default 19500; 0 skips)
        --idle-per-process N  idle connections per client process (default 9750; ulimit -n is per process)
        --server-heap SIZE    -Xmx of the server JVMs (default 2g)
        --set KEY=VALUE       a setting of the nodes (README "Settings"), e.g. bridge.presenceIntervalMs=5000; repeatable
      """;

  static RealtimeOptions parse(String[] args) {
    List<Integer> subscribers = List.of(1000, 5000);
    List<Integer> nodes = List.of(1, 2);
    int rate = 10;
    int duration = 20;
    int warmup = 3;
    int saturate = 1000;
    int window = 16;
    int idle = 19_500;
    int idlePerProcess = 9_750;
    String serverHeap = "2g";
    Map<Setting, String> settings = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--help") || option.equals("-h")) {
        return new RealtimeOptions(subscribers, nodes, rate, duration, warmup, saturate, window, idle, idlePerProcess,
            serverHeap, Map.of(), true);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--subscribers" -> subscribers = list(option, value, 0, 19_000);
        case "--nodes" -> nodes = list(option, value, 1, 2);
        case "--rate" -> rate = BenchOptions.number(option, value, 1, 1000);
        case "--duration" -> duration = BenchOptions.number(option, value, 1, 3600);
        case "--warmup" -> warmup = BenchOptions.number(option, value, 0, 600);
        case "--saturate" -> saturate = BenchOptions.number(option, value, 0, 19_000);
        case "--window" -> window = BenchOptions.number(option, value, 1, 1000);
        case "--idle" -> idle = BenchOptions.number(option, value, 0, 1_000_000);
        case "--idle-per-process" -> idlePerProcess = BenchOptions.number(option, value, 1, 19_000);
        case "--server-heap" -> {
          if (!value.matches("[1-9][0-9]*[mMgG]")) {
            throw new IllegalArgumentException("--server-heap expects a size such as 512m or 2g, got " + value);
          }
          serverHeap = value;
        }
        case "--set" -> BenchOptions.setting(value, settings);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return new RealtimeOptions(subscribers, nodes, rate, duration, warmup, saturate, window, idle, idlePerProcess,
        serverHeap, Collections.unmodifiableMap(settings), false);
  }

  private static List<Integer> list(String option, String value, int min, int max) {
    List<Integer> numbers = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .map(s -> BenchOptions.number(option, s, min, max)).toList();
    if (numbers.isEmpty()) {
      throw new IllegalArgumentException(option + " needs at least one number");
    }
    return numbers;
  }
}
