package dev.liveforum.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A closed-loop HTTP load generator: {@code connections} keep-alive connections, each with exactly one
 * request in flight, sending the next as soon as the previous is answered. Latency is measured from
 * send to the end of the response body (closed loop: a slow server also slows the offered load).
 */
final class LoadGenerator implements AutoCloseable {
  private static final long TIMEOUT_MS = 10_000;
  /** After a failure without an answer (e.g. connection refused), so a dead server is not spun on. */
  private static final long RETRY_PAUSE_MS = 10;

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int connections;
  private final boolean idempotencyKeys;

  LoadGenerator(int connections, int eventLoops, boolean idempotencyKeys) {
    this.connections = connections;
    this.idempotencyKeys = idempotencyKeys;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    // No event-loop size for the pool: a connection is made on the event loop of the loop that asks for it.
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  /** Probes, warms up, then measures for {@code duration}; returns after every request was answered. */
  Outcome run(Scenario scenario, Duration warmup, Duration duration) throws InterruptedException {
    Tally warm = new Tally();
    Answer probe = onContext(vertx.getOrCreateContext(), () -> timed(scenario, scenario.probe(), true, warm))
        .otherwise(t -> new Answer(0, null, Buffer.buffer(t.toString()))).await();
    if (probe.status() == 404 || probe.status() == 405) {
      return new Outcome(scenario.name(), warm.summary(), null,
          scenario.probe() + " answered " + probe.status() + " " + probe.body());
    }
    Run run = new Run(scenario, warm);
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int connection = c;
      loops.add(onContext(vertx.getOrCreateContext(), () -> {
        Promise<Void> done = Promise.promise();
        run.loop(connection, 0, done);
        return done.future();
      }));
    }
    Thread.sleep(warmup.toMillis());
    Tally measured = new Tally();
    run.phase = measured;
    Thread.sleep(duration.toMillis());
    run.stopped = true;
    Future.join(loops).await();
    return new Outcome(scenario.name(), warm.summary(), measured.summary(), null);
  }

  /** One scenario's connections; {@code phase} is where answers are counted, switched after warm-up. */
  private final class Run {
    private final Scenario scenario;
    private volatile Tally phase;
    private volatile boolean stopped;

    Run(Scenario scenario, Tally first) {
      this.scenario = scenario;
      this.phase = first;
    }

    void loop(int connection, long n, Promise<Void> done) {
      if (stopped) {
        done.complete();
        return;
      }
      boolean sampled = n % Scenario.Expect.SAMPLE == 0;
      timed(scenario, scenario.requests().next(connection, n), sampled, phase).onComplete(answer -> {
        if (answer.succeeded()) {
          loop(connection, n + 1, done);
        } else {
          vertx.setTimer(RETRY_PAUSE_MS, t -> loop(connection, n + 1, done));
        }
      });
    }
  }

  /**
   * Runs {@code action} on {@code context}, so that its request and every one sent from its callbacks
   * start on the same event loop. Sent from a plain thread (a new context each time), a request that
   * had to wait for a pooled connection now and then never completed, not even by its timeout (Vert.x
   * 5.0.10, most often on the probe after another scenario's 404 probe).
   */
  private static <T> Future<T> onContext(Context context, Supplier<Future<T>> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(result));
    return result.future();
  }

  /**
   * Sends one request of {@code scenario} and counts its answer in {@code tally}: a 2xx that is not what
   * the scenario expects (its body looked at when {@code sampled}) as an error, a failure as one too.
   */
  private Future<Answer> timed(Scenario scenario, Request request, boolean sampled, Tally tally) {
    long start = System.nanoTime();
    return send(scenario.server(), request, sampled)
        .onSuccess(answer -> {
          String problem = answer.status() / 100 != 2 ? null
              : scenario.expect().problem(answer.contentType(), sampled ? answer.body() : null);
          if (problem == null) {
            tally.answered(answer.status(), System.nanoTime() - start);
          } else {
            tally.wrong(problem);
          }
        })
        .onFailure(tally::failed);
  }

  /**
   * One request; the answer's body is kept only when {@code keepBody} (a body that is not looked at is
   * read and dropped as it arrives: gathering each 40 KB page into a buffer cost the load generator,
   * on the same cores as the server, more than the server spent answering).
   */
  private Future<Answer> send(HostAndPort server, Request request, boolean keepBody) {
    RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(server.host())
        .setPort(server.port()).setURI(request.path()).setTimeout(TIMEOUT_MS);
    if (request.token() != null) {
      options.putHeader(HttpHeaders.AUTHORIZATION, "Bearer " + request.token());
    }
    if (request.body() != null) {
      options.putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
    }
    if (idempotencyKeys && request.method() != HttpMethod.GET) {
      options.putHeader("Idempotency-Key", UUID.randomUUID().toString());
    }
    return client.request(options)
        .compose(r -> request.body() == null ? r.send() : r.send(request.body()))
        .compose(response -> keepBody
            ? response.body().map(body -> new Answer(response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE), body))
            : response.end().map(done -> new Answer(response.statusCode(), response.getHeader(HttpHeaders.CONTENT_TYPE), null)));
  }

  private record Answer(int status, String contentType, Buffer body) {}

  @Override
  public void close() {
    vertx.close().await();
  }
}
