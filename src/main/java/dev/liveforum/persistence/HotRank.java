package dev.liveforum.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-applies the age decay of the hot rank ({@link PostSql#HOT}) to the posts of the last week. Likes
 * and comments update a post's rank as they happen; only the passing of time needs this sweep. One
 * node does it at a time (a MariaDB named lock); older posts keep their last, already tiny, rank.
 */
final class HotRank {
  private static final Logger log = LoggerFactory.getLogger(HotRank.class);

  private HotRank() {}

  static Future<Integer> decay(Pool pool) {
    return pool.withConnection(conn -> conn.query("SELECT GET_LOCK('liveforum.hot-rank', 0) AS locked").execute()
            .compose(rows -> Rows.first(rows).getInteger("locked") != 1 ? Future.succeededFuture(0)
                : conn.query(PostSql.RECOMPUTE_HOT).execute().map(r -> r.rowCount())
                .eventually(() -> conn.query("SELECT RELEASE_LOCK('liveforum.hot-rank')").execute())))
        .onFailure(t -> log.warn("hot rank decay failed: {}", t.getMessage()));
  }
}
