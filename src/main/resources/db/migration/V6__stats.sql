-- Daily statistics (README "Statistics"). The figures of a day are computed from the tables by the
-- rows' created_at (UTC), so those columns get indexes for one day's range.
CREATE INDEX ix_users_created ON users (created_at);
CREATE INDEX ix_comments_created ON comments (created_at);
CREATE INDEX ix_likes_created ON likes (created_at);

-- Post views added to the database per UTC day: each batch of views adds its total to the day it is
-- applied on, in the batch's own transaction (view_batches forgets batches after a week; this does not).
CREATE TABLE view_days (
  day   DATE NOT NULL PRIMARY KEY,
  views BIGINT UNSIGNED NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

-- Who was active on a day although the rows that showed it are gone: a like withdrawn later, a post
-- deleted with its comments and likes. Written in the transaction that removes those rows, so the
-- day's active users stay the same however its activity is undone.
CREATE TABLE activity_days (
  day     DATE NOT NULL,
  user_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (day, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
