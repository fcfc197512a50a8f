package dev.liveforum.persistence;

/**
 * SQL of likes, on posts and on comments alike. A like locks its target row first, so likes of one
 * target are serialized and the counter moves exactly when a row of {@code likes} comes or goes.
 */
interface LikeSql {
  /** Targets of a batch of likes; followed by {@code IN (…)} and a lock. */
  String LOCK_POSTS = "SELECT id, id AS post_id, author_id, like_count, NULL AS deleted_at FROM posts WHERE id";
  String LOCK_COMMENTS = "SELECT id, post_id, author_id, like_count, deleted_at FROM comments WHERE id";

  /**
   * Which of some likes exist: followed by {@link #ONE} per like, joined with OR (MariaDB reads a row
   * constructor {@code IN ((…), …)} with a full index scan, but ORed equalities as ranges of the key).
   */
  String EXISTING = "SELECT target_type, target_id, user_id, created_at FROM likes WHERE ";
  String ONE = "(target_type = ? AND target_id = ? AND user_id = ?)";

  /**
   * Followed by {@link #ROW} per like. Idempotent on the primary key: a like that is there already
   * inserts nothing.
   */
  String INSERT = "INSERT IGNORE INTO likes (target_type, target_id, user_id, created_at) VALUES";
  /** The like's time is set by the application, so its event carries exactly the stored time (statistics). */
  String ROW = "(?, ?, ?, ?)";
  /** Followed by {@link #ONE} per like, joined with OR, like {@link #EXISTING}. */
  String DELETE = "DELETE FROM likes WHERE ";

  /**
   * Targets' new counts, computed under their locks ({@code CASE id …} goes between the two parts); a
   * post's hot rank is set after the counter, in the same statement, so it sees the new count.
   */
  String SET_POST = "UPDATE posts SET like_count = ";
  String SET_POST_REST = ", hot_score = " + PostSql.HOT + " WHERE id";
  String SET_COMMENT = "UPDATE comments SET like_count = ";
  String SET_COMMENT_REST = " WHERE id";
}
