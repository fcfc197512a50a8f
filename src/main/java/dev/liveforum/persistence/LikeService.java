package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.GroupCommit;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.LikeEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Likes on posts and comments, one table for both. Like and unlike are idempotent: a like changes
 * something only when its row was not there, an unlike only when it was, and only then do the target's
 * counter (and a post's hot rank) move and an event get recorded. A missing or deleted target is a 404
 * and leaves no row.
 *
 * <p>Likes that arrive while a batch of them is being written go together into the next transaction
 * ({@link GroupCommit}), which locks every target of the batch (posts, then comments, each in id order),
 * reads which of its likes exist, applies the requests one after another in the order they came and
 * writes the net result: each answer's {@code likeCount} is the count right after that request, and the
 * counts stay exact however many likes arrive at once.
 */
final class LikeService {
  private final Pool pool;
  private final Runnable afterCommit;
  private final GroupCommit<Change, JsonObject> changes = new GroupCommit<>(this::changeAll);

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
    return changes.submit(new Change(Target.of(body.getString(Field.TARGET_TYPE)), body.getLong(Field.TARGET_ID),
        actor.id(), like, IdempotencyKeys.Key.of(body), body));
  }

  /** A like or unlike asked for by {@code command}. */
  private record Change(Target target, long id, long userId, boolean like, IdempotencyKeys.Key idempotency,
                        JsonObject command) {
    Key key() {
      return new Key(target, id, userId);
    }
  }

  /** One user's like of one target. */
  private record Key(Target target, long id, long userId) {}

  private Future<List<Future<JsonObject>>> changeAll(List<Change> all) {
    return Transactions.run(pool, tx -> IdempotencyKeys.batch(tx, all, Change::idempotency, batch ->
            lock(tx, batch, Target.POST)
                .compose(posts -> lock(tx, batch, Target.COMMENT)
                    .compose(comments -> apply(tx, batch, Map.of(Target.POST, posts, Target.COMMENT, comments))))))
        .onSuccess(outcomes -> {
          if (outcomes.stream().anyMatch(Future::succeeded)) {
            afterCommit.run();
          }
        })
        .recover(Database::classify);
  }

  private static Future<Map<Long, Row>> lock(SqlClient tx, List<Change> batch, Target target) {
    return Rows.byId(tx, target.lock, batch.stream().filter(c -> c.target() == target).map(Change::id),
        Rows.LOCK_IN_ORDER);
  }

  /**
   * With every target locked, no other transaction can add or remove one of their likes: what exists now
   * decides each request of the batch, applied in order.
   */
  private static Future<List<Future<JsonObject>>> apply(SqlClient tx, List<Change> batch,
                                                        Map<Target, Map<Long, Row>> targets) {
    List<Future<JsonObject>> outcomes = new ArrayList<>(batch.size());
    List<Change> live = new ArrayList<>();
    for (Change c : batch) {
      Row row = targets.get(c.target()).get(c.id());
      if (row == null) {
        outcomes.add(Future.failedFuture(Failure.notFound(c.target().name + " " + c.id() + " does not exist")));
      } else if (row.getLocalDateTime("deleted_at") != null) {
        outcomes.add(Future.failedFuture(Failure.notFound(c.target().name + " " + c.id() + " was deleted")));
      } else {
        outcomes.add(null);
        live.add(c);
      }
    }
    if (live.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    // One time for the batch's new likes, set here rather than by the database so that each like's event
    // carries exactly the stored time, which decides the day the statistics count it on.
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    return matching(tx, LikeSql.EXISTING, live.stream().map(Change::key).toList()).compose(rows -> {
      Map<Key, LocalDateTime> before = new HashMap<>();
      rows.forEach(r -> before.put(new Key(Target.of(r.getString("target_type")), r.getLong("target_id"),
          r.getLong("user_id")), r.getLocalDateTime("created_at")));
      Map<Key, LocalDateTime> liked = new HashMap<>(before);
      List<Tuple> keptActive = new ArrayList<>();
      Map<Target, Map<Long, Long>> counts = Map.of(Target.POST, new HashMap<>(), Target.COMMENT, new HashMap<>());
      List<DomainEvent> events = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Change c = batch.get(i);
        if (outcomes.get(i) != null) {
          continue;
        }
        Row row = targets.get(c.target()).get(c.id());
        Key key = c.key();
        // A like's time: now for a new one; for an unlike, when the withdrawn like was given.
        LocalDateTime likedAt = c.like() ? (liked.putIfAbsent(key, now) == null ? now : null) : liked.remove(key);
        boolean changed = likedAt != null;
        long count = counts.get(c.target()).computeIfAbsent(c.id(), id -> row.getLong("like_count"));
        if (changed) {
          count = c.like() ? count + 1 : Math.max(0, count - 1);
          counts.get(c.target()).put(c.id(), count);
          events.add(Outbox.event(c.command(), new LikeEvents.Changed(c.target().name, c.id(), row.getLong("post_id"),
              c.userId(), c.like(), count, row.getLong("author_id"), Database.iso(likedAt))));
          if (!c.like()) {
            // The giver of a withdrawn like stays counted as active on the day it was given.
            keptActive.add(Tuple.of(likedAt, c.userId()));
          }
        }
        outcomes.set(i, Future.succeededFuture(state(c.like(), count)));
      }
      // Only the net change is written: a like and an unlike of one batch cancel out.
      List<Tuple> inserts = liked.keySet().stream().filter(k -> !before.containsKey(k))
          .map(k -> Tuple.of(k.target().name, k.id(), k.userId(), liked.get(k))).toList();
      List<Key> deletes = before.keySet().stream().filter(k -> !liked.containsKey(k)).toList();
      return Rows.insertAll(tx, LikeSql.INSERT, LikeSql.ROW, inserts)
          .compose(v -> deletes.isEmpty() ? Future.succeededFuture() : matching(tx, LikeSql.DELETE, deletes))
          .compose(v -> Rows.insertAll(tx, StatsSql.KEEP_ACTIVE, StatsSql.ACTIVE_ROW, keptActive))
          .compose(v -> setCounts(tx, Target.POST, counts, targets))
          .compose(v -> setCounts(tx, Target.COMMENT, counts, targets))
          .compose(v -> Outbox.recordAll(tx, events))
          .map(outcomes);
    });
  }

  /** Writes the new counts of the targets whose count moved. */
  private static Future<Void> setCounts(SqlClient tx, Target target, Map<Target, Map<Long, Long>> counts,
                                        Map<Target, Map<Long, Row>> rows) {
    Map<Long, Long> changed = new HashMap<>();
    counts.get(target).forEach((id, count) -> {
      if (count != rows.get(target).get(id).getLong("like_count")) {
        changed.put(id, count);
      }
    });
    return Rows.updateById(tx, target.set, target.setRest, changed);
  }

  /** Runs {@code sql}, which ends in {@code WHERE}, for the rows of {@code likes} (not empty). */
  private static Future<RowSet<Row>> matching(SqlClient tx, String sql, List<Key> likes) {
    List<Key> padded = Rows.padded(likes);
    List<Object> params = new ArrayList<>(padded.size() * 3);
    padded.forEach(k -> params.addAll(List.of(k.target().name, k.id(), k.userId())));
    return tx.preparedQuery(sql + String.join(" OR ", Collections.nCopies(padded.size(), LikeSql.ONE)))
        .execute(Tuple.from(params));
  }

  private static JsonObject state(boolean liked, long count) {
    return new JsonObject().put(Field.LIKED, liked).put(Field.LIKE_COUNT, count);
  }

  private enum Target {
    POST("post", LikeSql.LOCK_POSTS, LikeSql.SET_POST, LikeSql.SET_POST_REST),
    COMMENT("comment", LikeSql.LOCK_COMMENTS, LikeSql.SET_COMMENT, LikeSql.SET_COMMENT_REST);

    final String name;
    final String lock;
    final String set;
    final String setRest;

    Target(String name, String lock, String set, String setRest) {
      this.name = name;
      this.lock = lock;
      this.set = set;
      this.setRest = setRest;
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
