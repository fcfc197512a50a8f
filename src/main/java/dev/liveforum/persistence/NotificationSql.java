package dev.liveforum.persistence;

/** SQL of notifications and of feeding outbox events to the notification job queue until they are done. */
interface NotificationSql {
  /** When a lease of {@code ?} seconds taken now runs out, by the database's clock (as the leases compare). */
  String LEASE_UNTIL = "SELECT UTC_TIMESTAMP(3) + INTERVAL ? SECOND AS until";
  /**
   * Leases a batch of events whose notifications are not done to feeder {@code ?} until {@code ?}: events
   * never fed (no lease) and events fed whose job was not done in time (the lease ran out: Redis lost the
   * job, or a feeder died). An UPDATE, not a SELECT … SKIP LOCKED: the relay holds its rows locked while
   * it publishes them, and a feeder woken by that publication should wait the moment until the relay
   * commits rather than skip them. Ordered by the whole index (notified_at, notify_lease, id), which makes
   * the rows it may take one range at the start: with {@code ORDER BY id} MariaDB reads and locks every
   * pending row and sorts them, so a backlog made each pass slower and the backlog longer.
   */
  String LEASE_EVENTS = "UPDATE outbox SET notify_token = ?, notify_lease = ?"
      + " WHERE notified_at IS NULL AND (notify_lease IS NULL OR notify_lease < UTC_TIMESTAMP(3))"
      + " ORDER BY notified_at, notify_lease, id LIMIT ?";
  /**
   * The rows feeder {@code ?} just leased until {@code ?} ({@code ?} of them): one key of the index, so
   * the scan reads only them (and any other feeder's leased to the same millisecond), not the jobs
   * waiting in the stream or the backlog.
   */
  String LEASED = "SELECT id, payload FROM outbox WHERE notified_at IS NULL AND notify_token = ? AND notify_lease = ?"
      + " ORDER BY id LIMIT ?";
  /**
   * Followed by {@code IN (…)}: events whose jobs are in the stream now, leased for {@code ?} seconds
   * more, as long as a job may wait there and be retried. (A feeder leases for a short time first, so
   * events it leased and never fed, because it died or its request to lease timed out, come back soon.)
   */
  String FED = "UPDATE outbox SET notify_lease = UTC_TIMESTAMP(3) + INTERVAL ? SECOND WHERE notified_at IS NULL AND id";
  /**
   * Followed by {@code IN (…)} of event ids: their notifications are made (in the transaction that made
   * them), or they need none, or their job was given up (dead-lettered).
   */
  String DONE = "UPDATE outbox SET notified_at = UTC_TIMESTAMP(3) WHERE notified_at IS NULL AND event_id";
  /** Followed by {@code IN (…)}: leases given back by a feeder that could not hand the events to Redis. */
  String RELEASE = "UPDATE outbox SET notify_lease = NULL WHERE notified_at IS NULL AND id";
  /**
   * Every event in the job stream is to be fed again: the stream was lost (Redis began anew). Reads the
   * leases that have not run out, a range of the index; without the hint MariaDB reads the whole table
   * once a fifth of it is in that range (10,001 rows to give back 2,000).
   */
  String RELEASE_ALL = "UPDATE outbox FORCE INDEX (ix_outbox_notify) SET notify_lease = NULL"
      + " WHERE notified_at IS NULL AND notify_lease > UTC_TIMESTAMP(3)";

  String JOB_ONCE = "INSERT IGNORE INTO notification_jobs (event_id, applied_at) VALUES (?, UTC_TIMESTAMP(3))";
  String ONCE = "INSERT IGNORE INTO notification_once (user_id, once_key) VALUES (?, ?)";
  /**
   * Not a locking read: the post's row is locked for update by every like and comment batch on it, and a
   * shared lock held here for the rest of a job's transaction made those batches and the notification
   * transactions wait for each other. A post deleted meanwhile is still noticed: a new notification's
   * foreign key waits for the delete and fails, and a joined group's row is locked by the update before
   * the delete counts it.
   */
  String POST_EXISTS = "SELECT id FROM posts WHERE id = ?";
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
