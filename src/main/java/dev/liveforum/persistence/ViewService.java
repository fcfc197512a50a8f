package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.ViewEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Adds the view buffer's batches to {@code posts.view_count}; see cache/ViewCounter for the other half. */
final class ViewService {
  private static final Logger log = LoggerFactory.getLogger(ViewService.class);
  private final Pool pool;
  private final Runnable afterCommit;

  ViewService(Pool pool, Runnable afterCommit) {
    this.pool = pool;
    this.afterCommit = afterCommit;
  }

  /**
   * {@code {batch, views: {"<postId>": n}}} → {@code {applied, posts}}. The batch id is recorded in the
   * transaction that adds its views, so a batch delivered twice is added once ({@code applied: false}
   * the second time). Posts deleted meanwhile are skipped. Rows are updated in id order, so two
   * batches never deadlock each other.
   */
  Future<JsonObject> addViews(JsonObject body) {
    String batch = body.getString(Field.BATCH);
    JsonObject views = body.getJsonObject(Field.VIEWS);
    if (batch == null || batch.isEmpty() || batch.length() > 36 || views == null) {
      throw Failure.badRequest("batch (at most 36 characters) and views are required");
    }
    Map<Long, Long> byPost = new TreeMap<>();
    for (Map.Entry<String, Object> e : views) {
      long id = parsePositive(e.getKey());
      long n = e.getValue() instanceof Number v ? v.longValue() : parsePositive(String.valueOf(e.getValue()));
      if (id <= 0 || n <= 0) {
        throw Failure.badRequest("views must map post ids to positive counts");
      }
      byPost.merge(id, n, Long::sum);
    }
    List<Tuple> updates = new ArrayList<>();
    byPost.forEach((id, n) -> updates.add(Tuple.of(n, id)));
    long total = byPost.values().stream().mapToLong(Long::longValue).sum();
    // A batch's views belong to the UTC day it is applied on (README "Statistics").
    LocalDate day = LocalDate.now(ZoneOffset.UTC);
    return pool.withTransaction(tx -> tx.preparedQuery(ViewSql.CLAIM_BATCH).execute(Tuple.of(batch))
            .compose(claimed -> claimed.rowCount() == 0 || updates.isEmpty()
                ? Future.succeededFuture(new JsonObject().put("applied", claimed.rowCount() == 1).put("posts", 0))
                : tx.preparedQuery(ViewSql.ADD).executeBatch(updates)
                    .compose(r -> tx.preparedQuery(StatsSql.ADD_VIEW_DAY).execute(Tuple.of(day, total, total)))
                    .compose(r -> Outbox.record(tx, body, new ViewEvents.Added(batch, day.toString(), total)))
                    .map(r -> new JsonObject().put("applied", true).put("posts", updates.size()))))
        .onSuccess(result -> {
          if (result.getInteger("posts") > 0) {
            afterCommit.run();
          }
        })
        .recover(Database::classify);
  }

  /** Forgets old batch ids (a timer's job: a failed purge only waits for the next one). */
  Future<Integer> purge() {
    return pool.query(ViewSql.PURGE_BATCHES).execute().map(r -> r.rowCount())
        .onFailure(t -> log.warn("view batch purge failed: {}", t.getMessage()));
  }

  private static long parsePositive(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
