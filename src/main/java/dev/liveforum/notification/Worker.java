package dev.liveforum.notification;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.GroupCommit;
import dev.liveforum.config.Config;
import dev.liveforum.event.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs notification jobs: reads new ones for this consumer, applies each through persistence (rows,
 * outbox and the event marked done in one transaction) and acknowledges them only after that committed.
 * A failed job is retried after {@code retryDelayMs}, doubling each time, and after {@code maxAttempts}
 * tries is dead-lettered (its event marked done: given up). Jobs left pending by a consumer that died
 * are claimed after {@code claimTimeoutMs}.
 *
 * <p>The worker's reads tell whether Redis is reachable: while it is not, the role steps back (see
 * NotificationVerticle). When the stream has to be made anew (Redis lost it), the events fed into the
 * lost one are given back to the feeders at once.
 */
final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  /**
   * Jobs read at once: enough for the two transactions persistence applies jobs in at a time
   * (GroupCommit). With 16, a worker applied about 230 jobs a second under the comment benchmark while
   * 1,100 arrived, and the consumer group's lag grew by 800 a second. A read is made while the read
   * before it is being applied (two reads in flight at most): waiting for all of a read's jobs first left
   * persistence a tail of small transactions each time (64 jobs a transaction on average, not 128).
   */
  private static final int COUNT = GroupCommit.MAX_BATCH * GroupCommit.MAX_IN_FLIGHT;
  private static final int BLOCK_MS = 1000;

  private final Vertx vertx;
  private final JobQueue queue;
  /** Opens a connection of the worker's own: XREADGROUP blocks the connection it runs on. */
  private final Supplier<Future<RedisAPI>> connect;
  private final Config.Notifications settings;
  private final long busTimeoutMs;
  /** Told when Redis becomes reachable (true) or unreachable (false). */
  private final Consumer<Boolean> reachability;
  /** Told after each batch of jobs done, so that the feeder adds more. */
  private final Runnable afterBatch;
  private final String consumer = "node-" + UUID.randomUUID();
  private RedisAPI reader;
  private boolean reachable;
  /** The stream was made anew and the events fed into the lost one are not given back yet. */
  private boolean streamBegun;
  private long claimTimer;
  private boolean stopped;
  /** The jobs of the latest read, being applied. */
  private Future<Void> applying = Future.succeededFuture();

  Worker(Vertx vertx, JobQueue queue, Supplier<Future<RedisAPI>> connect, Config.Notifications settings,
         long busTimeoutMs, Consumer<Boolean> reachability, Runnable afterBatch) {
    this.vertx = vertx;
    this.queue = queue;
    this.connect = connect;
    this.settings = settings;
    this.busTimeoutMs = busTimeoutMs;
    this.reachability = reachability;
    this.afterBatch = afterBatch;
  }

  void start() {
    readLoop();
    claimTimer = vertx.setPeriodic(Math.max(50, settings.claimTimeoutMs() / 2), id -> {
      if (reachable) {
        queue.claimStale(consumer, settings.claimTimeoutMs(), COUNT)
            .onSuccess(this::runAll)
            .onFailure(t -> log.debug("claiming stale notification jobs failed: {}", t.getMessage()));
      }
    });
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(claimTimer);
    if (reader != null) {
      reader.close();
    }
  }

  boolean reachable() {
    return reachable;
  }

  private void readLoop() {
    if (stopped) {
      return;
    }
    Future<RedisAPI> connection = reader != null ? Future.succeededFuture(reader)
        : queue.create().compose(begun -> {
          streamBegun |= begun;
          return connect.get();
        }).onSuccess(api -> reader = api);
    connection
        .onSuccess(api -> setReachable(true, null))
        .compose(api -> !streamBegun ? Future.succeededFuture(api)
            : Bus.request(vertx, Address.NOTIFICATION_RELEASE_EVENTS, new JsonObject(), null, busTimeoutMs)
                .map(released -> {
                  streamBegun = false;
                  return api;
                }))
        .compose(api -> JobQueue.read(api, queue.jobs, consumer, COUNT, BLOCK_MS))
        .compose(jobs -> {
          Future<Void> before = applying;
          applying = runAll(jobs);
          return before;
        })
        .onComplete(ar -> {
          if (ar.failed() && !stopped) {
            // Redis away or restarted (the group gone with its data): start over on a new connection.
            setReachable(false, ar.cause());
            if (reader != null) {
              reader.close();
              reader = null;
            }
            vertx.setTimer(1000, id -> readLoop());
          } else {
            readLoop();
          }
        });
  }

  private void setReachable(boolean now, Throwable why) {
    if (now != reachable) {
      reachable = now;
      if (now) {
        log.info("notification jobs: Redis reachable, taking jobs");
      } else {
        log.warn("notification jobs: reading failed, stepping back until Redis answers (retrying each second): {}",
            why == null ? "" : why.getMessage());
      }
      reachability.accept(now);
    }
  }

  /** Applies the jobs, then acknowledges the ones applied, together; never fails. */
  private Future<Void> runAll(List<JobQueue.Job> jobs) {
    if (jobs.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<JobQueue.Job>> runs = jobs.stream().map(this::apply).toList();
    return Future.join(runs).transform(ignored -> {
      List<JobQueue.Job> applied = runs.stream().filter(Future::succeeded).map(Future::result).toList();
      Future<Void> acknowledged = applied.isEmpty() ? Future.succeededFuture() : queue.done(applied);
      return acknowledged.otherwise(t -> {
        log.warn("{} applied notification jobs could not be acknowledged (they run again, changing nothing): {}",
            applied.size(), t.getMessage());
        return null;
      });
    }).onComplete(ar -> afterBatch.run());
  }

  /** Applies one job: the job when it was applied; a failure is recorded for a retry or dead-lettered. */
  private Future<JobQueue.Job> apply(JobQueue.Job job) {
    JsonObject command = new JsonObject().put(DomainEvent.EVENT_ID, job.eventId()).put(DomainEvent.TYPE, job.type())
        .put(DomainEvent.DATA, job.data()).put(DomainEvent.REQUEST_ID, job.requestId());
    log.debug("applying {}", job);
    return Bus.request(vertx, Address.NOTIFICATION_APPLY, command, job.requestId(), busTimeoutMs)
        .map(job)
        .onFailure(t -> retryOrBury(job, t.getMessage()).onFailure(e ->
            log.warn("{} could not be recorded: {}", job, e.getMessage())));
  }

  private Future<Void> retryOrBury(JobQueue.Job job, String error) {
    return queue.failed(job).compose(tries -> {
      if (tries >= settings.maxAttempts()) {
        log.warn("{} failed {} times, dead-lettered: {}", job, tries, error);
        // Given up: the outbox stops feeding the event (should this fail, it is fed and buried once more).
        return queue.bury(job, tries, error).compose(buried -> job.eventId() == null ? Future.succeededFuture()
            : Bus.request(vertx, Address.NOTIFICATION_EVENTS_DONE,
                new JsonObject().put("eventIds", new JsonArray().add(job.eventId())), null, busTimeoutMs).mapEmpty());
      }
      // Stays pending meanwhile; claiming it again restarts its idle time, so no one else takes it over.
      long delay = Math.min((long) settings.retryDelayMs() << Math.min(tries - 1, 20), settings.claimTimeoutMs() / 2);
      vertx.setTimer(Math.max(1, delay), id -> queue.claimAgain(consumer, job.streamId()).onSuccess(this::runAll));
      return Future.succeededFuture();
    });
  }
}
