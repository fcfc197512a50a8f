-- One row per running persistence node: the cluster it belongs to (NULL: a node not clustered) and when
-- it last said it runs, every few seconds. A node that finds no other member of its cluster looks here
-- for another cluster using the same database: two clusters that cannot see each other (a typo in
-- cluster.name) would otherwise meet only as outbox relays taking each other's events. A node removes
-- its row when it stops; rows of nodes that died are dropped after a day.
CREATE TABLE node_heartbeats (
  node_id      CHAR(36)     NOT NULL PRIMARY KEY,
  cluster_name VARCHAR(255) NULL,
  started_at   DATETIME(3)  NOT NULL,
  seen_at      DATETIME(3)  NOT NULL,
  KEY idx_node_heartbeats_seen (seen_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
