package dev.liveforum.persistence;

/** SQL of post views: batches from the view buffer, each applied once. */
interface ViewSql {
  /** Affects no row when the batch was applied before (or is being applied by a concurrent transaction that commits). */
  String CLAIM_BATCH = "INSERT IGNORE INTO view_batches (id, applied_at) VALUES (?, UTC_TIMESTAMP(3))";
  String ADD = "UPDATE posts SET view_count = view_count + ? WHERE id = ?";
  /** A batch is retried within seconds of its first try; a week of ids is ample. */
  String PURGE_BATCHES = "DELETE FROM view_batches WHERE applied_at < UTC_TIMESTAMP(3) - INTERVAL 7 DAY LIMIT 10000";
}
