package dev.liveforum.persistence;

/**
 * SQL of likes, on posts and on comments alike. A like locks its target row first, so likes of one
 * target are serialized and the counter moves exactly when a row of {@code likes} comes or goes.
 */
interface LikeSql {
  String LOCK_POST = "SELECT id AS post_id, author_id, like_count, NULL AS deleted_at FROM posts WHERE id = ? FOR UPDATE";
  String LOCK_COMMENT = "SELECT post_id, author_id, like_count, deleted_at FROM comments WHERE id = ? FOR UPDATE";

  /** Idempotent on the primary key: a second like of the same target by the same user inserts nothing. */
  String INSERT = "INSERT IGNORE INTO likes (target_type, target_id, user_id, created_at)"
      + " VALUES (?, ?, ?, UTC_TIMESTAMP(3))";
  String DELETE = "DELETE FROM likes WHERE target_type = ? AND target_id = ? AND user_id = ?";

  /** The hot rank is set after the counter, in the same statement, so it sees the new count. */
  String POST_UP = "UPDATE posts SET like_count = like_count + 1, hot_score = " + PostSql.HOT + " WHERE id = ?";
  String POST_DOWN = "UPDATE posts SET like_count = GREATEST(like_count, 1) - 1, hot_score = " + PostSql.HOT
      + " WHERE id = ?";
  String COMMENT_UP = "UPDATE comments SET like_count = like_count + 1 WHERE id = ?";
  String COMMENT_DOWN = "UPDATE comments SET like_count = GREATEST(like_count, 1) - 1 WHERE id = ?";
}
