package dev.liveforum.persistence;

/** SQL of the account aggregate: users and their refresh-token families. */
interface AccountSql {
  String INSERT_USER =
      "INSERT INTO users (username, email, password_hash, role, created_at, updated_at)"
          + " VALUES (?, ?, ?, 'user', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
  String USER_COLUMNS = "id, username, email, role, created_at";
  String USER_BY_ID = "SELECT " + USER_COLUMNS + " FROM users WHERE id = ?";
  /**
   * An email spelt exactly as given (normalised: auth/Emails): the column's accent- and case-blind
   * collation finds the row by uq_users_email, the byte comparison keeps "böb@…" from signing in as "bob@…".
   */
  String LOGIN_BY_EMAIL = "SELECT " + USER_COLUMNS + ", password_hash FROM users"
      + " WHERE email = ? AND CAST(email AS BINARY) = CAST(? AS BINARY)";
  String PASSWORD_BY_ID = "SELECT password_hash FROM users WHERE id = ?";
  String PASSWORD_BY_ID_FOR_UPDATE = PASSWORD_BY_ID + " FOR UPDATE";
  String UPDATE_USERNAME = "UPDATE users SET username = ? WHERE id = ?";
  String MAKE_ADMIN = "UPDATE users SET role = 'admin' WHERE username = ?";
  String UPDATE_PASSWORD = "UPDATE users SET password_hash = ? WHERE id = ?";

  String INSERT_TOKEN =
      "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)"
          + " VALUES (?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL ? DAY)";
  String TOKEN_BY_HASH =
      "SELECT id, family_id, user_id, replaced_at, revoked_at, expires_at < UTC_TIMESTAMP(3) AS expired"
          + " FROM refresh_tokens WHERE token_hash = ? FOR UPDATE";
  String MARK_REPLACED = "UPDATE refresh_tokens SET replaced_at = UTC_TIMESTAMP(3) WHERE id = ?";
  String REVOKE_FAMILY =
      "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP(3) WHERE family_id = ? AND revoked_at IS NULL";
  String REVOKE_OTHER_FAMILIES =
      "UPDATE refresh_tokens SET revoked_at = UTC_TIMESTAMP(3)"
          + " WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL";
  String FAMILY_BY_HASH = "SELECT family_id, user_id FROM refresh_tokens WHERE token_hash = ?";
  /** A session is live while one of its tokens is neither revoked nor expired (ix_refresh_tokens_family). */
  String LIVE_SESSION_ROLE =
      "SELECT u.role FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
          + " WHERE t.family_id = ? AND t.user_id = ? AND t.revoked_at IS NULL AND t.expires_at > UTC_TIMESTAMP(3)"
          + " LIMIT 1";
}
