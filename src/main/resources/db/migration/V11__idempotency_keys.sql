-- Writes sent with an Idempotency-Key (see persistence/IdempotencyKeys): the key, whose it is, a digest
-- of the request it came with, and the reply the write gave, recorded in the write's own transaction, so
-- a key is recorded exactly when its write committed. A repeat of the key is answered from here instead
-- of writing again. Rows older than idempotency.keepHours are purged.
CREATE TABLE idempotency_keys (
  scope       VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  idem_key    VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  digest      CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  reply       MEDIUMTEXT NOT NULL,
  created_at  DATETIME(3) NOT NULL,
  PRIMARY KEY (scope, idem_key),
  INDEX ix_idempotency_keys_created (created_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
