package dev.liveforum.notification;

import dev.liveforum.event.DomainEvent;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.util.ArrayList;
import java.util.List;

/**
 * Notification jobs on a Redis Stream read by one consumer group: each job goes to one consumer, stays
 * pending until acknowledged, and a job pending longer than the claim timeout (its consumer died) can be
 * claimed by another. Jobs that keep failing move to a dead-letter stream. Replies are read as RESP2.
 * The stream is not the only copy of a job: its event stays in the outbox until the job is done
 * (persistence/NotificationFeed), so jobs Redis loses are fed again.
 */
final class JobQueue {
  static final String GROUP = "notifiers";
  /** Acknowledged jobs are trimmed away once the stream holds about this many. */
  private static final String MAX_LENGTH = "100000";

  /** One job as read from the stream. */
  /** A job: the stream entry's id and the domain event's id, type, data and request id. */
  record Job(String streamId, String eventId, String type, JsonObject data, String requestId) {
    /** How log lines name it. */
    @Override
    public String toString() {
      return "notification job " + streamId + " (" + type + " " + eventId + " [request " + requestId + "])";
    }
  }

  private final RedisAPI redis;
  final String jobs;
  final String dead;
  private final String attempts;

  JobQueue(RedisAPI redis, String keyPrefix) {
    this.redis = redis;
    this.jobs = keyPrefix + "notif:jobs";
    this.dead = keyPrefix + "notif:dead";
    this.attempts = keyPrefix + "notif:attempts";
  }

  /**
   * Creates the stream and the group unless they exist: true when it made them, so the stream begins
   * anew (at the first start, or after Redis lost it) and any job fed into an earlier one is gone.
   */
  Future<Boolean> create() {
    return redis.xgroup(List.of("CREATE", jobs, GROUP, "0", "MKSTREAM"))
        .map(true)
        .recover(t -> t.getMessage() != null && t.getMessage().contains("BUSYGROUP")
            ? Future.succeededFuture(false) : Future.failedFuture(t));
  }

  /**
   * Adds the event's job to the stream, which must exist (NOMKSTREAM): a job added to a stream made
   * anew without its group, after a loss, would wait there unseen until the group is made.
   */
  Future<Void> add(JsonObject event) {
    List<String> entry = new ArrayList<>(List.of(jobs, "NOMKSTREAM", "MAXLEN", "~", MAX_LENGTH, "*",
        DomainEvent.EVENT_ID, event.getString(DomainEvent.EVENT_ID), DomainEvent.TYPE, event.getString(DomainEvent.TYPE),
        DomainEvent.DATA, event.getJsonObject(DomainEvent.DATA, new JsonObject()).encode()));
    if (event.getString(DomainEvent.REQUEST_ID) != null) {
      entry.addAll(List.of(DomainEvent.REQUEST_ID, event.getString(DomainEvent.REQUEST_ID)));
    }
    return redis.xadd(entry)
        .compose(id -> id == null ? Future.failedFuture("the notification job stream " + jobs + " is gone")
            : Future.succeededFuture());
  }

  /** Jobs in the stream, read or not: acknowledged ones are deleted (see {@link #done}). */
  Future<Long> length() {
    return redis.xlen(jobs).map(Response::toLong);
  }

  /** New jobs for {@code consumer}, waiting up to {@code blockMs} for one (on a connection of its own). */
  static Future<List<Job>> read(RedisAPI connection, String stream, String consumer, int count, int blockMs) {
    return connection.xreadgroup(List.of("GROUP", GROUP, consumer, "COUNT", String.valueOf(count),
            "BLOCK", String.valueOf(blockMs), "STREAMS", stream, ">"))
        .map(r -> r == null || r.size() == 0 ? List.<Job>of() : entries(r.get(0).get(1)));
  }

  /** Jobs pending for longer than {@code minIdleMs} with any consumer, now {@code consumer}'s. */
  Future<List<Job>> claimStale(String consumer, long minIdleMs, int count) {
    return redis.xautoclaim(List.of(jobs, GROUP, consumer, String.valueOf(minIdleMs), "0-0",
            "COUNT", String.valueOf(count)))
        .map(r -> entries(r.get(1)));
  }

  /** Takes a job back for a retry, which also restarts its idle time; empty when it is no longer pending. */
  Future<List<Job>> claimAgain(String consumer, String streamId) {
    return redis.xclaim(List.of(jobs, GROUP, consumer, "0", streamId)).map(JobQueue::entries);
  }

  /**
   * Acknowledges the jobs and deletes them, so the stream's length is the work still to do, and forgets
   * their failed tries.
   */
  Future<Void> done(List<Job> done) {
    List<String> ids = done.stream().map(Job::streamId).toList();
    List<String> ack = new ArrayList<>(List.of(jobs, GROUP));
    ack.addAll(ids);
    List<String> delete = new ArrayList<>(List.of(jobs));
    delete.addAll(ids);
    List<String> forget = new ArrayList<>(List.of(attempts));
    forget.addAll(ids);
    return redis.xack(ack).compose(r -> redis.xdel(delete)).compose(r -> redis.hdel(forget)).mapEmpty();
  }

  /** Counts a failed try; returns how many there have been. */
  Future<Integer> failed(Job job) {
    return redis.hincrby(attempts, job.streamId(), "1").map(Response::toInteger);
  }

  /** Moves a job that keeps failing to the dead-letter stream. */
  Future<Void> bury(Job job, int tries, String error) {
    return redis.xadd(List.of(dead, "MAXLEN", "~", MAX_LENGTH, "*", "streamId", job.streamId(),
            DomainEvent.EVENT_ID, job.eventId(), DomainEvent.TYPE, job.type(), DomainEvent.DATA, job.data().encode(),
            DomainEvent.REQUEST_ID, job.requestId() == null ? "" : job.requestId(), "attempts",
            String.valueOf(tries), "error", error == null ? "" : error, "failedAt", java.time.Instant.now().toString()))
        .compose(r -> done(List.of(job)));
  }

  /** The newest dead-lettered jobs first. */
  Future<JsonArray> deadJobs(int limit) {
    return redis.xrevrange(List.of(dead, "+", "-", "COUNT", String.valueOf(limit))).map(r -> {
      JsonArray out = new JsonArray();
      for (Response entry : r) {
        JsonObject job = new JsonObject().put("id", entry.get(0).toString());
        Response fields = entry.get(1);
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          String name = fields.get(i).toString();
          String value = fields.get(i + 1).toString();
          if (name.equals("data")) {
            job.put(name, new JsonObject(value));
          } else if (name.equals("attempts")) {
            job.put(name, Integer.parseInt(value));
          } else {
            job.put(name, value);
          }
        }
        out.add(job);
      }
      return out;
    });
  }

  private static List<Job> entries(Response list) {
    List<Job> out = new ArrayList<>();
    if (list == null) {
      return out;
    }
    for (Response entry : list) {
      if (entry == null || entry.size() < 2 || entry.get(1) == null) {
        continue; // deleted meanwhile
      }
      String eventId = null;
      String type = null;
      JsonObject data = null;
      String requestId = null;
      Response fields = entry.get(1);
      for (int i = 0; i + 1 < fields.size(); i += 2) {
        String value = fields.get(i + 1).toString();
        switch (fields.get(i).toString()) {
          case DomainEvent.EVENT_ID -> eventId = value;
          case DomainEvent.TYPE -> type = value;
          case DomainEvent.DATA -> data = parse(value);
          case DomainEvent.REQUEST_ID -> requestId = value;
          default -> { }
        }
      }
      out.add(new Job(entry.get(0).toString(), eventId, type, data, requestId));
    }
    return out;
  }

  /** Junk in the stream becomes a job without data, which fails and is dead-lettered like any other. */
  private static JsonObject parse(String value) {
    try {
      return new JsonObject(value);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
