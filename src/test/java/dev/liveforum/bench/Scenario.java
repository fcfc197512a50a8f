package dev.liveforum.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.HostAndPort;

import java.util.List;

/**
 * One thing the bench measures: the server it loads, a first request that tells whether the operation
 * exists there, the request each connection sends next, what a 2xx answer must hold, and the check of
 * what the run left behind.
 */
record Scenario(String name, HostAndPort server, Request probe, Requests requests, Expect expect, Check check) {

  /** The {@code n}th request of one connection. Connections never share a request's target state. */
  @FunctionalInterface
  interface Requests {
    Request next(int connection, long n);
  }

  /**
   * What a 2xx answer must be: null when it is right, else a short name for what is wrong, under which
   * the answer is counted as an error. Every answer is checked; {@code body} is given for the probe and
   * one answer in {@link #SAMPLE} of each connection, and is null for the others.
   */
  @FunctionalInterface
  interface Expect {
    int SAMPLE = 16;
    Expect ANY = (contentType, body) -> null;

    String problem(String contentType, Buffer body);
  }

  /** Looks at the database around a write scenario: does every 2xx answer have its row? */
  @FunctionalInterface
  interface Check {
    Check NONE = () -> outcome -> List.of();

    /** Runs before the probe; the result runs after the last response and returns lines to print. */
    After begin();
  }

  @FunctionalInterface
  interface After {
    List<String> lines(Outcome outcome);
  }
}
