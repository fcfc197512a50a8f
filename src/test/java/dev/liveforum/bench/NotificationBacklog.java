package dev.liveforum.bench;

import dev.liveforum.launch.Config;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;

/**
 * How far the notification jobs are behind the writes when a write scenario ends: jobs in the stream
 * that no worker has read yet, and jobs read and not yet acknowledged. A write scenario that leaves a
 * growing backlog is faster than the system really is, as the notification work is not being done.
 */
final class NotificationBacklog {
  private static final String GROUP = "notifiers";
  private final Config.Redis redis;

  NotificationBacklog(Config.Redis redis) {
    this.redis = redis;
  }

  /** One line for the report; says so when the stream cannot be read (no notification node ran). */
  String line() {
    String stream = redis.keyPrefix() + "notif:jobs";
    Vertx vertx = Vertx.vertx();
    try {
      RedisAPI api = RedisAPI.api(Redis.createClient(vertx, redis.url()));
      String lastRead = null;
      for (Response group : api.xinfo(List.of("GROUPS", stream)).await()) {
        if (GROUP.equals(group.get("name").toString())) {
          lastRead = group.get("last-delivered-id").toString();
        }
      }
      if (lastRead == null) {
        return "notification jobs: no consumer group on " + stream;
      }
      // Exclusive start "(" needs Redis 6.2; the embedded one is 6.2.
      long unread = api.xrange(List.of(stream, "(" + lastRead, "+")).await().size();
      long pending = api.xpending(List.of(stream, GROUP)).await().get(0).toLong();
      return String.format("notification jobs at the end: %,d not yet read by a worker, %,d being applied", unread,
          pending);
    } catch (Exception e) {
      return "notification jobs: backlog unknown (" + e.getMessage() + ")";
    } finally {
      vertx.close().await();
    }
  }
}
