package dev.liveforum.support;

import dev.liveforum.config.Config;
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
    try (Connection c = connect(db); PreparedStatement s = prepare(c, sql, params); ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of the first row of {@code sql} as text, null when there is no row. */
  public static String text(String sql, Object... params) {
    try (Connection c = connect(TestServices.config().db()); PreparedStatement s = prepare(c, sql, params);
         ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first column of every row of {@code sql}, as numbers (ids). */
  public static java.util.List<Long> longs(String sql, Object... params) {
    try (Connection c = connect(TestServices.config().db()); PreparedStatement s = prepare(c, sql, params);
         ResultSet rs = s.executeQuery()) {
      java.util.List<Long> out = new java.util.ArrayList<>();
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes test data the API has no way to write (yet); returns the rows changed. */
  public static int update(String sql, Object... params) {
    try (Connection c = connect(TestServices.config().db()); PreparedStatement s = prepare(c, sql, params)) {
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A connection of the test's own to the run's database, e.g. to hold a lock while something runs. */
  public static Connection connection() throws SQLException {
    return connect(TestServices.config().db());
  }

  /** A connection to the database {@code db}, e.g. to load many rows at once. */
  public static Connection connect(Config.Db db) throws SQLException {
    Database.Address a = Database.Address.parse(db.url());
    return DriverManager.getConnection("jdbc:mariadb://" + a.host() + ":" + a.port() + "/" + a.database(),
        db.user(), db.password());
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      s.setObject(i + 1, params[i]);
    }
    return s;
  }
}
