package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.BoardEvents;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Boards: everyone reads them, admins create, change and delete them. */
final class BoardService {
  /** As the contract's {@code maxLength} of a board's description. */
  private static final int MAX_DESCRIPTION = 1000;
  private final Pool pool;
  private final Runnable afterCommit;

  BoardService(Pool pool, Runnable afterCommit) {
    this.pool = pool;
    this.afterCommit = afterCommit;
  }

  Future<JsonObject> list(JsonObject body) {
    return pool.query(BoardSql.LIST).execute().map(rows -> {
      JsonArray items = new JsonArray();
      rows.forEach(row -> items.add(json(row)));
      return new JsonObject().put(Field.ITEMS, items);
    }).recover(Database::classify);
  }

  Future<JsonObject> get(JsonObject body) {
    long id = body.getLong(Field.ID);
    return pool.preparedQuery(BoardSql.BY_ID).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "board " + id)).map(BoardService::json)
        .recover(Database::classify);
  }

  Future<JsonObject> create(JsonObject body) {
    Actor.of(body).requireAdmin("create boards");
    String name = checkName(body.getString(Field.NAME));
    String description = Texts.optional("description", body.getString(Field.DESCRIPTION), MAX_DESCRIPTION);
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(BoardSql.INSERT).execute(Tuple.of(name, description))
            .compose(r -> tx.preparedQuery(BoardSql.BY_ID).execute(Tuple.of(r.property(MySQLClient.LAST_INSERTED_ID))))
            .map(rows -> json(Rows.first(rows)))
            .compose(board -> Outbox.record(tx, body, new BoardEvents.Created(board.getLong(Field.ID),
                board.getString(Field.NAME), board.getString(Field.DESCRIPTION), board.getLong("postCount"),
                board.getString(Field.CREATED_AT), board.getString("updatedAt"))).map(board)))
        .onSuccess(ok -> afterCommit.run())
        .recover(t -> recoverName(t, name));
  }

  Future<JsonObject> update(JsonObject body) {
    Actor.of(body).requireAdmin("change boards");
    long id = body.getLong(Field.ID);
    String name = body.getString(Field.NAME) == null ? null : checkName(body.getString(Field.NAME));
    String description = body.getString(Field.DESCRIPTION) == null ? null
        : Texts.optional("description", body.getString(Field.DESCRIPTION), MAX_DESCRIPTION);
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(BoardSql.UPDATE).execute(Tuple.of(name, description, id))
            .compose(r -> tx.preparedQuery(BoardSql.BY_ID).execute(Tuple.of(id)))
            .compose(rows -> Rows.one(rows, "board " + id)).map(BoardService::json)
            .compose(board -> Outbox.record(tx, body, new BoardEvents.Updated(board.getLong(Field.ID),
                board.getString(Field.NAME), board.getString(Field.DESCRIPTION), board.getLong("postCount"),
                board.getString(Field.CREATED_AT), board.getString("updatedAt"))).map(board)))
        .onSuccess(ok -> afterCommit.run())
        .recover(t -> recoverName(t, name));
  }

  /** A board with posts is not deleted: its posts would vanish with it. */
  Future<JsonObject> delete(JsonObject body) {
    Actor.of(body).requireAdmin("delete boards");
    long id = body.getLong(Field.ID);
    return IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(BoardSql.LOCK).execute(Tuple.of(id))
            .compose(rows -> Rows.one(rows, "board " + id))
            .compose(row -> tx.preparedQuery(BoardSql.HAS_POSTS).execute(Tuple.of(id)))
            .compose(rows -> Rows.first(rows).getBoolean("has_posts")
                ? Future.failedFuture(Failure.conflict("board " + id + " still has posts; delete or move them first"))
                : tx.preparedQuery(BoardSql.DELETE).execute(Tuple.of(id)))
            .compose(r -> Outbox.record(tx, body, new BoardEvents.Deleted(id)))
            .map(v -> new JsonObject()))
        .onSuccess(ok -> afterCommit.run())
        .recover(Database::classify);
  }

  private static String checkName(String name) {
    return Texts.line("name", name, 80);
  }

  private static <T> Future<T> recoverName(Throwable t, String name) {
    return Database.isDuplicate(t, "uq_boards_name")
        ? Future.failedFuture(Failure.conflict("a board named '" + name + "' already exists"))
        : Database.classify(t);
  }

  static JsonObject json(Row row) {
    return new JsonObject()
        .put(Field.ID, row.getLong("id"))
        .put(Field.NAME, row.getString("name"))
        .put(Field.DESCRIPTION, row.getString("description"))
        .put("postCount", row.getLong("post_count"))
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")))
        .put("updatedAt", Database.iso(row.getLocalDateTime("updated_at")));
  }
}
