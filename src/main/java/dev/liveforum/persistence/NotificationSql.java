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

  /** Followed by {@code IN (…)}: which of some events were applied before. */
  String JOBS_SEEN = "SELECT event_id FROM notification_jobs WHERE event_id";
  /** Followed by {@link #JOB_ROW} per event: applied now (each event is applied once). */
  String JOBS_ADD = "INSERT IGNORE INTO notification_jobs (event_id, applied_at) VALUES";
  String JOB_ROW = "(?, UTC_TIMESTAMP(3))";
  /**
   * Followed by {@link #ONCE_ONE} per rule, joined with OR (ranges of the primary key): which of some
   * things users are told about at most once they were told about.
   */
  String ONCE_SEEN = "SELECT user_id, once_key FROM notification_once WHERE ";
  String ONCE_ONE = "(user_id = ? AND once_key = ?)";
  String ONCE_ADD = "INSERT IGNORE INTO notification_once (user_id, once_key) VALUES";
  String ONCE_ROW = "(?, ?)";
  /** Followed by {@code IN (…)}: the posts of some jobs that are still there (not a locking read: see NotificationBatch). */
  String POSTS = "SELECT id FROM posts WHERE id";
  /** Followed by {@code IN (…)}: the comments of some tells that are still there. */
  String COMMENTS = "SELECT id FROM comments WHERE id";
  /** Followed by {@code IN (…)} of names: the users of some @mentions (the collation ignores case). */
  String USERS_NAMED = "SELECT id, username FROM users WHERE username";
  /**
   * Followed by {@link #ROW} per notification. actor_count is more than 1 for a like group that a batch
   * made and joined at once.
   */
  String INSERT = "INSERT INTO notifications (user_id, type, actor_id, actor_count, post_id, comment_id, target_type,"
      + " target_id, excerpt, created_at, updated_at) VALUES";
  String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
  /**
   * Unread like notifications recent enough to join, for a window of {@code ?} seconds: followed by
   * {@link #LIKE_GROUP_ONE} per recipient and target, joined with OR, then {@code ) FOR UPDATE}. The
   * index is named: on a small table EXPLAIN chose ix_notifications_user, which would read and lock
   * every notification of each recipient rather than the groups' own ranges.
   */
  String LIKE_GROUPS = "SELECT id, user_id, target_type, target_id FROM notifications FORCE INDEX (ix_notifications_group)"
      + " WHERE updated_at > UTC_TIMESTAMP(3) - INTERVAL ? SECOND AND (";
  String LIKE_GROUP_ONE = "(user_id = ? AND type = 'like' AND target_type = ? AND target_id = ? AND read_at IS NULL)";
  /**
   * Joins like groups: {@code WHEN ? THEN ?} (id, latest actor) per group, {@link #JOIN_COUNT}, {@code WHEN ? THEN ?}
   * (id, actors added) per group, {@link #JOIN_REST}, then {@code IN (…)} of their ids.
   */
  String JOIN_ACTOR = "UPDATE notifications SET actor_id = CASE id";
  String JOIN_COUNT = " END, actor_count = actor_count + CASE id";
  String JOIN_REST = " END, updated_at = UTC_TIMESTAMP(3) WHERE id";

  String COLUMNS = "SELECT n.id, n.user_id, n.type, n.actor_id, u.username AS actor_name, n.actor_count, n.post_id,"
      + " p.title AS post_title, n.comment_id, n.target_type, n.target_id, n.excerpt, n.created_at, n.updated_at,"
      + " n.read_at FROM notifications n JOIN users u ON u.id = n.actor_id JOIN posts p ON p.id = n.post_id";
  /** Followed by {@code IN (…)}. */
  String BY_IDS = COLUMNS + " WHERE n.id";
  String LIST = COLUMNS + " WHERE n.user_id = ? AND n.id < ? ORDER BY n.id DESC LIMIT ?";
  String LIST_UNREAD = COLUMNS + " WHERE n.user_id = ? AND n.read_at IS NULL AND n.id < ? ORDER BY n.id DESC LIMIT ?";
  /**
   * A user's unread count and the seq of their {@code user.<id>} channel, read together: a page that shows
   * the count and then watches the channel from that seq misses no notification made in between.
   */
  String UNREAD_COUNT_WITH_SEQ = "SELECT COALESCE((SELECT unread FROM notification_counts WHERE user_id = ?), 0) AS n,"
      + " COALESCE((SELECT seq FROM channel_seqs WHERE channel = ?), 0) AS seq";
  /**
   * Adds to users' unread counts: followed by {@link #UNREAD_ROW} (user, how many more) per user in user
   * order, then {@link #UNREAD_ADD_END}.
   */
  String UNREAD_ADD_ALL = "INSERT INTO notification_counts (user_id, unread) VALUES ";
  String UNREAD_ROW = "(?, ?)";
  String UNREAD_ADD_END = " ON DUPLICATE KEY UPDATE unread = unread + VALUES(unread)";
  /** Followed by {@code IN (…)}: users' unread counts. */
  String UNREAD_OF = "SELECT user_id, unread FROM notification_counts WHERE user_id";
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
