package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Likes on posts and comments, one table for both. Like and unlike are idempotent; each locks its
 * target, then inserts ({@code INSERT IGNORE}) or deletes the row and moves the target's counter
 * (and a post's hot rank) only when a row really came or went, in one transaction: counts stay exact
 * however many likes arrive at once. A missing or deleted target is a 404 and leaves no row.
 */
final class LikeService {
  private final Pool pool;
  private final Runnable afterCommit;

  LikeService(Pool pool, Runnable afterCommit) {
    this.pool = pool;
    this.afterCommit = afterCommit;
  }

  Future<JsonObject> add(JsonObject body) {
    return change(body, true);
  }

  Future<JsonObject> remove(JsonObject body) {
    return change(body, false);
  }

  private Future<JsonObject> change(JsonObject body, boolean like) {
    Actor actor = Actor.of(body).requireUser();
    Target target = Target.of(body.getString(Field.TARGET_TYPE));
    long id = body.getLong(Field.TARGET_ID);
    boolean[] changed = {false};
    return Transactions.run(pool, tx -> tx.preparedQuery(target.lock).execute(Tuple.of(id))
            .compose(rows -> Rows.one(rows, target.name + " " + id))
            .compose(row -> {
              if (row.getLocalDateTime("deleted_at") != null) {
                return Future.failedFuture(Failure.notFound(target.name + " " + id + " was deleted"));
              }
              Tuple key = Tuple.of(target.name, id, actor.id());
              return tx.preparedQuery(like ? LikeSql.INSERT : LikeSql.DELETE).execute(key).compose(r -> {
                changed[0] = r.rowCount() > 0;
                long count = row.getLong("like_count");
                if (!changed[0]) {
                  return Future.succeededFuture(state(like, count));
                }
                JsonObject state = state(like, like ? count + 1 : Math.max(0, count - 1));
                return tx.preparedQuery(like ? target.up : target.down).execute(Tuple.of(id))
                    .compose(u -> Outbox.record(tx, Address.LIKE_CHANGED, event(target, id, row, actor, state)))
                    .map(state);
              });
            }))
        .onSuccess(ok -> {
          if (changed[0]) {
            afterCommit.run();
          }
        })
        .recover(Database::classify);
  }

  private static JsonObject state(boolean liked, long count) {
    return new JsonObject().put(Field.LIKED, liked).put(Field.LIKE_COUNT, count);
  }

  private static JsonObject event(Target target, long id, Row row, Actor actor, JsonObject state) {
    return new JsonObject()
        .put(Field.TARGET_TYPE, target.name)
        .put(Field.TARGET_ID, id)
        .put(Field.POST_ID, row.getLong("post_id"))
        .put(Field.USER_ID, actor.id())
        .put(Field.LIKED, state.getBoolean(Field.LIKED))
        .put(Field.LIKE_COUNT, state.getLong(Field.LIKE_COUNT))
        .put("targetAuthorId", row.getLong("author_id"));
  }

  private enum Target {
    POST("post", LikeSql.LOCK_POST, LikeSql.POST_UP, LikeSql.POST_DOWN),
    COMMENT("comment", LikeSql.LOCK_COMMENT, LikeSql.COMMENT_UP, LikeSql.COMMENT_DOWN);

    final String name;
    final String lock;
    final String up;
    final String down;

    Target(String name, String lock, String up, String down) {
      this.name = name;
      this.lock = lock;
      this.up = up;
      this.down = down;
    }

    static Target of(String type) {
      for (Target t : values()) {
        if (t.name.equals(type)) {
          return t;
        }
      }
      throw Failure.badRequest("targetType must be post or comment");
    }
  }
}
