package dev.liveforum.persistence;

import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeding notifications must cost what a batch costs, not what the backlog costs: a feeder that falls
 * behind must not become slower the further behind it is. Runs the feeder's own statements on a copy of
 * the outbox table holding a backlog, and counts the rows MariaDB reads and sorts for one lease.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationFeedScanTest {
  private static final int BACKLOG = 5_000;
  private static final int FED = 3_000;
  private static final int BATCH = 100;
  private final String table = "outbox_scan_" + TestServices.RUN_ID;
  private Connection db;

  @BeforeAll
  void backlog() throws SQLException {
    Database.migrateNow(TestServices.config().db()); // the schema, as a persistence node would make it
    db = TestDb.connection();
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE " + table + " LIKE outbox");
      // Fed events before the backlog (as a day's worth of them stays), then the pending backlog.
      s.execute("INSERT INTO " + table + " (event_id, address, payload, created_at, published_at, notified_at)"
          + " SELECT UUID(), 'event.comment.created', REPEAT('x', 500), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),"
          + " UTC_TIMESTAMP(3) FROM seq_1_to_" + FED);
      s.execute("INSERT INTO " + table + " (event_id, address, payload, created_at, published_at)"
          + " SELECT UUID(), 'event.comment.created', REPEAT('x', 500), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)"
          + " FROM seq_1_to_" + BACKLOG);
      s.execute("ANALYZE TABLE " + table);
    }
  }

  @AfterAll
  void drop() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
    }
    db.close();
  }

  @Test
  @DisplayName("leasing a batch from a backlog of 5,000 events reads about a batch of rows, sorts none, and hands out each event once")
  void leaseReadsABatchNotTheBacklog() throws SQLException {
    List<Long> seen = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      String token = "feeder-" + pass;
      Map<String, Long> before = handlerCounts();
      int leased = update(NotificationSql.LEASE_EVENTS, token, 30, BATCH);
      List<Long> ids = select(NotificationSql.LEASED, token, leased);
      Map<String, Long> after = handlerCounts();
      assertEquals(BATCH, leased, "rows leased by pass " + pass);
      assertEquals(BATCH, ids.size(), "rows read back by pass " + pass);
      long rowsRead = rowsRead(before, after) - rowsRead(after, handlerCounts()); // less reading the counters
      // This pass passes over the earlier passes' leases (still unfed) and reads its own batch twice.
      long bound = 2L * BATCH * (pass + 2);
      assertTrue(rowsRead <= bound, "pass " + pass + " read " + rowsRead + " rows for a batch of " + BATCH
          + " (bound " + bound + "): the statements scan the backlog of " + BACKLOG);
      assertEquals(0, delta(before, after, "Sort_rows"), "pass " + pass + " sorted rows");
      for (Long id : ids) {
        assertTrue(!seen.contains(id), "event " + id + " leased twice");
      }
      seen.addAll(ids);
    }
    assertEquals(seen.stream().sorted().toList(), seen, "leases go oldest first");
  }

  private int update(String sql, Object... params) throws SQLException {
    try (PreparedStatement s = prepare(sql, params)) {
      return s.executeUpdate();
    }
  }

  private List<Long> select(String sql, Object... params) throws SQLException {
    List<Long> ids = new ArrayList<>();
    try (PreparedStatement s = prepare(sql, params); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong("id"));
      }
    }
    return ids;
  }

  private PreparedStatement prepare(String sql, Object... params) throws SQLException {
    PreparedStatement s = db.prepareStatement(sql.replace(" outbox ", " " + table + " "));
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }

  private Map<String, Long> handlerCounts() throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (Statement s = db.createStatement();
         ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name LIKE 'Handler_read%'"
             + " OR Variable_name = 'Sort_rows'")) {
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
    }
    return counts;
  }

  private static long rowsRead(Map<String, Long> before, Map<String, Long> after) {
    return delta(before, after, "Handler_read_next") + delta(before, after, "Handler_read_rnd_next")
        + delta(before, after, "Handler_read_key");
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
    return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
  }
}
