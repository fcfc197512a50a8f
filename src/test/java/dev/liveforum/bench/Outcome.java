package dev.liveforum.bench;

/**
 * How one scenario went. {@code warmup} also holds the probe; {@code measured} is null when the probe
 * found that the server has no such operation ({@code unavailable} then says what it answered).
 */
record Outcome(String scenario, Tally.Summary warmup, Tally.Summary measured, String unavailable) {

  boolean available() {
    return measured != null;
  }

  /** Answers with these statuses over the whole scenario (probe, warm-up and measurement). */
  long total(int fromStatus, int toStatus) {
    return warmup.countBetween(fromStatus, toStatus) + (available() ? measured.countBetween(fromStatus, toStatus) : 0);
  }

  /**
   * Requests that got no answer (or a 2xx that was not what the scenario expects) over the whole scenario;
   * a timed-out write may still have happened.
   */
  long failed() {
    return warmup.failed() + (available() ? measured.failed() : 0);
  }
}
