package dev.liveforum.persistence;

import dev.liveforum.config.Config;
import dev.liveforum.support.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Upgrading a database that already has notifications: V7 must start each user's kept unread count at
 * the number of their unread notifications, or every badge would be wrong after the upgrade.
 */
@DisplayName("The V7 migration counts the unread notifications a database already has")
class UnreadCountsMigrationTest {

  @Test
  @DisplayName("after upgrading from V6, each user's kept count is their unread notifications; nobody else gets a row")
  void backfillsFromTheRows() throws Exception {
    Config.Db base = TestServices.config().db();
    Database.Address at = Database.Address.parse(base.url());
    Config.Db db = new Config.Db("mysql://" + at.host() + ":" + at.port() + "/" + at.database() + "_v7",
        base.user(), base.password(), 1);
    Database.createIfMissing(db);
    try {
      Database.Address a = Database.Address.parse(db.url());
      Flyway.configure().dataSource(a.jdbcUrl(true), db.user(), db.password())
          .locations("classpath:db/migration").target("6").load().migrate();
      try (Connection c = DriverManager.getConnection(a.jdbcUrl(true), db.user(), db.password());
           Statement s = c.createStatement()) {
        s.execute("INSERT INTO users (id, username, email, password_hash) VALUES"
            + " (1, 'ann', 'ann@example.com', REPEAT('x', 60)), (2, 'ben', 'ben@example.com', REPEAT('x', 60)),"
            + " (3, 'cat', 'cat@example.com', REPEAT('x', 60))");
        s.execute("INSERT INTO boards (id, name, created_at, updated_at) VALUES (100, 'b', NOW(3), NOW(3))");
        s.execute("INSERT INTO posts (id, board_id, author_id, title, content, content_html, created_at, updated_at)"
            + " VALUES (1, 100, 1, 't', 'c', '<p>c</p>', NOW(3), NOW(3))");
        // ann: two unread and one read; ben: one unread; cat: only a read one.
        s.execute("INSERT INTO notifications (user_id, type, actor_id, post_id, created_at, updated_at, read_at) VALUES"
            + " (1, 'comment', 2, 1, NOW(3), NOW(3), NULL), (1, 'comment', 3, 1, NOW(3), NOW(3), NULL),"
            + " (1, 'comment', 2, 1, NOW(3), NOW(3), NOW(3)), (2, 'mention', 1, 1, NOW(3), NOW(3), NULL),"
            + " (3, 'mention', 1, 1, NOW(3), NOW(3), NOW(3))");
      }
      Database.migrateNow(db);
      Map<Long, Long> counts = new HashMap<>();
      try (Connection c = DriverManager.getConnection(a.jdbcUrl(true), db.user(), db.password());
           Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT user_id, unread FROM notification_counts")) {
        while (rs.next()) {
          counts.put(rs.getLong(1), rs.getLong(2));
        }
      }
      assertEquals(Map.of(1L, 2L, 2L, 1L), counts);
    } finally {
      Database.drop(db);
    }
  }
}
