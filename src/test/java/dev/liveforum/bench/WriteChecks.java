package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.support.TestDb;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Compares what a write scenario's answers promised with the rows in the database, after every
 * request has been answered. A request that timed out may still have been written, so failures are
 * shown next to any difference. After both, how far the notification jobs are behind.
 */
final class WriteChecks {
  private static final String COMMENT_ROWS = "SELECT COUNT(*) FROM comments WHERE post_id IN (%s)";
  private static final String LIKE_ROWS = "SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id IN (%s)";
  private static final String LIKE_COUNTS = "SELECT COALESCE(SUM(like_count), 0) FROM posts WHERE id IN (%s)";
  private static final String LIKE_COUNTS_WRONG = """
      SELECT COUNT(*) FROM posts p WHERE p.id IN (%s) AND p.like_count <>
        (SELECT COUNT(*) FROM likes l WHERE l.target_type = 'post' AND l.target_id = p.id)""";

  private final Config.Db db;
  private final NotificationBacklog backlog;

  WriteChecks(Config config) {
    this.db = config.db();
    this.backlog = new NotificationBacklog(config);
  }

  /** Every 2xx of the scenario is one new comment on {@code posts}, and no other comment appeared. */
  Scenario.Check comments(List<Long> posts) {
    return () -> {
      long before = count(COMMENT_ROWS, posts);
      return outcome -> {
        long created = outcome.total(200, 299);
        long rows = count(COMMENT_ROWS, posts) - before;
        return List.of(verdict(created == rows, String.format("%,d answered 2xx, %,d new rows in comments", created, rows),
            outcome), backlog.line());
      };
    };
  }

  /** No 5xx, and each post's like_count is the number of its rows in likes. */
  Scenario.Check likes(List<Long> posts) {
    return () -> outcome -> {
      long serverErrors = outcome.total(500, 599);
      long counted = count(LIKE_COUNTS, posts);
      long rows = count(LIKE_ROWS, posts);
      long wrong = count(LIKE_COUNTS_WRONG, posts);
      List<String> lines = new ArrayList<>();
      lines.add(verdict(serverErrors == 0, String.format("%,d answered 5xx", serverErrors), outcome));
      lines.add(verdict(wrong == 0 && counted == rows, String.format(
          "like_count adds up to %,d, likes has %,d rows, %,d posts whose like_count differs from their rows",
          counted, rows, wrong), outcome));
      lines.add(backlog.line());
      return lines;
    };
  }

  private static String verdict(boolean ok, String finding, Outcome outcome) {
    if (ok) {
      return "check ok: " + finding;
    }
    String unanswered = outcome.failed() == 0 ? "" : String.format(" (%,d requests got no answer)", outcome.failed());
    return "check MISMATCH: " + finding + unanswered;
  }

  private long count(String sql, List<Long> ids) {
    String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
    return TestDb.count(db, sql.replace("%s", marks), ids.toArray());
  }
}
