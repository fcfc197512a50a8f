package dev.liveforum.bench;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Prints the bench's findings: one line per scenario, its checks under it, and the reads' ratios to bare. */
final class Report {
  private static final String ROW = "%-10s %10s %8s %8s %8s %10s  %-16s %s%n";

  private final PrintStream out;
  private final Map<String, Double> rates = new HashMap<>();

  Report(PrintStream out) {
    this.out = out;
  }

  void header(String setting) {
    out.println();
    out.println(setting);
    out.printf(ROW, "scenario", "req/s", "p50 ms", "p99 ms", "max ms", "requests", "non-2xx", "errors");
  }

  void scenario(Outcome outcome, List<String> checks) {
    if (!outcome.available()) {
      out.printf("%-10s not available: %s%n", outcome.scenario(), outcome.unavailable());
      return;
    }
    Tally.Summary m = outcome.measured();
    rates.put(outcome.scenario(), m.perSecond());
    SortedMap<Integer, Long> non2xx = new TreeMap<>(m.statuses());
    non2xx.keySet().removeIf(status -> status >= 200 && status < 300);
    out.printf(ROW, outcome.scenario(), String.format("%,.0f", m.perSecond()), ms(m.millisAt(50)),
        ms(m.millisAt(99)), ms(m.maxMillis()), String.format("%,d", m.answered() + m.failed()),
        counts(non2xx), counts(m.errors()));
    checks.forEach(line -> out.println("           " + line));
  }

  /** How close each cached read comes to the bare endpoint, when both ran. */
  void ratio() {
    Double bare = rates.get(Scenarios.BARE);
    for (String name : Scenarios.RATIOS) {
      Double read = rates.get(name);
      if (read != null && bare != null && bare > 0) {
        out.printf("%s / %s = %.2f%n", name, Scenarios.BARE, read / bare);
      }
    }
  }

  private static String ms(double millis) {
    return String.format("%.2f", millis);
  }

  private static String counts(Map<?, Long> counts) {
    return counts.isEmpty() ? "-" : counts.entrySet().stream()
        .map(e -> e.getKey() + ":" + String.format("%,d", e.getValue())).collect(Collectors.joining(" "));
  }
}
