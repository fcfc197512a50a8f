package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.support.TestDb;
import dev.liveforum.event.Events;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How far the notifications are behind the writes when a write scenario ends: events whose
 * notifications are not done yet (they stay in the outbox until then), and of those the jobs in the
 * stream that no worker has read yet and the jobs read and not yet acknowledged; then how long the rest
 * took to be done. A write scenario that leaves a growing backlog is faster than the system really is,
 * as the notification work is not being done.
 */
final class NotificationBacklog {
  private static final String GROUP = "notifiers";
  private static final String NOT_DONE = "SELECT COUNT(*) FROM outbox WHERE notified_at IS NULL AND address IN ("
      + Events.NOTIFICATION_SOURCES.stream().map(type -> "'" + Events.address(type) + "'").collect(Collectors.joining(", "))
      + ")";
  /** How long the bench waits for the backlog to be done before it goes on. */
  private static final long DRAIN_LIMIT_MS = 120_000;
  private final Config.Db db;
  private final Config.Redis redis;

  NotificationBacklog(Config config) {
    this.db = config.db();
    this.redis = config.redis();
  }

  /** One line for the report; says so when the stream cannot be read (no notification node ran). */
  String line() {
    long notDone = TestDb.count(db, NOT_DONE);
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
        return String.format("notifications at the end: %,d events not done; no consumer group on %s", notDone, stream);
      }
      // Exclusive start "(" needs Redis 6.2; the embedded one is 6.2.
      long unread = api.xrange(List.of(stream, "(" + lastRead, "+")).await().size();
      long pending = api.xpending(List.of(stream, GROUP)).await().get(0).toLong();
      return String.format("notifications at the end: %,d events not done (%,d jobs in Redis not yet read by a worker,"
          + " %,d being applied); %s", notDone, unread, pending, drained(notDone));
    } catch (Exception e) {
      return String.format("notifications at the end: %,d events not done; jobs in Redis unknown (%s)", notDone,
          e.getMessage());
    } finally {
      vertx.close().await();
    }
  }

  /** Waits for the events not done to be done, as notifications reach their owners late. */
  private String drained(long notDone) throws InterruptedException {
    long start = System.nanoTime();
    long left = notDone;
    while (left > 0 && System.nanoTime() - start < DRAIN_LIMIT_MS * 1_000_000) {
      Thread.sleep(200);
      left = TestDb.count(db, NOT_DONE);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return left == 0 ? String.format("all done %.1f s later", seconds)
        : String.format("%,d still not done %.0f s later", left, seconds);
  }
}
