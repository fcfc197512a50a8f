package dev.liveforum.persistence;

/** SQL of the comment aggregate. */
interface CommentSql {
  /** Every column a comment shows; the one parameter is the reader's user id (0 for a guest). */
  String COLUMNS = "SELECT c.id, c.post_id, c.parent_id, c.root_id, c.depth, c.author_id, u.username AS author_name,"
      + " c.content, c.content_html, c.created_at, c.updated_at, c.edited_at, c.deleted_at, c.like_count,"
      + " c.reply_to_id, r.author_id AS reply_to_author_id, ru.username AS reply_to_author_name,"
      + " r.deleted_at AS reply_to_deleted_at,"
      + " EXISTS (SELECT 1 FROM likes l WHERE l.target_type = 'comment' AND l.target_id = c.id"
      + " AND l.user_id = ?) AS liked";
  /** With the comment a reply answers when that is not its parent (a reply past comments.maxDepth). */
  String FROM = " FROM comments c JOIN users u ON u.id = c.author_id"
      + " LEFT JOIN comments r ON r.id = c.reply_to_id LEFT JOIN users ru ON ru.id = r.author_id";
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

  /**
   * The oldest replies below one root after a reply id (ix_comments_thread), at most {@code size}: one
   * part of a {@code UNION ALL} that reads the first replies of every root of a page in one statement,
   * each part stopping at its limit however many replies its root has.
   */
  static String replyWindow(int size) {
    return "(" + SELECT + " WHERE c.root_id = ? AND c.id > ? ORDER BY c.id LIMIT " + size + ")";
  }

  /**
   * Live replies of roots after a reply id, per root, from ix_comments_live alone; followed by one
   * {@link #LIVE_AFTER_RANGE} per root, joined by {@code OR}, and {@link #LIVE_AFTER_END}.
   */
  String LIVE_AFTER = "SELECT root_id, COUNT(*) AS n FROM comments WHERE deleted_at IS NULL AND (";
  String LIVE_AFTER_RANGE = "(root_id = ? AND id > ?)";
  String LIVE_AFTER_END = ") GROUP BY root_id";

  /**
   * Which of some deleted replies (their ids in {@code IN (…)}, then the post id) still have a live reply
   * somewhere below them, walking down by parent (ix_comments_roots): those stay as placeholders.
   */
  String ANSWERED_START = "WITH RECURSIVE below (top, id) AS (SELECT id, id FROM comments WHERE id";
  String ANSWERED_REST = " UNION ALL SELECT b.top, k.id FROM below b JOIN comments k"
      + " ON k.post_id = ? AND k.parent_id = b.id)"
      + " SELECT DISTINCT b.top FROM below b JOIN comments k ON k.id = b.id"
      + " WHERE b.id <> b.top AND k.deleted_at IS NULL";

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
  String PARENTS = "SELECT id, post_id, parent_id, root_id, depth, author_id, deleted_at FROM comments WHERE id";
  /** Followed by {@link #ROW} per comment. */
  String INSERT = "INSERT INTO comments (post_id, author_id, parent_id, root_id, reply_to_id, depth, content,"
      + " content_html, created_at, updated_at) VALUES";
  String ROW = "(?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
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
