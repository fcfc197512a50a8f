package dev.liveforum.persistence;

/** SQL of the board aggregate. */
interface BoardSql {
  String COLUMNS = "b.id, b.name, b.description, b.created_at, b.updated_at,"
      + " (SELECT COUNT(*) FROM posts p WHERE p.board_id = b.id) AS post_count";
  String LIST = "SELECT " + COLUMNS + " FROM boards b ORDER BY b.name";
  String BY_ID = "SELECT " + COLUMNS + " FROM boards b WHERE b.id = ?";
  String INSERT = "INSERT INTO boards (name, description, created_at, updated_at)"
      + " VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))";
  String UPDATE = "UPDATE boards SET name = COALESCE(?, name), description = COALESCE(?, description),"
      + " updated_at = UTC_TIMESTAMP(3) WHERE id = ?";
  String LOCK = "SELECT id FROM boards WHERE id = ? FOR UPDATE";
  String HAS_POSTS = "SELECT EXISTS (SELECT 1 FROM posts WHERE board_id = ?) AS has_posts";
  String DELETE = "DELETE FROM boards WHERE id = ?";
}
