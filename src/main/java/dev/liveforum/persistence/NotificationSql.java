package dev.liveforum.persistence;

/** SQL of notifications and of feeding outbox events to the notification job queue. */
interface NotificationSql {
  /**
   * Leases a batch of events not yet fed to feeder {@code ?} for {@code ?} seconds. An UPDATE, not a
   * SELECT … SKIP LOCKED: the relay holds its rows locked while it publishes them, and a feeder woken by
   * that publication should wait the moment until the relay commits rather than skip them. Ordered by
   * the whole index (notified_at, id), not by id alone: with {@code ORDER BY id} MariaDB reads and locks
   * every pending row and sorts them, so a backlog made each pass slower and the backlog longer.
   */
  String LEASE_EVENTS = "UPDATE outbox SET notify_token = ?, notify_lease = UTC_TIMESTAMP(3) + INTERVAL ? SECOND"
      + " WHERE notified_at IS NULL AND (notify_lease IS NULL OR notify_lease < UTC_TIMESTAMP(3))"
      + " ORDER BY notified_at, id LIMIT ?";
  /**
   * The rows feeder {@code ?} just leased ({@code ?} of them). With the limit the scan of the pending
   * rows stops at the last of them: they are among the first, behind only other feeders' leases. (Here
   * it is {@code ORDER BY id} that follows the index; {@code ORDER BY notified_at, id} sorts them all.)
   */
  String LEASED = "SELECT id, payload FROM outbox WHERE notified_at IS NULL AND notify_token = ?"
      + " ORDER BY id LIMIT ?";
  /** Followed by {@code IN (…)}: the rows fed, marked in one statement. */
  String FED = "UPDATE outbox SET notified_at = UTC_TIMESTAMP(3), notify_lease = NULL WHERE id";

  String JOB_ONCE = "INSERT IGNORE INTO notification_jobs (event_id, applied_at) VALUES (?, UTC_TIMESTAMP(3))";
  String ONCE = "INSERT IGNORE INTO notification_once (user_id, once_key) VALUES (?, ?)";
  String POST_EXISTS = "SELECT id FROM posts WHERE id = ? LOCK IN SHARE MODE";
  String COMMENT_EXISTS = "SELECT id FROM comments WHERE id = ? LOCK IN SHARE MODE";
  String USERS_NAMED = "SELECT id FROM users WHERE username IN (%s)";
  String INSERT = "INSERT INTO notifications (user_id, type, actor_id, post_id, comment_id, target_type, target_id,"
      + " excerpt, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
  /** An unread like notification of the same target, recent enough to join. */
  String LIKE_GROUP = "SELECT id FROM notifications WHERE user_id = ? AND type = 'like' AND target_type = ?"
      + " AND target_id = ? AND read_at IS NULL AND updated_at > UTC_TIMESTAMP(3) - INTERVAL ? SECOND"
      + " ORDER BY id DESC LIMIT 1 FOR UPDATE";
  String JOIN_GROUP = "UPDATE notifications SET actor_id = ?, actor_count = actor_count + 1,"
      + " updated_at = UTC_TIMESTAMP(3) WHERE id = ?";

  String COLUMNS = "SELECT n.id, n.user_id, n.type, n.actor_id, u.username AS actor_name, n.actor_count, n.post_id,"
      + " p.title AS post_title, n.comment_id, n.target_type, n.target_id, n.excerpt, n.created_at, n.updated_at,"
      + " n.read_at FROM notifications n JOIN users u ON u.id = n.actor_id JOIN posts p ON p.id = n.post_id";
  String BY_ID = COLUMNS + " WHERE n.id = ?";
  String LIST = COLUMNS + " WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?";
  String LIST_UNREAD = COLUMNS + " WHERE n.user_id = ? AND n.read_at IS NULL AND n.id < ? ORDER BY n.id DESC LIMIT ?";
  /** A user's unread count (no row: none). */
  String UNREAD_COUNT = "SELECT unread AS n FROM notification_counts WHERE user_id = ?";
  /**
   * One more unread notification for user {@code ?}. The new count comes back as the statement's insert
   * id (LAST_INSERT_ID(expr)), so counting costs no second statement.
   */
  String UNREAD_ADD = "INSERT INTO notification_counts (user_id, unread) VALUES (?, LAST_INSERT_ID(1))"
      + " ON DUPLICATE KEY UPDATE unread = LAST_INSERT_ID(unread + 1)";
  /** One unread notification fewer for user {@code ?}; the new count comes back as the insert id. */
  String UNREAD_SUBTRACT_ONE = "UPDATE notification_counts SET unread = LAST_INSERT_ID(GREATEST(unread, 1) - 1)"
      + " WHERE user_id = ?";
  String UNREAD_NONE = "UPDATE notification_counts SET unread = 0 WHERE user_id = ?";
  /** Locks a post's unread notifications, which its delete takes with it, and counts them per user. */
  String UNREAD_ON_POST = "SELECT user_id, COUNT(*) AS n FROM notifications WHERE post_id = ? AND read_at IS NULL"
      + " GROUP BY user_id FOR UPDATE";
  /** Followed by {@code CASE user_id WHEN ? THEN ? … END WHERE user_id IN (…)}: subtracts each user's count. */
  String UNREAD_SUBTRACT = "UPDATE notification_counts SET unread = unread - LEAST(unread, ";
  String OWNER = "SELECT user_id, read_at FROM notifications WHERE id = ?";
  String READ_ONE = "UPDATE notifications SET read_at = UTC_TIMESTAMP(3) WHERE id = ? AND user_id = ? AND read_at IS NULL";
  String READ_ALL = "UPDATE notifications SET read_at = UTC_TIMESTAMP(3) WHERE user_id = ? AND read_at IS NULL";
  String PURGE_JOBS = "DELETE FROM notification_jobs WHERE applied_at < UTC_TIMESTAMP(3) - INTERVAL 30 DAY LIMIT 10000";
}
