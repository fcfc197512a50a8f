package dev.liveforum.notification;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.GroupCommit;
import dev.liveforum.launch.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs notification jobs: reads new ones for this consumer, applies each through persistence (rows and
 * outbox in one transaction) and acknowledges it only after that committed. A failed job is retried
 * after {@code retryDelayMs}, doubling each time, and after {@code maxAttempts} tries is dead-lettered.
 * Jobs left pending by a consumer that died are claimed after {@code claimTimeoutMs}.
 */
final class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  /**
   * Jobs read at once; the next read waits for all of them. Enough for the two transactions persistence
   * applies jobs in at a time (GroupCommit): with 16, a worker applied about 230 jobs a second under the
   * comment benchmark while 1,100 arrived, and the consumer group's lag grew by 800 a second.
   */
  private static final int COUNT = GroupCommit.MAX_BATCH * GroupCommit.MAX_IN_FLIGHT;
  private static final int BLOCK_MS = 1000;

  private final Vertx vertx;
  private final JobQueue queue;
  /** Opens a connection of the worker's own: XREADGROUP blocks the connection it runs on. */
  private final java.util.function.Supplier<Future<RedisAPI>> connect;
  private RedisAPI reader;
  private final Config.Notifications settings;
  private final long busTimeoutMs;
  private final String consumer = "node-" + UUID.randomUUID();
  private long claimTimer;
  private boolean stopped;

  Worker(Vertx vertx, JobQueue queue, java.util.function.Supplier<Future<RedisAPI>> connect,
         Config.Notifications settings, long busTimeoutMs) {
    this.vertx = vertx;
    this.queue = queue;
    this.connect = connect;
    this.settings = settings;
    this.busTimeoutMs = busTimeoutMs;
  }

  void start() {
    readLoop();
    claimTimer = vertx.setPeriodic(Math.max(50, settings.claimTimeoutMs() / 2), id -> queue
        .claimStale(consumer, settings.claimTimeoutMs(), COUNT)
        .onSuccess(jobs -> jobs.forEach(this::run))
        .onFailure(t -> log.debug("claiming stale notification jobs failed: {}", t.getMessage())));
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(claimTimer);
    if (reader != null) {
      reader.close();
    }
  }

  private void readLoop() {
    if (stopped) {
      return;
    }
    Future<RedisAPI> connection = reader != null ? Future.succeededFuture(reader)
        : queue.create().compose(v -> connect.get()).onSuccess(api -> reader = api);
    connection.compose(api -> JobQueue.read(api, queue.jobs, consumer, COUNT, BLOCK_MS))
        .compose(jobs -> {
          List<Future<?>> running = new ArrayList<>();
          jobs.forEach(job -> running.add(run(job)));
          return Future.join(running);
        })
        .onComplete(ar -> {
          if (ar.failed() && !stopped) {
            // Redis away or restarted (the group gone with its data): start over on a new connection.
            log.warn("reading notification jobs failed, retrying in 1 s: {}", ar.cause().getMessage());
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

  /** Applies one job; never fails (the outcome is recorded in the queue). */
  private Future<Void> run(JobQueue.Job job) {
    JsonObject command = new JsonObject().put(Field.EVENT_ID, job.eventId()).put(Field.TYPE, job.type())
        .put(Field.DATA, job.data());
    return Bus.request(vertx, Address.NOTIFICATION_APPLY, command, null, busTimeoutMs)
        .compose(applied -> queue.done(job))
        .recover(t -> retryOrBury(job, t.getMessage()))
        .otherwise(t -> {
          log.warn("notification job {} could not be recorded: {}", job.streamId(), t.getMessage());
          return null;
        });
  }

  private Future<Void> retryOrBury(JobQueue.Job job, String error) {
    return queue.failed(job).compose(tries -> {
      if (tries >= settings.maxAttempts()) {
        log.warn("notification job {} ({} {}) failed {} times, dead-lettered: {}", job.streamId(), job.type(),
            job.eventId(), tries, error);
        return queue.bury(job, tries, error);
      }
      // Stays pending meanwhile; claiming it again restarts its idle time, so no one else takes it over.
      long delay = Math.min((long) settings.retryDelayMs() << Math.min(tries - 1, 20), settings.claimTimeoutMs() / 2);
      vertx.setTimer(Math.max(1, delay), id -> queue.claimAgain(consumer, job.streamId())
          .onSuccess(again -> again.forEach(this::run)));
      return Future.succeededFuture();
    });
  }
}
