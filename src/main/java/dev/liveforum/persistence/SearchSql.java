package dev.liveforum.persistence;

/**
 * SQL of full-text search over posts (the FULLTEXT index {@code ft_posts_text(title, content)}).
 * Natural language mode: any of the words matches, posts with more and rarer matches rank first, and
 * nothing in the query is an operator (the caller strips the double quotes that would make a phrase).
 */
interface SearchSql {
  String MATCH = "MATCH(p.title, p.content) AGAINST (? IN NATURAL LANGUAGE MODE)";
  /** Parameters: reader id (likedByMe), words, words, newest post id of the first page. */
  String SEARCH = PostSql.SELECT + ", " + PostSql.EXCERPT + ", " + MATCH + " AS score" + PostSql.FROM
      + " WHERE " + MATCH + " AND p.id <= ?";
  String IN_BOARD = " AND p.board_id = ?";
  /** After the last item of a page: parameters words, score, words, score, id. */
  String AFTER = " AND (" + MATCH + " < ? OR (" + MATCH + " = ? AND p.id < ?))";
  String ORDER = " ORDER BY score DESC, p.id DESC LIMIT ?";
}
