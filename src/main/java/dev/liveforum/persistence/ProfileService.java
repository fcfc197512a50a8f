package dev.liveforum.persistence;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.function.Function;

/** Public profiles: anyone may read a user's public fields, their posts and their comments. */
final class ProfileService {
  private final Pool pool;
  private final Cursors cursors;

  ProfileService(Pool pool, Cursors cursors) {
    this.pool = pool;
    this.cursors = cursors;
  }

  /** {@code {id}} → {@code {id, username, role, createdAt, postCount, commentCount}}; 404 for no such user. */
  Future<JsonObject> profile(JsonObject body) {
    long id = body.getLong(Field.ID);
    return pool.preparedQuery(ProfileSql.PROFILE).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "user " + id))
        .map(row -> new JsonObject()
            .put(Field.ID, row.getLong("id"))
            .put(Field.USERNAME, row.getString("username"))
            .put(Field.ROLE, row.getString("role"))
            .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")))
            .put("postCount", row.getLong("post_count"))
            .put("commentCount", row.getLong("comment_count")))
        .recover(Database::classify);
  }

  /** {@code {id, cursor?, limit?}} → the user's posts, newest first, as post list items. */
  Future<JsonObject> posts(JsonObject body) {
    Actor actor = Actor.of(body);
    return page(body, "user-posts", ProfileSql.POSTS, PostService::listItem,
        (user, before, size) -> Tuple.of(actor.id() == null ? 0L : actor.id(), user, before, size));
  }

  /** {@code {id, cursor?, limit?}} → the user's comments that are not deleted, newest first, with their post. */
  Future<JsonObject> comments(JsonObject body) {
    return page(body, "user-comments", ProfileSql.COMMENTS, ProfileService::comment, Tuple::of);
  }

  private interface Params {
    Tuple of(long user, long before, int size);
  }

  /**
   * A keyset page by descending id of one user's things. The cursor names the list and the user it
   * belongs to; a missing user is a 404 rather than an empty page.
   */
  private Future<JsonObject> page(JsonObject body, String kind, String sql, Function<Row, JsonObject> item,
                                  Params params) {
    long user = body.getLong(Field.ID);
    int limit = PostService.pageSize(body);
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && (!kind.equals(at.getString("list")) || at.getLong("user", -1L) != user)) {
      throw Failure.badRequest("cursor belongs to another list: use the nextCursor of this list's previous page");
    }
    long before = at == null ? Long.MAX_VALUE : at.getLong("id");
    return pool.preparedQuery(ProfileSql.EXISTS).execute(Tuple.of(user))
        .compose(rows -> Rows.one(rows, "user " + user))
        .compose(exists -> pool.preparedQuery(sql).execute(params.of(user, before, limit + 1)))
        .map(rows -> Rows.page(rows, limit, item, last -> cursors.encode(new JsonObject()
            .put("list", kind).put("user", user).put("id", last.getLong("id")))))
        .recover(Database::classify);
  }

  private static JsonObject comment(Row row) {
    return new JsonObject()
        .put(Field.ID, row.getLong("id"))
        .put(Field.POST_ID, row.getLong("post_id"))
        .put("postTitle", row.getString("post_title"))
        .put("parentId", row.getLong("parent_id"))
        .put("excerpt", row.getString("excerpt"))
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")))
        .put("editedAt", Database.iso(row.getLocalDateTime("edited_at")))
        .put("likeCount", row.getLong("like_count"));
  }
}
