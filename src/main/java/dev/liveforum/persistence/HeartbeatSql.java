package dev.liveforum.persistence;

/** SQL of node heartbeats: which clusters use the database. Index: {@code idx_node_heartbeats_seen}. */
interface HeartbeatSql {
  String BEAT = "INSERT INTO node_heartbeats (node_id, cluster_name, started_at, seen_at)"
      + " VALUES (?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE seen_at = UTC_TIMESTAMP(3)";
  String REMOVE = "DELETE FROM node_heartbeats WHERE node_id = ?";
  /** Followed by the number of seconds. Times are the database's own, so the nodes' clocks do not matter. */
  String SEEN_WITHIN = "SELECT cluster_name, TIMESTAMPDIFF(SECOND, seen_at, UTC_TIMESTAMP(3)) FROM node_heartbeats"
      + " WHERE seen_at > UTC_TIMESTAMP(3) - INTERVAL ? SECOND ORDER BY seen_at DESC";
  /** Nodes that died without removing their row. */
  String PURGE = "DELETE FROM node_heartbeats WHERE seen_at < UTC_TIMESTAMP(3) - INTERVAL 1 DAY";
}
