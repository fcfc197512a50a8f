package dev.liveforum.persistence;

import dev.liveforum.bus.Field;
import dev.liveforum.event.Events;

import java.util.stream.Collectors;

/**
 * SQL of the daily statistics. A day's figures count rows by their {@code created_at} within the UTC
 * day ({@code >= start AND < next day}, so the created_at indexes serve a range of days); README
 * "Statistics" says what each figure means.
 */
interface StatsSql {
  /** Rows created in {@code [start, end)}. */
  String IN_DAY = " created_at >= ? AND created_at < ?";
  String IN_DAYS = " day >= ? AND day < ?";

  /**
   * Each figure of each day in {@code [start, end)} that has any ({@code figure, day, n}): one GROUP BY
   * per table, so a range costs one query however long it is, and a day without rows costs nothing.
   */
  String FIGURES = perDay(Field.USERS, "users") + " UNION ALL " + perDay(Field.POSTS, "posts")
      + " UNION ALL " + perDay(Field.COMMENTS, "comments") + " UNION ALL " + perDay(Field.LIKES, "likes")
      + " UNION ALL SELECT '" + Field.VIEWS + "', day, CAST(views AS SIGNED) FROM view_days WHERE" + IN_DAYS;

  /**
   * Per day, who registered, posted, commented or liked on it, including activity undone since
   * (activity_days).
   */
  String ACTIVE_USERS = "SELECT DATE(created_at) AS day, id AS user_id FROM users WHERE" + IN_DAY
      + " UNION SELECT DATE(created_at), author_id FROM posts WHERE" + IN_DAY
      + " UNION SELECT DATE(created_at), author_id FROM comments WHERE" + IN_DAY
      + " UNION SELECT DATE(created_at), user_id FROM likes WHERE" + IN_DAY
      + " UNION SELECT day, user_id FROM activity_days WHERE" + IN_DAYS;

  private static String perDay(String figure, String table) {
    return "SELECT '" + figure + "' AS figure, DATE(created_at) AS day, COUNT(*) AS n FROM " + table
        + " WHERE" + IN_DAY + " GROUP BY DATE(created_at)";
  }

  /** Counted events committed recently enough that they may not have reached the stats role yet. */
  String RECENT_EVENTS = "SELECT event_id FROM outbox WHERE (published_at IS NULL"
      + " OR published_at >= UTC_TIMESTAMP(3) - INTERVAL ? SECOND) AND address IN ("
      + Events.STATS.stream().map(t -> "'" + Events.address(t) + "'").collect(Collectors.joining(", ")) + ")";

  String TOTALS = "SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM posts) AS posts,"
      + " (SELECT COUNT(*) FROM comments) AS comments, (SELECT COUNT(*) FROM likes) AS likes,"
      + " (SELECT CAST(COALESCE(SUM(view_count), 0) AS SIGNED) FROM posts) AS views";

  /** The day's posts with the most comments written and likes given on them that day. */
  String TOP_POSTS = "SELECT p.id, p.board_id, p.title,"
      + " CAST(SUM(a.comments) AS SIGNED) AS comments, CAST(SUM(a.likes) AS SIGNED) AS likes FROM ("
      + " SELECT post_id, 1 AS comments, 0 AS likes FROM comments WHERE" + IN_DAY
      + " UNION ALL SELECT target_id, 0, 1 FROM likes WHERE target_type = 'post' AND" + IN_DAY
      + ") a JOIN posts p ON p.id = a.post_id GROUP BY p.id, p.board_id, p.title"
      + " ORDER BY SUM(a.comments) + SUM(a.likes) DESC, p.id DESC LIMIT ?";

  // Kept in step by the writers, in their own transactions:

  /** Adds a batch's views to the day it is applied on. */
  String ADD_VIEW_DAY = "INSERT INTO view_days (day, views) VALUES (?, ?) ON DUPLICATE KEY UPDATE views = views + ?";

  /** Followed by {@link #ACTIVE_ROW} per user: who stays counted as active on a day (e.g. a withdrawn like's giver). */
  String KEEP_ACTIVE = "INSERT IGNORE INTO activity_days (day, user_id) VALUES";
  String ACTIVE_ROW = "(DATE(?), ?)";

  /**
   * Before a post is deleted: its comments are locked, so that no like of one of them commits between
   * counting what goes and deleting it (likes lock their target, not the post).
   */
  String LOCK_POST_COMMENTS = "SELECT id FROM comments WHERE post_id = ? FOR UPDATE";
  String OF_POST = " FROM posts WHERE id = ?";
  String COMMENTS_OF_POST = " FROM comments WHERE post_id = ?";
  String POST_LIKES = " FROM likes WHERE target_type = 'post' AND target_id = ?";
  String COMMENT_LIKES_OF_POST = " FROM likes l JOIN comments c ON l.target_type = 'comment' AND l.target_id = c.id"
      + " WHERE c.post_id = ?";
  String KEEP_POST_ACTIVITY = "INSERT IGNORE INTO activity_days (day, user_id)"
      + " SELECT DATE(created_at), author_id" + OF_POST
      + " UNION SELECT DATE(created_at), author_id" + COMMENTS_OF_POST
      + " UNION SELECT DATE(created_at), user_id" + POST_LIKES
      + " UNION SELECT DATE(l.created_at), l.user_id" + COMMENT_LIKES_OF_POST;
  /** Per day, the posts, comments and likes a post's deletion takes away. */
  String REMOVED_WITH_POST = "SELECT day, CAST(SUM(kind = 'p') AS SIGNED) AS posts,"
      + " CAST(SUM(kind = 'c') AS SIGNED) AS comments, CAST(SUM(kind = 'l') AS SIGNED) AS likes FROM ("
      + " SELECT DATE(created_at) AS day, 'p' AS kind" + OF_POST
      + " UNION ALL SELECT DATE(created_at), 'c'" + COMMENTS_OF_POST
      + " UNION ALL SELECT DATE(created_at), 'l'" + POST_LIKES
      + " UNION ALL SELECT DATE(l.created_at), 'l'" + COMMENT_LIKES_OF_POST
      + ") removed GROUP BY day";
}
