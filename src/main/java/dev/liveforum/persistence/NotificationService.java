package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.GroupCommit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import dev.liveforum.persistence.NotificationBatch.Candidate;
import dev.liveforum.persistence.NotificationBatch.Job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Notifications in the database: applying a job (one domain event) by the rules, and the owner's
 * reads and read marks. Every change records {@code notification.created} or {@code notification.read}
 * in the outbox, which the bridge delivers on the owner's {@code user.<id>} channel.
 */
final class NotificationService {
  static final String COMMENT = "comment";
  static final String REPLY = "reply";
  static final String LIKE = "like";
  static final String MENTION = "mention";
  private static final Pattern MENTION_PATTERN = Pattern.compile("(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])");

  private final Pool pool;
  private final Cursors cursors;
  private final Runnable afterCommit;
  private final int groupWindowSeconds;
  private final int mentionsPerText;
  /** Runs of a batch that raced another transaction for an event or a once-rule, at most. */
  private static final int RACED_ATTEMPTS = 3;
  private final GroupCommit<Job, Integer> applies = new GroupCommit<>(this::applyAll);

  NotificationService(Pool pool, Cursors cursors, Runnable afterCommit, int groupWindowSeconds, int mentionsPerText) {
    this.pool = pool;
    this.cursors = cursors;
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
    String type = job.getString(Field.TYPE);
    JsonObject data = job.getJsonObject(Field.DATA);
    if (type == null || data == null || job.getString(Field.EVENT_ID) == null) {
      return Future.failedFuture(Failure.badRequest("a job needs eventId, type and data"));
    }
    if (!Address.NOTIFICATION_SOURCES.contains(type)) {
      return Future.succeededFuture(new JsonObject().put("applied", 0));
    }
    try {
      long actor = type.equals(Address.LIKE_CHANGED) ? data.getLong(Field.USER_ID) : data.getLong(Field.AUTHOR_ID);
      long postId = type.startsWith("post.") ? data.getLong(Field.ID) : data.getLong(Field.POST_ID);
      return applies.submit(new Job(job.getString(Field.EVENT_ID), type, data, actor, postId, candidates(type, data)))
          .map(applied -> new JsonObject().put("applied", applied));
    } catch (NullPointerException | ClassCastException e) {
      return Future.failedFuture(Failure.badRequest("job " + job.getString(Field.EVENT_ID) + " (" + type
          + ") lacks the fields its rules need"));
    }
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
          if (java.util.Arrays.stream(applied).anyMatch(n -> n > 0)) {
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

  /**
   * The rules, mentions aside: one candidate per recipient, the first rule that names them wins. (The
   * notification role's Feeder.mayNotify skips events these rules cannot turn into a notification: keep
   * the two in step.)
   */
  private static List<Candidate> candidates(String type, JsonObject data) {
    List<Candidate> out = new ArrayList<>();
    switch (type) {
      case Address.COMMENT_CREATED -> {
        long comment = data.getLong(Field.COMMENT_ID);
        if (data.getLong(Field.PARENT_ID) != null && data.getLong("parentAuthorId") != null) {
          out.add(new Candidate(data.getLong("parentAuthorId"), REPLY, comment, null, null, null));
        }
        out.add(new Candidate(data.getLong("postAuthorId"), COMMENT, comment, null, null, null));
      }
      case Address.LIKE_CHANGED -> {
        if (data.getBoolean(Field.LIKED)) {
          String target = data.getString(Field.TARGET_TYPE);
          long id = data.getLong(Field.TARGET_ID);
          out.add(new Candidate(data.getLong("targetAuthorId"), LIKE, target.equals("comment") ? id : null, target, id,
              "like:" + target + ":" + id + ":" + data.getLong(Field.USER_ID)));
        }
      }
      default -> {
        // post.created, post.updated, comment.updated: mentions only
      }
    }
    return out;
  }

  /** The rule candidates, then the users mentioned that no rule named (first rule wins per user). */
  static List<Candidate> withMentions(List<Candidate> candidates, List<Long> mentioned, String type,
                                     JsonObject data) {
    Map<Long, Candidate> byUser = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      byUser.putIfAbsent(c.userId(), c);
    }
    boolean onPost = type.startsWith("post.");
    Long comment = onPost ? null : data.getLong(Field.COMMENT_ID);
    String once = "mention:" + (onPost ? "post:" + data.getLong(Field.ID) : "comment:" + comment);
    for (Long user : mentioned) {
      byUser.putIfAbsent(user, new Candidate(user, MENTION, comment, null, null, once));
    }
    return new ArrayList<>(byUser.values());
  }

  /**
   * The names @mentioned in {@code text}, the first {@code max} distinct ones; names differing only in case
   * are one (usernames compare without case).
   */
  static Set<String> mentions(String text, int max) {
    Set<String> seen = new HashSet<>();
    Set<String> names = new LinkedHashSet<>();
    Matcher m = MENTION_PATTERN.matcher(text);
    while (m.find() && names.size() < max) {
      if (seen.add(m.group(1).toLowerCase(Locale.ROOT))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Refuses (422) a text that mentions more than {@code max} distinct names ({@code limits.mentionsPerText},
   * as Discourse's max_mentions_per_post). The notifier looks at that many names of a text, with the same
   * pattern, so every mention a stored text makes is one it would notify.
   */
  static void requireMentionsAtMost(String what, String text, int max) {
    if (mentions(text, max + 1).size() > max) {
      throw Failure.of(422, what + " mentions more than " + max + " people: at most " + max
          + " distinct @names may be mentioned in one " + what);
    }
  }

  /**
   * The count a statement of notification_counts set through LAST_INSERT_ID(expr): the client reports
   * an insert id of 0 as none, and an UPDATE that matched no row sets nothing (no row: no unread).
   */
  private static long counted(RowSet<Row> result) {
    Long count = result.rowCount() == 0 ? null : result.property(MySQLClient.LAST_INSERTED_ID);
    return count == null ? 0L : count;
  }

  /**
   * In the transaction deleting post {@code postId}, before the delete: its notifications go with it
   * (cascading), so their owners' unread counts lose the unread ones. The rows are locked first, so a
   * notification read meanwhile is counted once, either here or by its reader.
   */
  static Future<Void> beforePostDelete(SqlClient tx, long postId) {
    return tx.preparedQuery(NotificationSql.UNREAD_ON_POST).execute(Tuple.of(postId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      StringBuilder sql = new StringBuilder(NotificationSql.UNREAD_SUBTRACT).append("CASE user_id");
      List<Object> params = new ArrayList<>();
      List<Long> users = new ArrayList<>();
      for (Row row : rows) {
        sql.append(" WHEN ? THEN ?");
        params.add(row.getLong("user_id"));
        params.add(row.getLong("n"));
        users.add(row.getLong("user_id"));
      }
      params.addAll(users);
      sql.append(" END) WHERE user_id").append(Rows.in(users.size()));
      return tx.preparedQuery(sql.toString()).execute(Tuple.from(params)).mapEmpty();
    });
  }

  /** The actor's notifications, newest first; {@code unread: true} for unread ones only. */
  Future<JsonObject> list(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    int limit = PostService.pageSize(body);
    boolean unreadOnly = body.getBoolean(Field.UNREAD, false);
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && (!"notifications".equals(at.getString("list")) || at.getLong("user", -1L).longValue() != actor.id().longValue()
        || at.getBoolean("unread", false) != unreadOnly)) {
      throw Failure.badRequest("cursor belongs to another list: use the nextCursor of this list's previous page");
    }
    long before = at == null ? Long.MAX_VALUE : at.getLong(Field.ID);
    return pool.preparedQuery(unreadOnly ? NotificationSql.LIST_UNREAD : NotificationSql.LIST)
        .execute(Tuple.of(actor.id(), before, limit + 1))
        .map(rows -> Rows.page(rows, limit, NotificationService::json, last -> cursors.encode(new JsonObject()
            .put("list", "notifications").put("user", actor.id()).put("unread", unreadOnly)
            .put(Field.ID, last.getLong("id")))))
        .recover(Database::classify);
  }

  Future<JsonObject> unreadCount(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    return pool.preparedQuery(NotificationSql.UNREAD_COUNT_WITH_SEQ).execute(Tuple.of(actor.id(), Channel.user(actor.id())))
        .map(rows -> {
          Row row = Rows.first(rows);
          return new JsonObject().put(Field.COUNT, row.getLong("n")).put(Field.SEQ, row.getLong("seq"));
        })
        .recover(Database::classify);
  }

  /** Marks one of the actor's notifications read; someone else's is a 404, as if it did not exist. */
  Future<JsonObject> read(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long id = body.getLong(Field.ID);
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(NotificationSql.OWNER).execute(Tuple.of(id))
            .compose(rows -> {
              Row row = Rows.first(rows);
              if (row == null || row.getLong("user_id") != actor.id().longValue()) {
                return Future.failedFuture(Failure.notFound("notification " + id + " does not exist"));
              }
              return tx.preparedQuery(NotificationSql.READ_ONE).execute(Tuple.of(id, actor.id()))
                  .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
                      : tx.preparedQuery(NotificationSql.UNREAD_SUBTRACT_ONE).execute(Tuple.of(actor.id()))
                          .compose(counted -> readMark(tx, actor.id(), new JsonArray().add(id), counted(counted)))
                          .map(true));
            })
            .map(NotificationService::readReply))
        .onSuccess(this::afterRead)
        .recover(Database::classify);
  }

  Future<JsonObject> readAll(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(NotificationSql.READ_ALL).execute(Tuple.of(actor.id()))
            .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
                : tx.preparedQuery(NotificationSql.UNREAD_NONE).execute(Tuple.of(actor.id()))
                    .compose(none -> readMark(tx, actor.id(), null, 0L)).map(true))
            .map(NotificationService::readReply))
        .onSuccess(this::afterRead)
        .recover(Database::classify);
  }

  /** A read's reply (the edge answers 204): whether it marked anything, so that only then the relay is woken. */
  private static JsonObject readReply(boolean changed) {
    return new JsonObject().put("changed", changed);
  }

  private void afterRead(JsonObject reply) {
    if (reply.getBoolean("changed")) {
      afterCommit.run();
    }
  }

  /** {@code notification.read}: these ids (null: all) are read now, and the unread count after. */
  private static Future<Void> readMark(SqlClient tx, long owner, JsonArray ids, long unread) {
    return Outbox.record(tx, Address.NOTIFICATION_READ, new JsonObject()
        .put(Field.USER_ID, owner).put("ids", ids).put("all", ids == null).put(Field.UNREAD, unread));
  }

  static JsonObject json(Row row) {
    long post = row.getLong("post_id");
    Long comment = row.getLong("comment_id");
    return new JsonObject()
        .put(Field.ID, row.getLong("id"))
        .put(Field.TYPE, row.getString("type"))
        .put("read", row.getLocalDateTime("read_at") != null)
        .put("actor", new JsonObject().put(Field.ID, row.getLong("actor_id")).put(Field.USERNAME, row.getString("actor_name")))
        .put("others", row.getInteger("actor_count") - 1)
        .put(Field.POST_ID, post)
        .put("postTitle", row.getString("post_title"))
        .put(Field.COMMENT_ID, comment)
        .put(Field.TARGET_TYPE, row.getString("target_type"))
        .put("excerpt", row.getString("excerpt"))
        .put("link", "/posts/" + post + (comment == null ? "" : "#comment-" + comment))
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")))
        .put("updatedAt", Database.iso(row.getLocalDateTime("updated_at")));
  }
}
