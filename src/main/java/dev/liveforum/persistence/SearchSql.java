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
}
