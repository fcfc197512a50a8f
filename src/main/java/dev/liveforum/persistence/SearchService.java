package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** Full-text search over post titles and bodies, best match first, optionally within one board. */
final class SearchService {
  static final int MAX_QUERY = 200;
  /** Everything but letters, digits and underscores separates words, so no operator or quote reaches MATCH. */
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}_]+");
  private static final String KIND = "search";

  private final Pool pool;
  private final Cursors cursors;

  SearchService(Pool pool, Cursors cursors) {
    this.pool = pool;
    this.cursors = cursors;
  }

  /**
   * {@code {q, boardId?, cursor?, limit?}} → {@code {items, nextCursor}}, items as in post lists plus
   * their relevance {@code score}. Pages are keyset-paginated on (score, id) after the previous page's
   * last post, and bounded by the newest post id at the first page, so posts created while paging
   * neither appear nor shift a page (see {@link SearchSql#NEXT}).
   */
  Future<JsonObject> search(JsonObject body) {
    Actor actor = Actor.of(body);
    String q = body.getString(Field.QUERY);
    if (q == null || q.isBlank() || q.length() > MAX_QUERY) {
      throw Failure.badRequest("q must be 1 to " + MAX_QUERY + " characters");
    }
    String words = NOT_WORD.matcher(q).replaceAll(" ").strip();
    if (words.isEmpty()) {
      throw Failure.badRequest("q must contain a word (letters or digits) to search for");
    }
    Long boardId = body.getLong(Field.BOARD_ID);
    int limit = PostService.pageSize(body);
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && (!KIND.equals(at.getString("list")) || !words.equals(at.getString("q"))
        || !Objects.equals(boardId, at.getLong("board")))) {
      throw Failure.badRequest("cursor belongs to another search: keep q and boardId as on the first page");
    }
    Future<JsonObject> start = at != null ? Future.succeededFuture(at)
        : pool.query(PostSql.MAX_ID).execute().map(rows -> new JsonObject()
            .put("list", KIND).put("q", words).put("board", boardId).put("max", Rows.first(rows).getLong("max_id")));
    return start.compose(pos -> page(actor, words, boardId, limit, pos, at != null)).recover(Database::classify);
  }

  private Future<JsonObject> page(Actor actor, String words, Long boardId, int limit, JsonObject pos, boolean after) {
    StringBuilder sql = new StringBuilder(after ? SearchSql.NEXT : SearchSql.FIRST);
    List<Object> params = new ArrayList<>(List.of(actor.id() == null ? 0L : actor.id(), words));
    if (after) {
      params.addAll(List.of(words, pos.getLong("id"), pos.getDouble("score")));
    }
    params.addAll(List.of(words, pos.getLong("max")));
    if (boardId != null) {
      sql.append(SearchSql.IN_BOARD);
      params.add(boardId);
    }
    if (after) {
      sql.append(SearchSql.AFTER);
      params.addAll(List.of(words, words, pos.getLong("id")));
    }
    sql.append(SearchSql.ORDER);
    params.add(limit + 1);
    return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
        .map(rows -> Rows.page(rows, limit, row -> PostService.listItem(row).put("score", row.getDouble("score")),
            last -> cursors.encode(pos.copy().put("score", last.getDouble("score")).put("id", last.getLong("id")))));
  }
}
