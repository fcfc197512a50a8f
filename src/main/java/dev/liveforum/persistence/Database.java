package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBatchException;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** Connecting to MariaDB/MySQL: the reactive pool for requests, JDBC only for schema work. */
public final class Database {
  public static final int DUPLICATE_KEY = 1062;
  static final int NO_SUCH_TABLE = 1146;
  private static final int NO_RIGHTS_ON_DATABASE = 1044;
  private static final int ACCESS_DENIED = 1045;
  private static final int UNKNOWN_DATABASE = 1049;

  private Database() {}

  /** {@code mysql://host:port/database} split into its parts. */
  public record Address(String host, int port, String database) {
    public static Address parse(String url) {
      MySQLConnectOptions o = MySQLConnectOptions.fromUri(url.replaceFirst("^mariadb://", "mysql://"));
      return new Address(o.getHost(), o.getPort(), o.getDatabase());
    }

    String jdbcUrl(boolean withDatabase) {
      return "jdbc:mariadb://" + host + ":" + port + "/" + (withDatabase ? database : "")
          + "?connectTimeout=5000&sslMode=disable";
    }
  }

  public static Pool pool(Vertx vertx, Config.Db db) {
    Address a = Address.parse(db.url());
    MySQLConnectOptions connect = new MySQLConnectOptions()
        .setHost(a.host()).setPort(a.port()).setDatabase(a.database())
        .setUser(db.user()).setPassword(db.password())
        .setCharset("utf8mb4").setCollation("utf8mb4_unicode_ci")
        .setCachePreparedStatements(true);
    PoolOptions pool = new PoolOptions().setMaxSize(db.poolSize()).setConnectionTimeout(5)
        .setMaxWaitQueueSize(1000);
    return MySQLBuilder.pool().with(pool).with(new NetClientOptions().setConnectTimeout(3000))
        .connectingTo(connect).using(vertx).build();
  }

  /** Applies the versioned migrations in {@code db/migration}; Flyway is JDBC, so it runs on a worker. */
  public static Future<Integer> migrate(Vertx vertx, Config.Db db) {
    return vertx.executeBlocking(() -> migrateNow(db));
  }

  /** Blocking form of {@link #migrate(Vertx, Config.Db)}, for command-line tools. */
  public static int migrateNow(Config.Db db) {
    // Logged in first, so that a login Flyway could not make is one line rather than its dump.
    requireLogin(db);
    return Flyway.configure()
        .dataSource(Address.parse(db.url()).jdbcUrl(true), db.user(), db.password())
        .locations("classpath:db/migration")
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * A JDBC connection to the database. A server that cannot be reached or refuses the login is a
   * {@link Config.ConfigException} naming the settings to check. Blocking: start-up code and tools only.
   */
  public static Connection connect(Config.Db db) {
    Address a = Address.parse(db.url());
    try {
      return DriverManager.getConnection(a.jdbcUrl(true), db.user(), db.password());
    } catch (SQLException e) {
      String where = a.host() + ":" + a.port();
      String why = reason(e);
      throw new Config.ConfigException(switch (e.getErrorCode()) {
        case ACCESS_DENIED -> "The database at " + where + " refused the login of '" + db.user() + "' (" + why
            + "): check " + Setting.DB_PASSWORD.named() + " and " + Setting.DB_USER.named();
        case NO_RIGHTS_ON_DATABASE -> "The database user '" + db.user() + "' may not use the database '"
            + a.database() + "' at " + where + ": grant it, or check " + Setting.DB_USER.named();
        case UNKNOWN_DATABASE -> "The database server at " + where + " has no database '" + a.database()
            + "': create it, or check " + Setting.DB_URL.named();
        default -> "Cannot reach the database at " + where + " (" + why + "): check " + Setting.DB_URL.named()
            + " and that the server runs";
      });
    }
  }

  /** Logs in and out: {@link #connect}'s check alone. Blocking. */
  private static void requireLogin(Config.Db db) {
    try {
      connect(db).close();
    } catch (SQLException closing) {
      // logged in: the check is made
    }
  }

  /** What the server or the network said, without the driver's connection number and address dump. */
  private static String reason(SQLException e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String message = root != e && root.getMessage() != null ? root.getMessage() : String.valueOf(e.getMessage());
    return message.replaceFirst("^\\(conn=\\d+\\) ", "");
  }

  /**
   * Creates the database named in the URL if the server lacks it (embedded servers and test runs).
   * Blocking: for start-up code only, never an event loop.
   */
  public static void createIfMissing(Config.Db db) throws SQLException {
    Address a = Address.parse(db.url());
    try (Connection c = DriverManager.getConnection(a.jdbcUrl(false), db.user(), db.password());
         Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS `" + a.database()
          + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    }
  }

  /** Drops the database named in the URL (test clean-up). Blocking. */
  public static void drop(Config.Db db) throws SQLException {
    Address a = Address.parse(db.url());
    try (Connection c = DriverManager.getConnection(a.jdbcUrl(false), db.user(), db.password());
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + a.database() + "`");
    }
  }

  /** Runs one update statement over JDBC (command-line tools). Blocking. */
  static int update(Config.Db db, String sql, Object... params) throws SQLException {
    try (Connection c = connect(db); var s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      return s.executeUpdate();
    }
  }

  /**
   * Failures the user can act on pass through; an SQL error is a bug (500); anything else means the
   * database could not be reached in time, which the edge reports as 503.
   */
  public static <T> Future<T> classify(Throwable failure) {
    Throwable t = cause(failure);
    if (t instanceof ReplyException || t instanceof DatabaseException) {
      return Future.failedFuture(t);
    }
    if (t instanceof RuntimeException && !(t instanceof io.vertx.core.VertxException)) {
      return Future.failedFuture(t);
    }
    return Future.failedFuture(Failure.unavailable("the database is unavailable; try again shortly"));
  }

  /**
   * What went wrong: a batch ({@code executeBatch}) reports the error of its first failed statement
   * (a deadlock, a duplicate key…) wrapped in an exception of its own, which says nothing by itself.
   */
  static Throwable cause(Throwable t) {
    if (t instanceof MySQLBatchException batch && !batch.getIterationError().isEmpty()) {
      return batch.getIterationError().entrySet().stream().min(Map.Entry.comparingByKey()).orElseThrow().getValue();
    }
    return t;
  }

  public static boolean isDuplicate(Throwable t, String constraint) {
    return t instanceof DatabaseException e && e.getErrorCode() == DUPLICATE_KEY
        && e.getMessage() != null && e.getMessage().contains(constraint);
  }

  /** DATETIME columns hold UTC; the API speaks ISO-8601 with a Z. */
  public static String iso(LocalDateTime utc) {
    return utc == null ? null : utc.toInstant(ZoneOffset.UTC).toString();
  }

  /**
   * Runs {@code work} on one connection at READ COMMITTED: its first statement, if {@code transaction},
   * opens a transaction that commits when {@code work} succeeds. For the outbox's claimers: at the default
   * REPEATABLE READ a locking scan of the pending rows also locks the gap after them, so every writer's
   * outbox INSERT would wait for the claimer's commit; at READ COMMITTED only the rows found are locked.
   */
  static <T> Future<T> readCommitted(Pool pool, boolean transaction,
                                     java.util.function.Function<io.vertx.sqlclient.SqlConnection, Future<T>> work) {
    return Transactions.retryingDeadlocks(() -> pool.withConnection(conn -> conn
        .query("SET TRANSACTION ISOLATION LEVEL READ COMMITTED").execute()
        .compose(v -> !transaction ? work.apply(conn) : conn.begin().compose(tx -> work.apply(conn)
            .compose(result -> tx.commit().map(result),
                t -> tx.rollback().transform(ignored -> Future.<T>failedFuture(t)))))));
  }
}
