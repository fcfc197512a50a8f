package dev.liveforum.persistence;

import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A persistence node's row in {@code node_heartbeats}, saying every few seconds which cluster it belongs
 * to: where clusters that cannot see each other on the network (a typo in {@code cluster.name}) see that
 * they share a database, before their outbox relays take each other's events. One small write per node
 * every {@link #INTERVAL_MS}.
 */
public final class Heartbeats {
  private static final long INTERVAL_MS = 5_000;
  /** A node seen this recently runs: four beats, so one whose event loop or pool was busy a while still counts. */
  private static final int RECENT_SECONDS = 20;

  /** A node of {@code cluster} (null: a node not clustered) that wrote {@code secondsAgo}. */
  public record Sighting(String cluster, long secondsAgo) {}

  private final Vertx vertx;
  private final Pool pool;
  private final String cluster;
  private final String node = UUID.randomUUID().toString();
  private long timer = -1;
  /** The last beat sent: a removal waits for it, or the beat, on another connection, could land after it. */
  private Future<Void> lastBeat = Future.succeededFuture();

  /** @param cluster the node's cluster name, or null for a node not clustered */
  Heartbeats(Vertx vertx, Pool pool, String cluster) {
    this.vertx = vertx;
    this.pool = pool;
    this.cluster = cluster;
  }

  /** Writes the first beat (the node is visible once it serves), then one every {@link #INTERVAL_MS}. */
  Future<Void> start() {
    return pool.query(HeartbeatSql.PURGE).execute().compose(purged -> beat()).onSuccess(first ->
        // A beat that fails (the database is down) is not retried: the next one comes soon enough.
        timer = vertx.setPeriodic(INTERVAL_MS, id -> beat()));
  }

  private Future<Void> beat() {
    lastBeat = pool.preparedQuery(HeartbeatSql.BEAT).execute(Tuple.of(node, cluster)).mapEmpty();
    return lastBeat;
  }

  /**
   * Removes the row, so that a cluster of another name may use the database at once. A database that
   * does not answer soon is not waited for: the row then ages out in {@link #RECENT_SECONDS}.
   */
  Future<Void> stop() {
    vertx.cancelTimer(timer);
    return lastBeat.otherwiseEmpty()
        .compose(beaten -> pool.preparedQuery(HeartbeatSql.REMOVE).execute(Tuple.of(node)).<Void>mapEmpty())
        .timeout(2, TimeUnit.SECONDS).otherwiseEmpty();
  }

  /**
   * The nodes seen in the last {@link #RECENT_SECONDS}, most recent first; none on a database without the
   * table yet (no node of this version ran there). Blocking: start-up checks only.
   */
  public static List<Sighting> recent(Config.Db db) throws SQLException {
    try (Connection c = Database.connect(db); PreparedStatement s = c.prepareStatement(HeartbeatSql.SEEN_WITHIN)) {
      s.setInt(1, RECENT_SECONDS);
      List<Sighting> seen = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          seen.add(new Sighting(rows.getString(1), rows.getLong(2)));
        }
      }
      return seen;
    } catch (SQLException e) {
      if (e.getErrorCode() == Database.NO_SUCH_TABLE) {
        return List.of();
      }
      throw e;
    }
  }
}
