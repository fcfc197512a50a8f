package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.bus.GroupCommit;
import dev.liveforum.bus.NotificationRules;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import dev.liveforum.persistence.NotificationBatch.Job;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies notification jobs (one domain event each) by the {@link NotificationRules}: jobs that arrive
 * together share a transaction ({@link NotificationBatch} writes it), and a shared transaction that
 * fails is tried again job by job. Every notification made or joined records {@code notification.created}
 * in the outbox, which the bridge delivers on the owner's {@code user.<id>} channel.
 */
final class NotificationJobs {
  /** Runs of a batch that raced another transaction for an event or a once-rule, at most. */
  private static final int RACED_ATTEMPTS = 3;

  private final Pool pool;
  private final Runnable afterCommit;
  private final int groupWindowSeconds;
  private final int mentionsPerText;
  private final GroupCommit<Job, Integer> applies = new GroupCommit<>(this::applyAll);

  NotificationJobs(Pool pool, Runnable afterCommit, int groupWindowSeconds, int mentionsPerText) {
    this.pool = pool;
    this.afterCommit = afterCommit;
    this.groupWindowSeconds = groupWindowSeconds;
    this.mentionsPerText = mentionsPerText;
  }

  /**
   * Applies one job: {@code {eventId, type, data}}. Replies {@code {applied: n}} (notifications created or
   * joined), 0 for an event seen before: a replayed job changes nothing. Jobs that arrive while others are
   * being applied share the next transaction ({@link GroupCommit}); if that transaction fails, its jobs are
   * applied again one transaction each, so a job that cannot be applied fails alone.
   */
  Future<JsonObject> apply(JsonObject job) {
    String type = job.getString(DomainEvent.TYPE);
    JsonObject data = job.getJsonObject(DomainEvent.DATA);
    if (type == null || data == null || job.getString(DomainEvent.EVENT_ID) == null) {
      return Future.failedFuture(Failure.badRequest("a job needs eventId, type and data"));
    }
    if (!NotificationRules.isSource(type)) {
      return Future.succeededFuture(new JsonObject().put("applied", 0));
    }
    NotificationRules.Source event;
    try {
      event = NotificationRules.read(type, data);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(Failure.badRequest("job " + job.getString(DomainEvent.EVENT_ID) + " (" + type
          + ") lacks the fields its rules need: " + e.getMessage()));
    }
    return applies.submit(new Job(job.getString(DomainEvent.EVENT_ID), event, job.getString(DomainEvent.REQUEST_ID)))
        .map(applied -> new JsonObject().put("applied", applied));
  }

  private Future<List<Future<Integer>>> applyAll(List<Job> batch) {
    return inOneTransaction(batch).recover(failure -> {
      if (batch.size() == 1) {
        return Future.failedFuture(failure);
      }
      List<Future<Integer>> alone = new ArrayList<>(batch.size());
      Future<Void> chain = Future.succeededFuture();
      for (Job job : batch) {
        Promise<Integer> outcome = Promise.promise();
        alone.add(outcome.future());
        chain = chain.compose(v -> inOneTransaction(List.of(job))
            .compose(one -> one.get(0))
            .andThen(outcome)
            .transform(ignored -> Future.succeededFuture()));
      }
      return chain.map(alone);
    });
  }

  /**
   * Applies the jobs in one transaction ({@link NotificationBatch}) and marks their events done in it:
   * each job's count of notifications created or joined. A batch that raced another transaction for an
   * event or a once-rule runs again, in a new transaction that sees what the other committed.
   */
  private Future<List<Future<Integer>>> inOneTransaction(List<Job> jobs) {
    return inOneTransaction(jobs, 1);
  }

  private Future<List<Future<Integer>>> inOneTransaction(List<Job> jobs, int attempt) {
    return Transactions.run(pool, tx -> NotificationBatch.apply(tx, jobs, groupWindowSeconds, mentionsPerText))
        .onSuccess(applied -> {
          if (Arrays.stream(applied).anyMatch(n -> n > 0)) {
            afterCommit.run();
          }
        })
        .map(applied -> {
          List<Future<Integer>> out = new ArrayList<>(jobs.size());
          for (int n : applied) {
            out.add(Future.succeededFuture(n));
          }
          return out;
        })
        .recover(failure -> failure instanceof NotificationBatch.Raced && attempt < RACED_ATTEMPTS
            ? inOneTransaction(jobs, attempt + 1) : Database.classify(failure));
  }
}
