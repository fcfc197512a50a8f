package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** What the search role reads from the database: pages of texts to index, and posts as list items by id. */
final class SearchFeed {
  private static final int MAX_PAGE = 2000;
  private static final int MAX_CARDS = 100;

  private final Pool pool;

  SearchFeed(Pool pool) {
    this.pool = pool;
  }

  /** {@code {type: posts|comments, after, limit}} → {@code {items}}, oldest first. */
  Future<JsonObject> page(JsonObject body) {
    boolean comments = Field.COMMENTS.equals(body.getString(Field.TYPE));
    if (!comments && !Field.POSTS.equals(body.getString(Field.TYPE))) {
      throw Failure.badRequest("type must be posts or comments");
    }
    long after = body.getLong(Field.AFTER, 0L);
    int limit = Math.max(1, Math.min(MAX_PAGE, body.getInteger(Field.LIMIT, MAX_PAGE)));
    return pool.preparedQuery(comments ? SearchSql.FEED_COMMENTS : SearchSql.FEED_POSTS)
        .execute(Tuple.of(after, limit))
        .map(rows -> {
          JsonArray items = new JsonArray();
          for (Row row : rows) {
            JsonObject item = new JsonObject()
                .put(Field.ID, row.getLong("id"))
                .put(Field.BOARD_ID, row.getLong("board_id"))
                .put(Field.AUTHOR_ID, row.getLong("author_id"))
                .put("authorName", row.getString("author_name"))
                .put(Field.CONTENT, row.getString("content"))
                .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")));
            if (comments) {
              item.put(Field.POST_ID, row.getLong("post_id"));
            } else {
              item.put(Field.TITLE, row.getString("title"));
            }
            items.add(item);
          }
          return new JsonObject().put(Field.ITEMS, items);
        })
        .recover(Database::classify);
  }

  /** {@code {ids, actorId?}} → {@code {items}}: the posts of those ids that exist, as post lists show them. */
  Future<JsonObject> cards(JsonObject body) {
    JsonArray given = body.getJsonArray(Field.IDS, new JsonArray());
    if (given.isEmpty()) {
      return Future.succeededFuture(new JsonObject().put(Field.ITEMS, new JsonArray()));
    }
    if (given.size() > MAX_CARDS) {
      throw Failure.badRequest("at most " + MAX_CARDS + " ids");
    }
    List<Long> ids = new ArrayList<>();
    given.forEach(id -> ids.add(((Number) id).longValue()));
    List<Long> padded = Rows.padded(ids);
    Actor actor = Actor.of(body);
    List<Object> params = new ArrayList<>(List.of(actor.id() == null ? 0L : actor.id()));
    params.addAll(padded);
    return pool.preparedQuery(SearchSql.CARDS + Rows.in(padded.size())).execute(Tuple.from(params))
        .map(rows -> {
          JsonArray items = new JsonArray();
          rows.forEach(row -> items.add(PostService.listItem(row)));
          return new JsonObject().put(Field.ITEMS, items);
        })
        .recover(Database::classify);
  }
}
