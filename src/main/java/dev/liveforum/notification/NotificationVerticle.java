package dev.liveforum.notification;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.launch.Config;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

/**
 * Notifications as durable jobs: outbox events are fed to a Redis Stream, and every notification node
 * of the cluster reads it through one consumer group, so each job runs on one node, once.
 */
public class NotificationVerticle extends VerticleBase {
  private Redis client;
  private Worker worker;
  private long feedTimer;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    Config.Notifications settings = config.notifications();
    // RESP2: the stream replies (XREADGROUP, XAUTOCLAIM) are read in their RESP2 shape.
    client = Redis.createClient(vertx,
        config.redis().clientOptions(4).setPreferredProtocolVersion(ProtocolVersion.RESP2));
    JobQueue queue = new JobQueue(RedisAPI.api(client), config.redis().keyPrefix());
    Feeder feeder = new Feeder(vertx, queue, config.busTimeoutMs(), Math.max(5, settings.claimTimeoutMs() / 1000));
    Endpoints endpoints = new Endpoints(vertx);
    for (String type : Address.NOTIFICATION_SOURCES) {
      endpoints.listen(Address.event(type), msg -> feeder.kick());
    }
    endpoints.serve(Address.NOTIFICATION_DEAD_JOBS, body -> {
      Failure.requireAdmin(body, "see dead notification jobs");
      return queue.deadJobs(body.getInteger(Field.LIMIT, 50))
        .map(items -> new JsonObject().put(Field.ITEMS, items))
          .recover(t -> Future.failedFuture(Failure.unavailable("Redis is unavailable")));
    });
    feedTimer = vertx.setPeriodic(settings.feedIntervalMs(), id -> feeder.kick());
    // Redis need not be up yet: the worker connects (and creates the group) when it can.
    worker = new Worker(vertx, queue, () -> client.connect().map(RedisAPI::api), settings, config.busTimeoutMs());
    worker.start();
    return endpoints.ready();
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
