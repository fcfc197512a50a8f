package dev.liveforum.persistence;

/** SQL of images: the bytes live in the database, so every node can serve them. */
interface ImageSql {
  String COLUMNS = "SELECT id, post_id, content_type, size, sha256, created_at";
  /** Without the bytes: enough to answer a conditional request or list a post's images. */
  String META = COLUMNS + " FROM images WHERE id = ?";
  String WITH_DATA = COLUMNS + ", data FROM images WHERE id = ?";
  String BY_POST = COLUMNS + " FROM images WHERE post_id = ? ORDER BY id";
  String COUNT = "SELECT COUNT(*) AS n FROM images WHERE post_id = ?";
  String POST_AUTHOR = "SELECT author_id FROM posts WHERE id = ?";
  /** Serialises one author's uploads while their images are summed and one is added. */
  String LOCK_AUTHOR = "SELECT id FROM users WHERE id = ? FOR UPDATE";
  /** Bytes of images on the posts of one author (ix_posts_author, then ix_images_post). */
  String STORED_BY_AUTHOR = "SELECT COALESCE(SUM(i.size), 0) AS bytes FROM posts p JOIN images i ON i.post_id = p.id"
      + " WHERE p.author_id = ?";
  String INSERT = "INSERT INTO images (post_id, content_type, size, sha256, data, created_at)"
      + " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(3))";
}
