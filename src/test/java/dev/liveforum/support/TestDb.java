package dev.liveforum.support;

import dev.liveforum.launch.Config;
import dev.liveforum.persistence.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Looks at the test run's database directly, to check what a request left behind. */
public final class TestDb {
  private TestDb() {}

  public static long count(String sql, Object... params) {
    return count(TestServices.config().db(), sql, params);
  }

  /** The first column of the first row of {@code sql} on {@code db} (a count or a sum). */
  public static long count(Config.Db db, String sql, Object... params) {
    Database.Address a = Database.Address.parse(db.url());
    String url = "jdbc:mariadb://" + a.host() + ":" + a.port() + "/" + a.database();
    try (Connection c = DriverManager.getConnection(url, db.user(), db.password());
         PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
