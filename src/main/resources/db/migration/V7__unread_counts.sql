-- Each user's number of unread notifications, kept with every change to it (a notification made,
-- read, read all, deleted with its post), so that the count is one row away however many there are.
-- Counting them (COUNT(*) over the unread index) cost a scan of all of a user's unread notifications
-- for every notification made. A table of its own, not a column of users: its row lock then never
-- meets the shared locks that comments and likes take on their author's users row.
CREATE TABLE notification_counts (
  user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  unread  INT UNSIGNED NOT NULL,
  CONSTRAINT fk_notification_counts_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB;

INSERT INTO notification_counts (user_id, unread)
  SELECT user_id, COUNT(*) FROM notifications WHERE read_at IS NULL GROUP BY user_id;
