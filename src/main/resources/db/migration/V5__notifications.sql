-- Notifications: who is told what. Jobs come from the outbox (see notification/ in the code): the
-- outbox remembers which events were fed to the job queue, and each job is applied once (by event id).

ALTER TABLE outbox
  -- When the event was handed to the notification job queue; NULL until then.
  ADD COLUMN notified_at DATETIME(3) NULL,
  -- A feeder (notify_token) holds the row until then; after it, another feeder may take it again.
  ADD COLUMN notify_lease DATETIME(3) NULL,
  ADD COLUMN notify_token CHAR(36) CHARACTER SET ascii NULL,
  ADD INDEX ix_outbox_unnotified (notified_at, id);

-- Events already in the outbox before notifications existed are not fed.
UPDATE outbox SET notified_at = COALESCE(published_at, created_at);

CREATE TABLE notifications (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id     BIGINT UNSIGNED NOT NULL,
  -- comment | reply | like | mention
  type        VARCHAR(16) CHARACTER SET ascii NOT NULL,
  -- The latest actor; actor_count > 1 for grouped likes ("alice and 3 others").
  actor_id    BIGINT UNSIGNED NOT NULL,
  actor_count INT UNSIGNED NOT NULL DEFAULT 1,
  post_id     BIGINT UNSIGNED NOT NULL,
  comment_id  BIGINT UNSIGNED NULL,
  -- What was liked, for grouping likes: post | comment, and its id.
  target_type VARCHAR(16) CHARACTER SET ascii NULL,
  target_id   BIGINT UNSIGNED NULL,
  excerpt     VARCHAR(300) NOT NULL DEFAULT '',
  created_at  DATETIME(3) NOT NULL,
  updated_at  DATETIME(3) NOT NULL,
  read_at     DATETIME(3) NULL,
  CONSTRAINT fk_notifications_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_notifications_actor FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT fk_notifications_post FOREIGN KEY (post_id) REFERENCES posts (id) ON DELETE CASCADE,
  CONSTRAINT fk_notifications_comment FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE,
  INDEX ix_notifications_user (user_id, id),
  INDEX ix_notifications_unread (user_id, read_at, id),
  INDEX ix_notifications_group (user_id, type, target_type, target_id, read_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Each job (an outbox event) is applied once: a replayed job finds its event id here and does nothing.
CREATE TABLE notification_jobs (
  event_id   CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  applied_at DATETIME(3) NOT NULL,
  INDEX ix_notification_jobs_applied (applied_at)
) ENGINE = InnoDB;

-- Things a user is told about at most once, across events: a like by one user of one target
-- (unlike and like again does not notify twice), a mention in one post or comment (an edit that
-- keeps the mention does not notify again).
CREATE TABLE notification_once (
  user_id  BIGINT UNSIGNED NOT NULL,
  once_key VARCHAR(100) CHARACTER SET ascii NOT NULL,
  PRIMARY KEY (user_id, once_key),
  CONSTRAINT fk_notification_once_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;
