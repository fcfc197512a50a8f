package dev.liveforum.notification;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import dev.liveforum.event.Events;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

/**
 * Notifications as durable jobs: outbox events are fed to a Redis Stream, and every notification node
 * of the cluster reads it through one consumer group, so each job runs on one node, once. The outbox
 * keeps each event until its job is done, so Redis is never the only copy of the work. While this
 * node cannot reach Redis it steps back: it feeds nothing and stops serving the dead-letter list, so
 * another notification node answers.
 */
public class NotificationVerticle extends VerticleBase {
  private Redis client;
  private JobQueue queue;
  private Worker worker;
  private long feedTimer;
  private MessageConsumer<JsonObject> deadJobs;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    Config.Notifications settings = config.notifications();
    // RESP2: the stream replies (XREADGROUP, XAUTOCLAIM) are read in their RESP2 shape.
    client = Redis.createClient(vertx,
        config.redis().clientOptions(4).setPreferredProtocolVersion(ProtocolVersion.RESP2));
    queue = new JobQueue(RedisAPI.api(client), config.redis().keyPrefix());
    Feeder feeder = new Feeder(vertx, queue, () -> worker.reachable(), config.busTimeoutMs(),
        Math.max(5, settings.claimTimeoutMs() / 1000), jobLeaseSeconds(settings));
    // Redis need not be up yet: the worker connects (and creates the group) when it can.
    worker = new Worker(vertx, queue, () -> client.connect().map(RedisAPI::api), settings, config.busTimeoutMs(),
        this::serveDeadJobs, feeder::kick);
    Endpoints endpoints = new Endpoints(vertx);
    for (String type : Events.NOTIFICATION_SOURCES) {
      endpoints.listen(Events.address(type), msg -> feeder.kick());
    }
    feedTimer = vertx.setPeriodic(settings.feedIntervalMs(), id -> feeder.kick());
    worker.start();
    return endpoints.ready();
  }

  /**
   * How long a job may take from its feed to done before its event is fed again: its wait in the
   * stream (a window of jobs, seconds), then, should it fail, a claim timeout for a node that died and
   * retries capped at half of one each (two claim timeouts for the default five tries).
   */
  static int jobLeaseSeconds(Config.Notifications settings) {
    return Math.max(5, 4 * settings.claimTimeoutMs() / 1000);
  }

  /** The dead-letter list is served only while Redis, where it is kept, is reachable. */
  private void serveDeadJobs(boolean reachable) {
    if (reachable && deadJobs == null) {
      deadJobs = Bus.serve(vertx, Address.NOTIFICATION_DEAD_JOBS, body -> {
        Failure.requireAdmin(body, "see dead notification jobs");
        return queue.deadJobs(body.getInteger(Field.LIMIT, 50))
            .map(items -> new JsonObject().put(Field.ITEMS, items))
            .recover(t -> Future.failedFuture(Failure.unavailable("Redis is unavailable")));
      });
    } else if (!reachable && deadJobs != null) {
      deadJobs.unregister();
      deadJobs = null;
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(feedTimer);
    if (worker != null) {
      worker.stop();
    }
    client.close();
    return Future.succeededFuture();
  }
}
