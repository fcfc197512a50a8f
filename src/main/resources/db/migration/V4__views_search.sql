-- Batches of post views already added to posts.view_count, by the id the flusher gave each batch
-- (see cache/ViewCounter): a batch retried after a lost reply, or by a second node, is recognised
-- here in the same transaction and not counted twice. Rows older than a week are purged.
CREATE TABLE view_batches (
  id         CHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
  applied_at DATETIME(3) NOT NULL,
  INDEX ix_view_batches_applied (applied_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
