-- Realtime channels numbered by the database. Each event a browser receives is numbered on its channel
-- (post.<id>, board.<id>, user.<id>) in the transaction of the change it describes, and kept with its
-- number, so numbers are never skipped, reused or reordered whatever happens to Redis or to a node,
-- and catching up reads exactly what was committed. (Numbers used to be handed out by Redis when an
-- event was delivered: a Redis restart began every channel at 1 again, and a dead cache node left
-- events unnumbered for good.)

-- A channel's last number. The row is locked by the transaction that numbers an event, so numbers
-- follow commit order on each channel. A closed channel (a deleted post's) is not caught up on.
CREATE TABLE channel_seqs (
  channel VARCHAR(32) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  seq     BIGINT UNSIGNED NOT NULL,
  closed  BOOLEAN NOT NULL DEFAULT FALSE
) ENGINE = InnoDB;

-- Each numbered event as its channel's watchers see it ({type, at, data, seq}), for catching up.
-- Kept for realtime.backlogTtlSeconds. subject names what the event is about (comment.<id>,
-- post.<id>), so an edit or a deletion can rewrite what earlier events show of it.
CREATE TABLE channel_events (
  channel    VARCHAR(32) CHARACTER SET ascii NOT NULL,
  seq        BIGINT UNSIGNED NOT NULL,
  subject    VARCHAR(32) CHARACTER SET ascii NULL,
  event      MEDIUMTEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (channel, seq),
  INDEX ix_channel_events_subject (subject),
  INDEX ix_channel_events_age (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
