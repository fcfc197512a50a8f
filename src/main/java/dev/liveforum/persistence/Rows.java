package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.util.function.Function;

/** Small helpers over result sets. */
final class Rows {
  private Rows() {}

  static Row first(RowSet<Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? it.next() : null;
  }

  /** The only row, or a 404 saying {@code what} does not exist. */
  static Future<Row> one(RowSet<Row> rows, String what) {
    Row row = first(rows);
    return row == null ? Future.failedFuture(Failure.notFound(what + " does not exist")) : Future.succeededFuture(row);
  }

  /**
   * {@code {items, nextCursor}} from rows fetched with {@code LIMIT limit + 1}: at most {@code limit}
   * items, and the cursor {@code next} makes from the last of them when the extra row shows there is more.
   */
  static JsonObject page(RowSet<Row> rows, int limit, Function<Row, JsonObject> item, Function<Row, String> next) {
    JsonArray items = new JsonArray();
    Row last = null;
    for (Row row : rows) {
      if (items.size() == limit) {
        break;
      }
      items.add(item.apply(row));
      last = row;
    }
    return new JsonObject().put(Field.ITEMS, items)
        .put(Field.NEXT_CURSOR, rows.size() > limit && last != null ? next.apply(last) : null);
  }
}
