-- Boards, posts, threaded comments, likes, images and the outbox of domain events.
-- Times are UTC (written with UTC_TIMESTAMP(3)). Counters on posts and comments are kept in the
-- same transaction as the rows they count.

CREATE TABLE boards (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(80)   NOT NULL,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  created_at  DATETIME(3)   NOT NULL,
  updated_at  DATETIME(3)   NOT NULL,
  CONSTRAINT uq_boards_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE posts (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  board_id      BIGINT UNSIGNED NOT NULL,
  author_id     BIGINT UNSIGNED NOT NULL,
  title         VARCHAR(200) NOT NULL,
  content       MEDIUMTEXT   NOT NULL,
  -- The content rendered from Markdown and sanitized, at write time.
  content_html  MEDIUMTEXT   NOT NULL,
  created_at    DATETIME(3)  NOT NULL,
  updated_at    DATETIME(3)  NOT NULL,
  edited_at     DATETIME(3)  NULL,
  comment_count INT UNSIGNED NOT NULL DEFAULT 0,
  like_count    INT UNSIGNED NOT NULL DEFAULT 0,
  view_count    BIGINT UNSIGNED NOT NULL DEFAULT 0,
  -- Time-decayed rank from likes and comments; see README "Hot ranking".
  hot_score     DOUBLE NOT NULL DEFAULT 0,
  CONSTRAINT fk_posts_board FOREIGN KEY (board_id) REFERENCES boards (id),
  CONSTRAINT fk_posts_author FOREIGN KEY (author_id) REFERENCES users (id),
  INDEX ix_posts_board_latest (board_id, id),
  INDEX ix_posts_hot (hot_score, id),
  INDEX ix_posts_board_hot (board_id, hot_score, id),
  INDEX ix_posts_created (created_at, id),
  INDEX ix_posts_author (author_id, id),
  FULLTEXT INDEX ft_posts_text (title, content)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- A thread: root comments have no parent; every reply records its root and depth, so a page of
-- roots and all their replies is two indexed queries at any depth. No foreign key on parent_id:
-- replies outlive nothing (comments are soft-deleted), and cascades are capped at 15 levels.
CREATE TABLE comments (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  post_id    BIGINT UNSIGNED NOT NULL,
  author_id  BIGINT UNSIGNED NOT NULL,
  parent_id  BIGINT UNSIGNED NULL,
  root_id    BIGINT UNSIGNED NULL,
  depth      INT UNSIGNED NOT NULL DEFAULT 0,
  content    TEXT NOT NULL,
  content_html TEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  edited_at  DATETIME(3) NULL,
  deleted_at DATETIME(3) NULL,
  like_count INT UNSIGNED NOT NULL DEFAULT 0,
  CONSTRAINT fk_comments_post FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
  CONSTRAINT fk_comments_author FOREIGN KEY (author_id) REFERENCES users (id),
  INDEX ix_comments_roots (post_id, parent_id, id),
  INDEX ix_comments_thread (root_id, id),
  INDEX ix_comments_author (author_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- One table for likes on posts and on comments; the primary key makes a like idempotent.
CREATE TABLE likes (
  target_type ENUM('post', 'comment') NOT NULL,
  target_id   BIGINT UNSIGNED NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (target_type, target_id, user_id),
  CONSTRAINT fk_likes_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  INDEX ix_likes_user (user_id, created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Images live in the database so that every node can serve them.
CREATE TABLE images (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  post_id      BIGINT UNSIGNED NOT NULL,
  content_type VARCHAR(32) CHARACTER SET ascii NOT NULL,
  size         INT UNSIGNED NOT NULL,
  sha256       BINARY(32) NOT NULL,
  data         MEDIUMBLOB NOT NULL,
  created_at   DATETIME(3) NOT NULL,
  CONSTRAINT fk_images_post FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
  INDEX ix_images_post (post_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Domain events, written in the transaction of the change they describe and published on the
-- event bus after commit by the relay (see outbox/OutboxRelay). Published rows are purged later.
CREATE TABLE outbox (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id     CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  address      VARCHAR(100) CHARACTER SET ascii NOT NULL,
  payload      TEXT NOT NULL,
  created_at   DATETIME(3) NOT NULL,
  published_at DATETIME(3) NULL,
  CONSTRAINT uq_outbox_event UNIQUE (event_id),
  INDEX ix_outbox_pending (published_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
