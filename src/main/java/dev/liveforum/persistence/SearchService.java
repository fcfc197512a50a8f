package dev.liveforum.persistence;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * MariaDB FULLTEXT search over post titles and bodies, best match first, optionally filtered by board,
 * author and days: what answers while no search role is ready (see dev.liveforum.search).
 */
final class SearchService {
  static final int MAX_QUERY = 200;
  /** Everything but letters, digits and underscores separates words, so no operator or quote reaches MATCH. */
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}_]+");
  private static final String KIND = "search";
  /** Tells a search's reader which search answered (the search role's index says {@code index}). */
  private static final String ENGINE = "fulltext";

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
    Filters filters = new Filters(body.getLong(Field.BOARD_ID), body.getLong(Field.AUTHOR_ID),
        day(body.getString(Field.FROM), 0), day(body.getString(Field.TO), 1));
    int limit = PostService.pageSize(body);
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && (!KIND.equals(at.getString("list")) || !words.equals(at.getString("q"))
        || !Objects.equals(filters.board(), at.getLong("board")) || !Objects.equals(filters.author(), at.getLong("author"))
        || !Objects.equals(body.getString(Field.FROM), at.getString(Field.FROM))
        || !Objects.equals(body.getString(Field.TO), at.getString(Field.TO)))) {
      throw Failure.badRequest("cursor belongs to another search: keep q, boardId, authorId, from and to as on the first page");
    }
    Future<JsonObject> start = at != null ? Future.succeededFuture(at)
        : pool.query(PostSql.MAX_ID).execute().map(rows -> new JsonObject()
            .put("list", KIND).put("q", words).put("board", filters.board()).put("author", filters.author())
            .put(Field.FROM, body.getString(Field.FROM)).put(Field.TO, body.getString(Field.TO))
            .put("max", Rows.first(rows).getLong("max_id")));
    return start.compose(pos -> page(actor, words, filters, limit, pos, at != null))
        .map(page -> page.put("engine", ENGINE))
        .recover(Database::classify);
  }

  /** The filters besides the words; a day bound is the start of a UTC day ({@code to}'s next day), or null. */
  private record Filters(Long board, Long author, LocalDateTime from, LocalDateTime before) {}

  private static LocalDateTime day(String day, int plus) {
    try {
      return day == null ? null : LocalDate.parse(day).plusDays(plus).atStartOfDay();
    } catch (DateTimeParseException e) {
      throw Failure.badRequest("from and to must be days, YYYY-MM-DD");
    }
  }

  private Future<JsonObject> page(Actor actor, String words, Filters filters, int limit, JsonObject pos, boolean after) {
    StringBuilder sql = new StringBuilder(after ? SearchSql.NEXT : SearchSql.FIRST);
    List<Object> params = new ArrayList<>(List.of(actor.id() == null ? 0L : actor.id(), words));
    if (after) {
      params.addAll(List.of(words, pos.getLong("id"), pos.getDouble("score")));
    }
    params.addAll(List.of(words, pos.getLong("max")));
    if (filters.board() != null) {
      sql.append(SearchSql.IN_BOARD);
      params.add(filters.board());
    }
    if (filters.author() != null) {
      sql.append(SearchSql.IN_AUTHOR);
      params.add(filters.author());
    }
    if (filters.from() != null) {
      sql.append(SearchSql.CREATED_FROM);
      params.add(filters.from());
    }
    if (filters.before() != null) {
      sql.append(SearchSql.CREATED_BEFORE);
      params.add(filters.before());
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
