package dev.liveforum.bench;

import io.vertx.core.net.HostAndPort;

import java.util.List;

/**
 * One thing the bench measures: the server it loads, a first request that tells whether the operation
 * exists there, the request each connection sends next, and the check of what the run left behind.
 */
record Scenario(String name, HostAndPort server, Request probe, Requests requests, Check check) {

  /** The {@code n}th request of one connection. Connections never share a request's target state. */
  @FunctionalInterface
  interface Requests {
    Request next(int connection, long n);
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
