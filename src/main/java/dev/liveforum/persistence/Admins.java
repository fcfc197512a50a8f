package dev.liveforum.persistence;

import dev.liveforum.config.Config;

/** The operator's way to make the first admin: a command run against the database, not an API. */
public final class Admins {
  private Admins() {}

  /**
   * Gives an existing account the admin role (takes effect at that user's next sign-in or refresh).
   * Blocking: for the command line. Returns how many accounts changed (0 or 1).
   */
  public static int makeAdmin(Config.Db db, String username) throws Exception {
    Database.migrateNow(db);
    return Database.update(db, AccountSql.MAKE_ADMIN, username);
  }
}
