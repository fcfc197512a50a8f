package dev.liveforum.persistence;

/** SQL of the post aggregate. */
interface PostSql {
  /**
   * The hot rank (Lemmy's): 10000 · log10(max(1, likes + comments + 3)) / (age in hours + 2)^1.8.
   * It rises with each like and comment and decays with age; {@link #RECOMPUTE_HOT} re-applies the
   * decay to recent posts periodically. Used in SET clauses after the counters, so it sees their new values.
   */
  String HOT = "10000 * LOG10(GREATEST(1, like_count + comment_count + 3))"
      + " / POW(TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP(3)) / 3600 + 2, 1.8)";

  String SELECT = "SELECT p.id, p.board_id, b.name AS board_name, p.author_id, u.username AS author_name,"
      + " p.title, p.created_at, p.updated_at, p.edited_at, p.comment_count, p.like_count, p.view_count,"
      + " p.hot_score, EXISTS (SELECT 1 FROM likes l WHERE l.target_type = 'post' AND l.target_id = p.id"
      + " AND l.user_id = ?) AS liked";
  String FROM = " FROM posts p JOIN boards b ON b.id = p.board_id JOIN users u ON u.id = p.author_id";
  String BY_ID = SELECT + ", p.content, p.content_html" + FROM + " WHERE p.id = ?";
  /**
   * {@link #BY_ID} with the post channel's seq (see ChannelLog), read in the same statement: the post
   * shows every event numbered up to it.
   */
  String BY_ID_WITH_SEQ = SELECT + ", p.content, p.content_html, COALESCE((SELECT s.seq FROM channel_seqs s"
      + " WHERE s.channel = CONCAT('post.', p.id)), 0) AS seq" + FROM + " WHERE p.id = ?";
  /** List items carry an excerpt, not the body. */
  String EXCERPT = "LEFT(p.content, 300) AS excerpt";
  String LIST = SELECT + ", " + EXCERPT + FROM;

  String INSERT = "INSERT INTO posts (board_id, author_id, title, content, content_html, created_at, updated_at,"
      + " hot_score) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 0)";
  String SET_HOT = "UPDATE posts SET hot_score = " + HOT + " WHERE id = ?";
  String LOCK = "SELECT author_id, board_id FROM posts WHERE id = ? FOR UPDATE";
  String UPDATE = "UPDATE posts SET title = COALESCE(?, title), content = COALESCE(?, content),"
      + " content_html = COALESCE(?, content_html), updated_at = UTC_TIMESTAMP(3), edited_at = UTC_TIMESTAMP(3)"
      + " WHERE id = ?";
  String DELETE_COMMENT_LIKES = "DELETE l FROM likes l JOIN comments c ON l.target_type = 'comment'"
      + " AND l.target_id = c.id WHERE c.post_id = ?";
  String DELETE_POST_LIKES = "DELETE FROM likes WHERE target_type = 'post' AND target_id = ?";
  String DELETE = "DELETE FROM posts WHERE id = ?";
  String RECOMPUTE_HOT = "UPDATE posts SET hot_score = " + HOT
      + " WHERE created_at > UTC_TIMESTAMP(3) - INTERVAL 7 DAY";
  /** Whether a user likes a post, and its like count (primary keys); parameters: the post, the user. */
  String LIKED = "SELECT p.like_count, EXISTS (SELECT 1 FROM likes l WHERE l.target_type = 'post'"
      + " AND l.target_id = p.id AND l.user_id = ?) AS liked FROM posts p WHERE p.id = ?";
  String MAX_ID = "SELECT COALESCE(MAX(id), 0) AS max_id FROM posts";
  /** {@link #MAX_ID} with a board channel's seq (see ChannelLog), read before the page it starts. */
  String MAX_ID_WITH_SEQ = "SELECT COALESCE(MAX(id), 0) AS max_id,"
      + " COALESCE((SELECT seq FROM channel_seqs WHERE channel = ?), 0) AS seq FROM posts";
}
