package dev.liveforum.persistence;

import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
 * behind must not become slower the further behind it is, nor slower for the jobs waiting in Redis (whose
 * events stay in the outbox, leased, until done). Runs the feeder's own statements on a copy of the
 * outbox table holding both, and counts the rows MariaDB reads and sorts for one lease.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotificationFeedScanTest {
  private static final int BACKLOG = 5_000;
  private static final int DONE = 3_000;
  private static final int IN_STREAM = 2_000;
  private static final int BATCH = 100;
  private final String table = "outbox_scan_" + TestServices.RUN_ID;
  private Connection db;
  /** The ids of the events done, and of those in the stream (ids of one INSERT … SELECT may leave gaps). */
  private List<Long> done;
  private List<Long> inStream;

  @BeforeAll
  void connect() throws SQLException {
    Database.migrateNow(TestServices.config().db()); // the schema, as a persistence node would make it
    db = TestDb.connection();
  }

  @BeforeEach
  void backlog() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("CREATE TABLE " + table + " LIKE outbox");
      // Done events before the backlog (as a day's worth of them stays), events whose jobs are in the
      // stream (leased a while ago), then the pending backlog.
      s.execute("INSERT INTO " + table + " (event_id, address, payload, created_at, published_at, notified_at)"
          + " SELECT UUID(), 'event.comment.created', REPEAT('x', 500), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3),"
          + " UTC_TIMESTAMP(3) FROM seq_1_to_" + DONE);
      s.execute("INSERT INTO " + table + " (event_id, address, payload, created_at, published_at, notify_token,"
          + " notify_lease) SELECT UUID(), 'event.comment.created', REPEAT('x', 500), UTC_TIMESTAMP(3),"
          + " UTC_TIMESTAMP(3), 'an-earlier-feeder', UTC_TIMESTAMP(3) + INTERVAL 20 SECOND FROM seq_1_to_" + IN_STREAM);
      s.execute("INSERT INTO " + table + " (event_id, address, payload, created_at, published_at)"
          + " SELECT UUID(), 'event.comment.created', REPEAT('x', 500), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)"
          + " FROM seq_1_to_" + BACKLOG);
      s.execute("ANALYZE TABLE " + table);
    }
    done = select("SELECT id FROM outbox WHERE notified_at IS NOT NULL");
    inStream = select("SELECT id FROM outbox WHERE notify_token = 'an-earlier-feeder' ORDER BY id");
  }

  @AfterEach
  void drop() throws SQLException {
    try (Statement s = db.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
    }
  }

  @AfterAll
  void disconnect() throws SQLException {
    db.close();
  }

  @Test
  @DisplayName("leasing a batch from a backlog of 5,000 events, behind 2,000 in the stream, reads about a batch of rows, sorts none, and hands out each event once")
  void leaseReadsABatchNotTheBacklog() throws SQLException {
    List<Long> seen = new ArrayList<>();
    for (int pass = 0; pass < 3; pass++) {
      String token = "feeder-" + pass;
      Map<String, Long> before = handlerCounts();
      java.time.LocalDateTime until = until(30);
      int leased = update(NotificationSql.LEASE_EVENTS, token, until, BATCH);
      List<Long> ids = select(NotificationSql.LEASED, token, until, leased);
      // Their jobs are in the stream now: leased for longer, as the feeder's batches are.
      update(NotificationSql.FED + in(ids), 120);
      Map<String, Long> after = handlerCounts();
      assertEquals(BATCH, leased, "rows leased by pass " + pass);
      assertEquals(BATCH, ids.size(), "rows read back by pass " + pass);
      long rowsRead = rowsRead(before, after) - rowsRead(after, handlerCounts()); // less reading the counters
      // This pass reads its own batch three times (to lease, to read and to extend the lease), and
      // nothing of the earlier passes' leases, the jobs in the stream or the rest of the backlog.
      long bound = 4L * BATCH;
      assertTrue(rowsRead <= bound, "pass " + pass + " read " + rowsRead + " rows for a batch of " + BATCH
          + " (bound " + bound + "): the statements scan the backlog of " + BACKLOG);
      assertEquals(0, delta(before, after, "Sort_rows"), "pass " + pass + " sorted rows");
      for (Long id : ids) {
        assertTrue(!seen.contains(id), "event " + id + " leased twice");
        assertTrue(!done.contains(id) && !inStream.contains(id), "event " + id + " is done or in the stream, and was leased");
      }
      seen.addAll(ids);
    }
    assertEquals(seen.stream().sorted().toList(), seen, "leases go oldest first");
  }

  @Test
  @DisplayName("events whose job Redis lost are fed again, whether given back at once or their lease ran out, and done ones never")
  void lostJobsAreLeasedAgain() throws SQLException {
    List<Long> ranOut = inStream.subList(0, 10);
    update("UPDATE outbox SET notify_lease = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE id" + in(ranOut));
    Map<String, Long> before = handlerCounts();
    int released = update(NotificationSql.RELEASE_ALL);
    Map<String, Long> after = handlerCounts();
    assertEquals(IN_STREAM - ranOut.size(), released, "every event in the stream is given back");
    long rowsRead = rowsRead(before, after) - rowsRead(after, handlerCounts());
    assertTrue(rowsRead <= 2L * IN_STREAM, "giving back read " + rowsRead + " rows for " + IN_STREAM
        + ": it scans more than the leases");
    assertEquals(0, delta(before, after, "Sort_rows"), "giving back sorted rows");

    String token = "after-the-loss";
    java.time.LocalDateTime until = until(30);
    int leased = update(NotificationSql.LEASE_EVENTS, token, until, BACKLOG + IN_STREAM + 100);
    List<Long> ids = select(NotificationSql.LEASED, token, until, leased);
    assertEquals(BACKLOG + IN_STREAM, ids.size(), "every event not done is fed again");
    assertTrue(ids.containsAll(inStream), "every event whose job was in the stream is fed again");
    assertTrue(ids.stream().noneMatch(done::contains), "a done event is never fed again");
  }

  private java.time.LocalDateTime until(int seconds) throws SQLException {
    try (PreparedStatement s = prepare(NotificationSql.LEASE_UNTIL, seconds); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getObject(1, java.time.LocalDateTime.class);
    }
  }

  private static String in(List<Long> ids) {
    return " IN (" + ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")) + ")";
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
