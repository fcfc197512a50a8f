package dev.liveforum.persistence;

import dev.liveforum.auth.Emails;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.UserEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Accounts and sessions. The HTTP edge has already validated the request against the OpenAPI
 * document; the rules are checked again here because the bus is an interface of its own.
 */
final class AccountService {
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{3,30}");
  private static final String BAD_LOGIN = "email or password is incorrect";
  private static final String BAD_REFRESH = "refresh token is not valid; sign in again";

  private final Pool pool;
  private final Passwords passwords;
  private final int refreshTtlDays;
  private final Runnable afterCommit;
  private final Consumer<JsonObject> sessionsEnded;

  /** @param sessionsEnded told after commit which sessions ended (see {@link Address#SESSIONS_ENDED}) */
  AccountService(Pool pool, Passwords passwords, int refreshTtlDays, Runnable afterCommit,
                 Consumer<JsonObject> sessionsEnded) {
    this.pool = pool;
    this.passwords = passwords;
    this.refreshTtlDays = refreshTtlDays;
    this.afterCommit = afterCommit;
    this.sessionsEnded = sessionsEnded;
  }

  /**
   * Creates an account. Its password is hashed before anything is written; a registration that waited for
   * bcrypt until its asker would no longer hear the answer is refused with 503 and writes nothing.
   */
  Future<JsonObject> register(JsonObject body) {
    Deadline deadline = Deadline.of(body);
    String username = body.getString(Field.USERNAME, "");
    String email = Emails.normalise(body.getString(Field.EMAIL, ""));
    String password = body.getString(Field.PASSWORD, "");
    checkUsername(username);
    if (!Emails.valid(email)) {
      throw Failure.badRequest("email is not a valid address");
    }
    checkPassword(password, Field.PASSWORD);
    return newHash(password, deadline)
        .compose(hash -> IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(AccountSql.INSERT_USER)
            .execute(Tuple.of(username, email, hash))
            .compose(rows -> userById(tx, rows.property(MySQLClient.LAST_INSERTED_ID)))
            .map(AccountService::publicUser)
            .compose(user -> Outbox.record(tx, body, new UserEvents.Created(user.getLong(Field.ID),
                user.getString(Field.USERNAME), user.getString(Field.CREATED_AT))).map(user))))
        .onSuccess(ok -> afterCommit.run())
        .recover(t -> Database.isDuplicate(t, "uq_users_username")
            ? Future.failedFuture(Failure.conflict("username '" + username + "' is already taken"))
            : Database.isDuplicate(t, "uq_users_email")
            ? Future.failedFuture(Failure.conflict("an account with this email already exists"))
            : Database.classify(t));
  }

  /** Checks the password and starts a new session (refresh-token family). */
  Future<JsonObject> login(JsonObject body) {
    String email = Emails.normalise(body.getString(Field.EMAIL, ""));
    String password = body.getString(Field.PASSWORD, "");
    return pool.preparedQuery(AccountSql.LOGIN_BY_EMAIL).execute(Tuple.of(email, email))
        .compose(rows -> {
          Row row = Rows.first(rows);
          return passwords.verify(password, row == null ? null : row.getString("password_hash"))
              .compose(ok -> ok ? Future.succeededFuture(row) : Future.failedFuture(Failure.unauthorized(BAD_LOGIN)));
        })
        .compose(row -> {
          String family = UUID.randomUUID().toString();
          return issueToken(pool, row.getLong("id"), family).map(token -> session(row, token, family));
        })
        .recover(Database::classify);
  }

  /**
   * Rotates a refresh token. A token that was already rotated is being replayed, by its owner's
   * client or by a thief, and nobody can tell which: the whole family is revoked.
   */
  Future<JsonObject> refresh(JsonObject body) {
    var hash = RefreshTokens.hash(body.getString(Field.REFRESH_TOKEN, ""));
    return pool.withTransaction(conn -> conn.preparedQuery(AccountSql.TOKEN_BY_HASH).execute(Tuple.of(hash))
            .<Object>compose(rows -> {
              Row token = Rows.first(rows);
              if (token == null || token.getValue("revoked_at") != null || token.getBoolean("expired")) {
                return Future.succeededFuture(Failure.unauthorized(BAD_REFRESH));
              }
              String family = token.getString("family_id");
              if (token.getValue("replaced_at") != null) {
                return conn.preparedQuery(AccountSql.REVOKE_FAMILY).execute(Tuple.of(family))
                    .map(r -> (Object) Failure.unauthorized(
                        "refresh token was already used; every session it belonged to has been signed out"));
              }
              long userId = token.getLong("user_id");
              return conn.preparedQuery(AccountSql.MARK_REPLACED).execute(Tuple.of(token.getLong("id")))
                  .compose(r -> issueToken(conn, userId, family))
                  .compose(next -> userById(conn, userId).map(user -> (Object) session(user, next, family)));
            }))
        // A reuse verdict is returned rather than failed so that the revocation above commits.
        .compose(result -> result instanceof JsonObject session ? Future.succeededFuture(session)
            : Future.<JsonObject>failedFuture((Throwable) result))
        .recover(Database::classify);
  }

  /** Logout: revokes the session the token belongs to. Unknown tokens are ignored: logout is idempotent. */
  Future<JsonObject> revoke(JsonObject body) {
    var hash = RefreshTokens.hash(body.getString(Field.REFRESH_TOKEN, ""));
    return pool.withTransaction(conn -> conn.preparedQuery(AccountSql.FAMILY_BY_HASH).execute(Tuple.of(hash))
            .compose(rows -> {
              Row row = Rows.first(rows);
              return row == null ? Future.<JsonObject>succeededFuture()
                  : conn.preparedQuery(AccountSql.REVOKE_FAMILY).execute(Tuple.of(row.getString("family_id")))
                  .map(r -> new JsonObject().put(Field.USER_ID, row.getLong("user_id"))
                      .put(Field.SESSION_ID, row.getString("family_id")));
            }))
        .onSuccess(ended -> {
          if (ended != null) {
            sessionsEnded.accept(ended);
          }
        })
        .map(v -> new JsonObject())
        .recover(Database::classify);
  }

  /** The role of the account whose access token names this session, while the session is signed in. */
  Future<JsonObject> checkSession(JsonObject body) {
    Long userId = body.getLong(Field.USER_ID);
    String sessionId = body.getString(Field.SESSION_ID);
    if (userId == null || sessionId == null) {
      throw Failure.badRequest("userId and sessionId are required");
    }
    return pool.preparedQuery(AccountSql.LIVE_SESSION_ROLE).execute(Tuple.of(sessionId, userId))
        .compose(rows -> {
          Row row = Rows.first(rows);
          return row == null ? Future.<JsonObject>failedFuture(Failure.unauthorized("this session has ended; sign in again"))
              : Future.succeededFuture(new JsonObject().put(Field.ROLE, row.getString("role")));
        })
        .recover(Database::classify);
  }

  Future<JsonObject> get(JsonObject body) {
    return userById(pool, body.getLong(Field.USER_ID)).map(AccountService::me).recover(Database::classify);
  }

  /**
   * Changes the caller's username and/or password. A new password needs the current one, and signs
   * out every other session of the account (the caller's own, {@code sessionId}, stays). The current
   * password is checked before the new one is hashed (a wrong guess costs one bcrypt, not two), and
   * bcrypt runs outside the transaction: the hash it checked is compared again under the row lock.
   */
  Future<JsonObject> update(JsonObject body) {
    Deadline deadline = Deadline.of(body);
    long userId = body.getLong(Field.USER_ID);
    String username = body.getString(Field.USERNAME);
    String password = body.getString(Field.PASSWORD);
    String current = body.getString(Field.CURRENT_PASSWORD);
    if (username == null && password == null) {
      throw Failure.badRequest("nothing to change: give a new username or password");
    }
    if (username != null) {
      checkUsername(username);
    }
    if (password != null) {
      checkPassword(password, Field.PASSWORD);
      if (current == null) {
        throw Failure.badRequest("currentPassword is required to change the password");
      }
    }
    String session = body.getString(Field.SESSION_ID, "");
    return checkCurrent(userId, current)
        .compose(checked -> (password == null ? Future.<String>succeededFuture() : newHash(password, deadline))
            .compose(hash -> pool.withTransaction(conn -> unchanged(conn, userId, checked)
                .compose(v -> change(conn, userId, username, hash, session)))))
        .onSuccess(ok -> {
          if (password != null) {
            sessionsEnded.accept(new JsonObject().put(Field.USER_ID, userId)
                .put(Field.KEPT_SESSION_ID, session));
          }
        })
        .map(AccountService::me)
        .recover(t -> Database.isDuplicate(t, "uq_users_username")
            ? Future.failedFuture(Failure.conflict("username '" + username + "' is already taken"))
            : Database.classify(t));
  }

  /** Sets what is given (null: unchanged); a new password hash signs out every session but {@code kept}. */
  private static Future<Row> change(SqlConnection conn, long userId, String username, String hash, String kept) {
    return (username == null ? Future.succeededFuture()
            : conn.preparedQuery(AccountSql.UPDATE_USERNAME).execute(Tuple.of(username, userId)))
        .compose(v -> hash == null ? Future.succeededFuture()
            : conn.preparedQuery(AccountSql.UPDATE_PASSWORD).execute(Tuple.of(hash, userId))
                .compose(r -> conn.preparedQuery(AccountSql.REVOKE_OTHER_FAMILIES).execute(Tuple.of(userId, kept))))
        .compose(v -> userById(conn, userId));
  }

  /** A new password's hash, made in time for {@code deadline} or refused with 503 (nothing is written then). */
  private Future<String> newHash(String password, Deadline deadline) {
    return passwords.hash(password, deadline).compose(deadline::then);
  }

  /** The stored hash {@code current} matches (null when no current password is given); 403 when it does not. */
  private Future<String> checkCurrent(long userId, String current) {
    if (current == null) {
      return Future.succeededFuture();
    }
    return passwordHash(pool, userId, AccountSql.PASSWORD_BY_ID)
        .compose(stored -> passwords.verify(current, stored)
            .compose(ok -> ok ? Future.succeededFuture(stored)
                : Future.failedFuture(Failure.forbidden("currentPassword is incorrect"))));
  }

  /** Locks the account's row; fails if its password is no longer the one checked (null: none was). */
  private Future<Void> unchanged(SqlConnection conn, long userId, String checked) {
    return passwordHash(conn, userId, AccountSql.PASSWORD_BY_ID_FOR_UPDATE)
        .compose(stored -> checked == null || checked.equals(stored) ? Future.<Void>succeededFuture()
            : Future.failedFuture(Failure.conflict("the password was changed meanwhile; nothing was changed")));
  }

  private static Future<String> passwordHash(io.vertx.sqlclient.SqlClient client, long userId, String sql) {
    return client.preparedQuery(sql).execute(Tuple.of(userId)).compose(rows -> {
      Row row = Rows.first(rows);
      return row == null ? Future.failedFuture(Failure.notFound("this account no longer exists"))
          : Future.succeededFuture(row.getString("password_hash"));
    });
  }

  private Future<String> issueToken(io.vertx.sqlclient.SqlClient client, long userId, String family) {
    String token = RefreshTokens.newToken();
    return client.preparedQuery(AccountSql.INSERT_TOKEN)
        .execute(Tuple.of(RefreshTokens.hash(token), family, userId, refreshTtlDays))
        .map(r -> token);
  }

  private static Future<Row> userById(io.vertx.sqlclient.SqlClient client, Long id) {
    if (id == null) {
      return Future.failedFuture(Failure.badRequest("userId is required"));
    }
    return client.preparedQuery(AccountSql.USER_BY_ID).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "user " + id));
  }

  private static JsonObject session(Row user, String refreshToken, String family) {
    return new JsonObject()
        .put(Field.USER, me(user))
        .put(Field.REFRESH_TOKEN, refreshToken)
        .put(Field.SESSION_ID, family);
  }

  static JsonObject publicUser(Row row) {
    return new JsonObject()
        .put(Field.ID, row.getLong("id"))
        .put(Field.USERNAME, row.getString("username"))
        .put(Field.ROLE, row.getString("role"))
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")));
  }

  /** The signed-in user's own view: the public profile plus their email. */
  static JsonObject me(Row row) {
    return publicUser(row).put(Field.EMAIL, row.getString("email"));
  }

  private static void checkUsername(String username) {
    if (!USERNAME.matcher(username).matches()) {
      throw Failure.badRequest("username must be 3 to 30 letters, digits or underscores");
    }
  }

  private static void checkPassword(String password, String field) {
    int bytes = password.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 8 || bytes > Passwords.MAX_BYTES) {
      throw Failure.badRequest(field + " must be 8 to " + Passwords.MAX_BYTES + " bytes long in UTF-8, not " + bytes);
    }
  }
}
