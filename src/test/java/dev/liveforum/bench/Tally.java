package dev.liveforum.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.vertx.core.http.HttpClosedException;

import java.net.ConnectException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the responses of one phase (warm-up or measurement) were: latencies, statuses and failures.
 * Recorded from every client event loop at once, so everything in it is thread-safe.
 */
final class Tally {
  private final Recorder latencyMicros = new Recorder(3);
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder finished = new LongAdder();
  private final long startNanos = System.nanoTime();

  void answered(int status, long nanos) {
    latencyMicros.recordValue(nanos / 1000);
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    finished.increment();
  }

  void failed(Throwable failure) {
    wrong(kind(failure));
  }

  /** An answer that is not what the scenario expects, counted as an error named {@code problem}. */
  void wrong(String problem) {
    errors.computeIfAbsent(problem, k -> new LongAdder()).increment();
    finished.increment();
  }

  /** Requests answered or failed so far. */
  long count() {
    return finished.sum();
  }

  /** Closes the phase: call once, after its last response. */
  Summary summary() {
    return new Summary((System.nanoTime() - startNanos) / 1e9, latencyMicros.getIntervalHistogram(),
        sorted(statuses), sorted(errors));
  }

  private static String kind(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timeout";
    }
    if (failure instanceof ConnectException) {
      return "connect";
    }
    if (failure instanceof HttpClosedException) {
      return "closed";
    }
    return failure.getClass().getSimpleName();
  }

  private static <K extends Comparable<K>> SortedMap<K, Long> sorted(Map<K, LongAdder> counts) {
    SortedMap<K, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** A closed phase. Latencies are in microseconds; only answered requests have one. */
  record Summary(double seconds, Histogram latencyMicros, SortedMap<Integer, Long> statuses,
                 SortedMap<String, Long> errors) {

    long answered() {
      return latencyMicros.getTotalCount();
    }

    long failed() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    double perSecond() {
      return (answered() + failed()) / seconds;
    }

    long count(int status) {
      return statuses.getOrDefault(status, 0L);
    }

    long countBetween(int fromStatus, int toStatus) {
      return statuses.entrySet().stream().filter(e -> e.getKey() >= fromStatus && e.getKey() <= toStatus)
          .mapToLong(Map.Entry::getValue).sum();
    }

    double millisAt(double percentile) {
      return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
      return latencyMicros.getMaxValue() / 1000.0;
    }
  }
}
