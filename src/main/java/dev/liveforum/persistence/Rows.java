package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

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
}
