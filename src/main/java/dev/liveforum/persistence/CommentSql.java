package dev.liveforum.persistence;

/** SQL of the comment aggregate. */
interface CommentSql {
  /** Every column a comment shows; the one parameter is the reader's user id (0 for a guest). */
  String COLUMNS = "SELECT c.id, c.post_id, c.parent_id, c.root_id, c.depth, c.author_id, u.username AS author_name,"
      + " c.content, c.content_html, c.created_at, c.updated_at, c.edited_at, c.deleted_at, c.like_count,"
      + " EXISTS (SELECT 1 FROM likes l WHERE l.target_type = 'comment' AND l.target_id = c.id"
      + " AND l.user_id = ?) AS liked";
  String FROM = " FROM comments c JOIN users u ON u.id = c.author_id";
  String SELECT = COLUMNS + FROM;

  /**
   * A page of root comments (ix_comments_roots), oldest first after a root id. A deleted root is left
   * out unless a reply below it, at any depth, is not deleted (ix_comments_thread). Followed by
   * {@code LIMIT n}.
   */
  String ROOTS = SELECT + " WHERE c.post_id = ? AND c.parent_id IS NULL AND c.id > ?"
      + " AND (c.deleted_at IS NULL OR EXISTS (SELECT 1 FROM comments d WHERE d.root_id = c.id"
      + " AND d.deleted_at IS NULL))"
      + " ORDER BY c.id";

  /** Every reply below some roots (ix_comments_thread); followed by {@code IN (?, …)} and the order. */
  String REPLIES = SELECT + " WHERE c.root_id";
  String REPLIES_ORDER = " ORDER BY c.id";

  /** One comment with its post's author and comment count (for events). */
  String BY_ID = COLUMNS + ", p.author_id AS post_author_id, p.comment_count AS post_comment_count" + FROM
      + " JOIN posts p ON p.id = c.post_id WHERE c.id = ?";

  /** New comments as they are answered, with their post's author (for events); followed by {@code IN (…)}. */
  String CREATED = COLUMNS + ", p.author_id AS post_author_id" + FROM + " JOIN posts p ON p.id = c.post_id"
      + " WHERE c.id";

  String POST_EXISTS = "SELECT 1 FROM posts WHERE id = ?";
  /** Posts that get new comments; followed by {@code IN (…)} and a lock. */
  String POSTS = "SELECT id, author_id, comment_count FROM posts WHERE id";
  /** Parents of new replies; no lock: a comment row never goes away while its post exists. */
  String PARENTS = "SELECT id, post_id, root_id, depth, author_id, deleted_at FROM comments WHERE id";
  /** Followed by {@link #ROW} per comment. */
  String INSERT = "INSERT INTO comments (post_id, author_id, parent_id, root_id, depth, content, content_html,"
      + " created_at, updated_at) VALUES";
  String ROW = "(?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
  String LOCK = "SELECT post_id, author_id, parent_id, deleted_at FROM comments WHERE id = ? FOR UPDATE";
  String UPDATE = "UPDATE comments SET content = ?, content_html = ?, updated_at = UTC_TIMESTAMP(3),"
      + " edited_at = UTC_TIMESTAMP(3) WHERE id = ?";
  /** A soft delete: the row keeps the thread's shape; what was written is gone. */
  String DELETE = "UPDATE comments SET content = '', content_html = '', deleted_at = UTC_TIMESTAMP(3),"
      + " updated_at = UTC_TIMESTAMP(3) WHERE id = ?";

  /** The counters move in the same statement as the hot rank, which sees their new values. */
  /** New comments per post: the number added to each post ({@code CASE id …}) goes between the two. */
  String POST_COUNT_ADD = "UPDATE posts SET comment_count = comment_count + ";
  String POST_COUNT_ADD_REST = ", hot_score = " + PostSql.HOT + " WHERE id";
  String POST_COUNT_DOWN = "UPDATE posts SET comment_count = GREATEST(comment_count, 1) - 1, hot_score = "
      + PostSql.HOT + " WHERE id = ?";
}
