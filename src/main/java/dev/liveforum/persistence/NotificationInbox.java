package dev.liveforum.persistence;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.NotificationEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The owner's side of notifications: the list, the unread count (kept in {@code notification_counts}
 * with every change) and read marks. A read mark records {@code notification.read} in the outbox,
 * which the bridge delivers on the owner's {@code user.<id>} channel. The notifications are made by
 * {@link NotificationJobs}.
 */
final class NotificationInbox {
  private final Pool pool;
  private final Cursors cursors;
  private final Runnable afterCommit;

  NotificationInbox(Pool pool, Cursors cursors, Runnable afterCommit) {
    this.pool = pool;
    this.cursors = cursors;
    this.afterCommit = afterCommit;
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
        .map(rows -> Rows.page(rows, limit, NotificationInbox::json, last -> cursors.encode(new JsonObject()
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
                          .compose(counted -> readMark(tx, body, actor.id(), new JsonArray().add(id), counted(counted)))
                          .map(true));
            })
            .map(NotificationInbox::readReply))
        .onSuccess(this::afterRead)
        .recover(Database::classify);
  }

  Future<JsonObject> readAll(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(NotificationSql.READ_ALL).execute(Tuple.of(actor.id()))
            .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
                : tx.preparedQuery(NotificationSql.UNREAD_NONE).execute(Tuple.of(actor.id()))
                    .compose(none -> readMark(tx, body, actor.id(), null, 0L)).map(true))
            .map(NotificationInbox::readReply))
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
  private static Future<Void> readMark(SqlClient tx, JsonObject command, long owner, JsonArray ids, long unread) {
    return Outbox.record(tx, command, new NotificationEvents.Read(owner, ids, ids == null, unread));
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
