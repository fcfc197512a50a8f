package dev.liveforum.persistence;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.NotificationRules;
import dev.liveforum.event.PostEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Posts: anyone reads, signed-in users write, authors and admins edit and delete. */
final class PostService {
  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 50;
  private static final int FK_MISSING = 1452;

  private final Pool pool;
  private final Cursors cursors;
  private final Markdown markdown;
  private final Runnable afterCommit;
  private final int mentionsPerText;

  PostService(Pool pool, Cursors cursors, Markdown markdown, Runnable afterCommit, int mentionsPerText) {
    this.pool = pool;
    this.cursors = cursors;
    this.markdown = markdown;
    this.afterCommit = afterCommit;
    this.mentionsPerText = mentionsPerText;
  }

  Future<JsonObject> create(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long boardId = body.getLong(Field.BOARD_ID);
    String title = checkTitle(body.getString(Field.TITLE));
    String content = checkContent(body.getString(Field.CONTENT));
    checkMentions(title, content);
    String html = markdown.toSafeHtml(content);
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(PostSql.INSERT)
            .execute(Tuple.of(boardId, actor.id(), title, content, html))
            .map(r -> r.property(MySQLClient.LAST_INSERTED_ID))
            .compose(id -> tx.preparedQuery(PostSql.SET_HOT).execute(Tuple.of(id)).map(id))
            .compose(id -> read(tx, id, actor))
            .compose(post -> Outbox.record(tx, body, created(post)).map(post)))
        .onSuccess(ok -> afterCommit.run())
        .recover(t -> t instanceof io.vertx.sqlclient.DatabaseException e && e.getErrorCode() == FK_MISSING
            ? Future.failedFuture(Failure.notFound("board " + boardId + " does not exist"))
            : Database.classify(t));
  }

  /**
   * What a post with this content would show: the same checks and rendering as {@link #create}, nothing
   * stored. Takes CPU time: 40,000 characters of dense Markdown took 100–600 ms on a loaded 2-core machine.
   */
  JsonObject preview(JsonObject body) {
    return new JsonObject().put(Field.HTML, markdown.toSafeHtml(checkContent(body.getString(Field.CONTENT))));
  }

  /** The post, with its channel's seq: it shows every event numbered up to that. */
  Future<JsonObject> get(JsonObject body) {
    return read(pool, PostSql.BY_ID_WITH_SEQ, body.getLong(Field.ID), Actor.of(body)).recover(Database::classify);
  }

  /** Whether the actor likes the post: the one per-reader fact a cached post lacks. */
  Future<JsonObject> liked(JsonObject body) {
    Actor actor = Actor.of(body);
    if (actor.id() == null) {
      return Future.succeededFuture(new JsonObject().put("likedByMe", false));
    }
    long id = body.getLong(Field.ID);
    return pool.preparedQuery(PostSql.LIKED).execute(Tuple.of(actor.id(), id))
        .compose(rows -> Rows.one(rows, "post " + id))
        .map(row -> new JsonObject().put("likedByMe", row.getBoolean("liked")).put(Field.LIKE_COUNT, row.getLong("like_count")))
        .recover(Database::classify);
  }

  Future<JsonObject> update(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long id = body.getLong(Field.ID);
    String title = body.getString(Field.TITLE) == null ? null : checkTitle(body.getString(Field.TITLE));
    String content = body.getString(Field.CONTENT) == null ? null : checkContent(body.getString(Field.CONTENT));
    if (title == null && content == null) {
      throw Failure.badRequest("nothing to change: give a new title or content");
    }
    String html = content == null ? null : markdown.toSafeHtml(content);
    return IdempotencyKeys.run(pool, body, tx -> lockForChange(tx, id, actor, "edit this post")
            .compose(row -> tx.preparedQuery(PostSql.UPDATE).execute(Tuple.of(title, content, html, id)))
            .compose(r -> read(tx, id, actor))
            // The post as edited (a new title beside the content kept, or the reverse), as the notifier reads it.
            .map(post -> {
              checkMentions(post.getString(Field.TITLE), post.getString(Field.CONTENT));
              return post;
            })
            .compose(post -> Outbox.record(tx, body, updated(post)).map(post)))
        .onSuccess(ok -> afterCommit.run())
        .recover(Database::classify);
  }

  /** Deletes the post with its comments, images and every like on them. */
  Future<JsonObject> delete(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long id = body.getLong(Field.ID);
    return IdempotencyKeys.run(pool, body, tx -> lockForChange(tx, id, actor, "delete this post")
            .compose(row -> StatsQueries.beforePostDelete(tx, id).compose(removed -> NotificationInbox
                .beforePostDelete(tx, id)
                .compose(r -> tx.preparedQuery(PostSql.DELETE_COMMENT_LIKES).execute(Tuple.of(id)))
                .compose(r -> tx.preparedQuery(PostSql.DELETE_POST_LIKES).execute(Tuple.of(id)))
                .compose(r -> tx.preparedQuery(PostSql.DELETE).execute(Tuple.of(id)))
                .compose(r -> Outbox.record(tx, body, new PostEvents.Deleted(id, row.getLong("board_id"),
                    row.getLong("author_id"), removed))))
                .map(v -> new JsonObject())))
        .onSuccess(ok -> afterCommit.run())
        .recover(Database::classify);
  }

  /**
   * A page of posts. Pages are keyset-paginated and bounded by the newest post id at the first page,
   * so posts created while a reader pages neither repeat nor shift anything: they appear on a fresh
   * first page. The cursor remembers the list it belongs to and is signed.
   */
  Future<JsonObject> list(JsonObject body) {
    Actor actor = Actor.of(body);
    Long boardId = body.getLong(Field.BOARD_ID);
    String sort = body.getString(Field.SORT, "latest");
    String period = body.getString(Field.PERIOD, "week");
    int limit = pageSize(body);
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && (!sort.equals(at.getString("sort")) || !java.util.Objects.equals(boardId, at.getLong("board"))
        || (sort.equals("top") && !period.equals(at.getString("period"))))) {
      throw Failure.badRequest("cursor belongs to another list: keep sort, period and boardId as on the first page");
    }
    if (at != null) {
      return page(actor, boardId, sort, limit, at, true).recover(Database::classify);
    }
    // A board's first page carries the board channel's seq, read before the page (see ChannelLog).
    Future<Row> start = boardId == null ? pool.query(PostSql.MAX_ID).execute().map(Rows::first)
        : pool.preparedQuery(PostSql.MAX_ID_WITH_SEQ).execute(Tuple.of(Channel.board(boardId))).map(Rows::first);
    return start.compose(row -> page(actor, boardId, sort, limit, new JsonObject()
                .put("sort", sort).put("board", boardId).put("period", period)
                .put("max", row.getLong("max_id"))
                .put("since", since(period)), false)
            .map(page -> boardId == null ? page : page.put(Field.SEQ, row.getLong(Field.SEQ))))
        .recover(Database::classify);
  }

  private Future<JsonObject> page(Actor actor, Long boardId, String sort, int limit, JsonObject pos, boolean after) {
    StringBuilder sql = new StringBuilder(PostSql.LIST).append(" WHERE p.id <= ?");
    List<Object> params = new ArrayList<>(List.of(actor.id() == null ? 0L : actor.id(), pos.getLong("max")));
    if (boardId != null) {
      sql.append(" AND p.board_id = ?");
      params.add(boardId);
    }
    String order;
    switch (sort) {
      case "hot" -> {
        if (after) {
          sql.append(" AND (p.hot_score < ? OR (p.hot_score = ? AND p.id < ?))");
          params.addAll(List.of(pos.getDouble("score"), pos.getDouble("score"), pos.getLong("id")));
        }
        order = " ORDER BY p.hot_score DESC, p.id DESC";
      }
      case "top" -> {
        if (pos.getString("since") != null) {
          sql.append(" AND p.created_at >= ?");
          params.add(LocalDateTime.parse(pos.getString("since")));
        }
        if (after) {
          sql.append(" AND (p.like_count < ? OR (p.like_count = ? AND p.id < ?))");
          params.addAll(List.of(pos.getLong("likes"), pos.getLong("likes"), pos.getLong("id")));
        }
        order = " ORDER BY p.like_count DESC, p.id DESC";
      }
      default -> {
        if (after) {
          sql.append(" AND p.id < ?");
          params.add(pos.getLong("id"));
        }
        order = " ORDER BY p.id DESC";
      }
    }
    sql.append(order).append(" LIMIT ").append(limit + 1);
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
        .map(rows -> Rows.page(rows, limit, PostService::listItem, last -> cursors.encode(pos.copy()
            .put("id", last.getLong("id")).put("score", last.getDouble("hot_score"))
            .put("likes", last.getLong("like_count")))));
  }

  /** The page size a command asks for, within 1 and {@link #MAX_PAGE}; {@link #DEFAULT_PAGE} when it does not say. */
  static int pageSize(JsonObject body) {
    return Math.max(1, Math.min(MAX_PAGE, body.getInteger(Field.LIMIT, DEFAULT_PAGE)));
  }

  /** Start of a "top" period, as a UTC LocalDateTime string; null for all time. */
  private static String since(String period) {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    return switch (period) {
      case "day" -> now.minusDays(1).toString();
      case "week" -> now.minusWeeks(1).toString();
      case "month" -> now.minusMonths(1).toString();
      case "all" -> null;
      default -> throw Failure.badRequest("period must be day, week, month or all");
    };
  }

  private Future<Row> lockForChange(SqlClient tx, long id, Actor actor, String what) {
    return tx.preparedQuery(PostSql.LOCK).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "post " + id))
        .map(row -> {
          actor.requireAuthorOrAdmin(row.getLong("author_id"), what);
          return row;
        });
  }

  private static Future<JsonObject> read(SqlClient client, long id, Actor actor) {
    return read(client, PostSql.BY_ID, id, actor);
  }

  /** The post read by {@code sql} ({@link PostSql#BY_ID}, or with the seq column). */
  private static Future<JsonObject> read(SqlClient client, String sql, long id, Actor actor) {
    return client.preparedQuery(sql).execute(Tuple.of(actor.id() == null ? 0L : actor.id(), id))
        .compose(rows -> Rows.one(rows, "post " + id))
        .map(row -> {
          JsonObject post = json(row).put(Field.CONTENT, row.getString("content"))
              .put("contentHtml", row.getString("content_html"));
          return row.getColumnIndex(Field.SEQ) < 0 ? post : post.put(Field.SEQ, row.getLong(Field.SEQ));
        })
        .compose(post -> ImageService.ofPost(client, id).map(images -> post.put(Field.IMAGES, images)));
  }

  /** A new post's event: what a list or a notification shows of it, and its text. */
  private static PostEvents.Created created(JsonObject post) {
    JsonObject author = post.getJsonObject("author");
    return new PostEvents.Created(post.getLong(Field.ID), post.getLong(Field.BOARD_ID), author.getLong(Field.ID),
        author.getString(Field.USERNAME), post.getString(Field.TITLE), post.getString(Field.CREATED_AT),
        post.getString(Field.CONTENT));
  }

  /** An edited post's event: it as it reads now. */
  private static PostEvents.Updated updated(JsonObject post) {
    JsonObject author = post.getJsonObject("author");
    return new PostEvents.Updated(post.getLong(Field.ID), post.getLong(Field.BOARD_ID), author.getLong(Field.ID),
        author.getString(Field.USERNAME), post.getString(Field.TITLE), post.getString(Field.CREATED_AT),
        post.getString(Field.CONTENT), post.getString("contentHtml"), post.getString("editedAt"));
  }

  /** A post in a list: {@link #json(Row)} with an excerpt instead of the body (rows of {@link PostSql#LIST}). */
  static JsonObject listItem(Row row) {
    return json(row).put("excerpt", row.getString("excerpt"));
  }

  static JsonObject json(Row row) {
    return new JsonObject()
        .put(Field.ID, row.getLong("id"))
        .put(Field.BOARD_ID, row.getLong("board_id"))
        .put("board", new JsonObject().put(Field.ID, row.getLong("board_id")).put(Field.NAME, row.getString("board_name")))
        .put("author", new JsonObject().put(Field.ID, row.getLong("author_id"))
            .put(Field.USERNAME, row.getString("author_name")))
        .put(Field.TITLE, row.getString("title"))
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")))
        .put("updatedAt", Database.iso(row.getLocalDateTime("updated_at")))
        .put("editedAt", Database.iso(row.getLocalDateTime("edited_at")))
        .put("commentCount", row.getLong("comment_count"))
        .put("likeCount", row.getLong("like_count"))
        .put("viewCount", row.getLong("view_count"))
        .put("hotScore", row.getDouble("hot_score"))
        .put("likedByMe", row.getBoolean("liked"));
  }

  /** A post's mentions are its title's and its content's together, as the notifier reads them. */
  private void checkMentions(String title, String content) {
    NotificationRules.requireMentionsAtMost("post", content + " " + title, mentionsPerText);
  }

  private static String checkTitle(String title) {
    return Texts.line("title", title, 200);
  }

  private static String checkContent(String content) {
    return Texts.multiline("content", content, 40_000);
  }
}
