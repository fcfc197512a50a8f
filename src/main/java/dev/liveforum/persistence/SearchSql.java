package dev.liveforum.persistence;

/**
 * SQL of full-text search over posts (the FULLTEXT index {@code ft_posts_text(title, content)}).
 * Natural language mode: any of the words matches, posts with more and rarer matches rank first, and
 * nothing in the query is an operator (the caller strips the double quotes that would make a phrase).
 */
interface SearchSql {
  String MATCH = "MATCH(p.title, p.content) AGAINST (? IN NATURAL LANGUAGE MODE)";
  String COLUMNS = PostSql.SELECT + ", " + PostSql.EXCERPT + ", " + MATCH + " AS score" + PostSql.FROM;
  String WHERE = " WHERE " + MATCH + " AND p.id <= ?";
  /** The first page. Parameters: reader id (likedByMe), words, words, newest post id. */
  String FIRST = COLUMNS + WHERE;
  /**
   * A later page: the posts ranked after the last one of the previous page, the anchor. Scores drift
   * as posts are added (a word's weight depends on how many posts have it), so the anchor's score is
   * computed again, in the same statement, rather than taken from the cursor; the cursor's copy is the
   * fallback for an anchor deleted or edited meanwhile. Parameters: reader id, words, words, anchor
   * id, anchor's score on its page, words, newest post id; then {@link #AFTER}'s.
   */
  String NEXT = COLUMNS + " CROSS JOIN (SELECT COALESCE(NULLIF((SELECT MATCH(a.title, a.content)"
      + " AGAINST (? IN NATURAL LANGUAGE MODE) FROM posts a WHERE a.id = ?), 0), ?) AS score) anchor" + WHERE;
  String IN_BOARD = " AND p.board_id = ?";
  /** Parameters: words, words, anchor id. */
  String AFTER = " AND (" + MATCH + " < anchor.score OR (" + MATCH + " = anchor.score AND p.id < ?))";
  String ORDER = " ORDER BY score DESC, p.id DESC LIMIT ?";

  String IN_AUTHOR = " AND p.author_id = ?";
  String CREATED_FROM = " AND p.created_at >= ?";
  String CREATED_BEFORE = " AND p.created_at < ?";

  /** Post list items by id (then {@code IN (…)}). Parameters: reader id (likedByMe), the ids. */
  String CARDS = PostSql.LIST + " WHERE p.id";
  /** Posts for a search index, after an id (primary key). Parameters: after, limit. */
  String FEED_POSTS = "SELECT p.id, p.board_id, p.author_id, u.username AS author_name, p.title, p.content,"
      + " p.created_at FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id > ? ORDER BY p.id LIMIT ?";
  /** Comments not deleted for a search index, after an id (primary key), with their post's board. */
  String FEED_COMMENTS = "SELECT c.id, c.post_id, p.board_id, c.author_id, u.username AS author_name, c.content,"
      + " c.created_at FROM comments c JOIN posts p ON p.id = c.post_id JOIN users u ON u.id = c.author_id"
      + " WHERE c.id > ? AND c.deleted_at IS NULL ORDER BY c.id LIMIT ?";
}
