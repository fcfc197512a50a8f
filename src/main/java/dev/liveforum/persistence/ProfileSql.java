package dev.liveforum.persistence;

/** SQL of public profiles: a user's public fields and counts, their posts and their comments. */
interface ProfileSql {
  /** Never the email: a profile is public. Deleted comments are not counted. */
  String PROFILE = "SELECT u.id, u.username, u.role, u.created_at,"
      + " (SELECT COUNT(*) FROM posts p WHERE p.author_id = u.id) AS post_count,"
      + " (SELECT COUNT(*) FROM comments c WHERE c.author_id = u.id AND c.deleted_at IS NULL) AS comment_count"
      + " FROM users u WHERE u.id = ?";
  String EXISTS = "SELECT id FROM users WHERE id = ?";
  /** Parameters: reader id (likedByMe), author id, before this post id, page size + 1. */
  String POSTS = PostSql.LIST + " WHERE p.author_id = ? AND p.id < ? ORDER BY p.id DESC LIMIT ?";
  /** Parameters: author id, before this comment id, page size + 1. */
  String COMMENTS = "SELECT c.id, c.post_id, p.title AS post_title, c.parent_id, LEFT(c.content, 300) AS excerpt,"
      + " c.created_at, c.edited_at, c.like_count FROM comments c JOIN posts p ON p.id = c.post_id"
      + " WHERE c.author_id = ? AND c.deleted_at IS NULL AND c.id < ? ORDER BY c.id DESC LIMIT ?";
}
