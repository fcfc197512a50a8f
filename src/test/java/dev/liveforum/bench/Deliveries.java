package dev.liveforum.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Who got which event of one run. Events are numbered from 0 by the generator, which carries the number
 * in the event's text as {@code #rtb<n>#}; every subscriber should receive every event exactly once.
 * Latency runs from just before the event's producing call (the REST request, or the publish frame) to
 * its arrival at each subscriber. Called from every client event loop at once.
 */
final class Deliveries {
  private static final byte[] MARK = {'#', 'r', 't', 'b'};

  final int subscribers;
  private final AtomicLongArray sentAt;
  private final AtomicIntegerArray received;
  /** 1 for the events whose producing call failed (a REST answer other than 2xx, or none). */
  private final AtomicIntegerArray failed;
  private final Recorder latencyMicros = new Recorder(3);
  private final LongAdder delivered = new LongAdder();
  /** Set by a closed-loop run: a permit comes back when every subscriber has an event. */
  private final Semaphore window;
  private volatile int measuredFrom;
  private volatile int sent;
  /** The first frame counted, as it arrived: the bare bridge's runs publish a body of the same size. */
  private volatile String sample;

  Deliveries(int subscribers, int maxEvents, Semaphore window) {
    this.subscribers = subscribers;
    this.sentAt = new AtomicLongArray(maxEvents);
    this.received = new AtomicIntegerArray(maxEvents);
    this.failed = new AtomicIntegerArray(maxEvents);
    this.window = window;
  }

  static String mark(int event) {
    return "#rtb" + event + "#";
  }

  int capacity() {
    return sentAt.length();
  }

  /** Latencies are kept from event {@code first} on; the ones before warm up. */
  void measureFrom(int first) {
    measuredFrom = first;
    latencyMicros.reset();
  }

  void sending(int event) {
    sentAt.set(event, System.nanoTime());
    sent = Math.max(sent, event + 1);
  }

  /**
   * The event's producing call failed: it may never exist, so its missing deliveries are not counted as
   * lost, and its place in the window is given back.
   */
  void failed(int event) {
    if (failed.compareAndSet(event, 0, 1) && window != null && received.get(event) < subscribers) {
      window.release();
    }
  }

  int failedEvents() {
    int n = 0;
    for (int e = 0; e < sent; e++) {
      n += failed.get(e);
    }
    return n;
  }

  int sent() {
    return sent;
  }

  /** A frame arrived at a subscriber: counts it when it carries an event of this run. */
  void frame(byte[] bytes, int length) {
    int event = eventIn(bytes, length);
    if (event < 0 || event >= sentAt.length()) {
      return;
    }
    long now = System.nanoTime();
    if (sample == null) {
      sample = new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }
    delivered.increment();
    if (event >= measuredFrom) {
      latencyMicros.recordValue(Math.max(0, now - sentAt.get(event)) / 1000);
    }
    if (received.incrementAndGet(event) == subscribers && window != null && failed.get(event) == 0) {
      window.release();
    }
  }

  private static int eventIn(byte[] b, int length) {
    outer:
    for (int i = 0; i + MARK.length < length; i++) {
      for (int j = 0; j < MARK.length; j++) {
        if (b[i + j] != MARK[j]) {
          continue outer;
        }
      }
      int n = 0;
      int digits = 0;
      for (int k = i + MARK.length; k < length && b[k] >= '0' && b[k] <= '9' && digits < 9; k++, digits++) {
        n = n * 10 + (b[k] - '0');
      }
      return digits == 0 ? -1 : n;
    }
    return -1;
  }

  String sample() {
    return sample;
  }

  long delivered() {
    return delivered.sum();
  }

  /** Whether every sent event that was produced reached every subscriber. */
  boolean complete() {
    for (int e = 0; e < sent; e++) {
      if (received.get(e) < subscribers && failed.get(e) == 0) {
        return false;
      }
    }
    return true;
  }

  /** Deliveries that never came, over every event produced. */
  long lost() {
    long lost = 0;
    for (int e = 0; e < sent; e++) {
      lost += failed.get(e) == 1 ? 0 : Math.max(0, subscribers - received.get(e));
    }
    return lost;
  }

  /** Deliveries beyond one per subscriber and event. */
  long duplicated() {
    long extra = 0;
    for (int e = 0; e < sent; e++) {
      extra += Math.max(0, received.get(e) - subscribers);
    }
    return extra;
  }

  /** Latencies of the measured events, in microseconds; call once, at the end. */
  Histogram latency() {
    return latencyMicros.getIntervalHistogram();
  }
}
