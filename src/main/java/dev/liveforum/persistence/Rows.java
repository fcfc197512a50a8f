package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

/** Small helpers over result sets. */
final class Rows {
  private Rows() {}

  /** Ends a {@link #byId} query that locks its rows: in id order, so that two batches never deadlock. */
  static final String LOCK_IN_ORDER = " ORDER BY id FOR UPDATE";

  /** {@code  IN (?, ?, …)} with {@code n} parameters. */
  static String in(int n) {
    return " IN (" + "?, ".repeat(n - 1) + "?)";
  }

  /**
   * {@code values} (not empty) with its last one repeated up to the next power of two, for an
   * {@code IN (…)}, where a repeat changes nothing: a handful of statement shapes instead of one per
   * length keeps the prepared statement cache useful.
   */
  static <T> List<T> padded(List<T> values) {
    int size = Integer.highestOneBit(values.size());
    size = size == values.size() ? size : size * 2;
    List<T> padded = new ArrayList<>(size);
    padded.addAll(values);
    while (padded.size() < size) {
      padded.add(values.get(values.size() - 1));
    }
    return padded;
  }

  /**
   * The rows of {@code select} (which ends in {@code WHERE id}, then {@code IN (…)} and {@code tail}
   * follow) for the distinct non-null {@code ids}, by their {@code id} column.
   */
  static Future<Map<Long, Row>> byId(SqlClient client, String select, Stream<Long> ids, String tail) {
    List<Long> distinct = ids.filter(Objects::nonNull).distinct().sorted().toList();
    if (distinct.isEmpty()) {
      return Future.succeededFuture(new HashMap<>());
    }
    List<Long> params = padded(distinct);
    return client.preparedQuery(select + in(params.size()) + tail).execute(Tuple.from(params)).map(rows -> {
      Map<Long, Row> found = new HashMap<>();
      rows.forEach(row -> found.put(row.getLong("id"), row));
      return found;
    });
  }

  /**
   * Most bytes of parameters in one multi-row statement: well under the 16 MiB {@code max_allowed_packet}
   * that MariaDB has by default, even for a batch of the longest comments.
   */
  static final int MAX_STATEMENT_BYTES = 4 << 20;

  /**
   * Inserts {@code rows} with {@code insert} (which ends in {@code VALUES}) followed by {@code values}
   * (one row's {@code (?, …)}) per row, many rows per statement: {@code executeBatch} of this client
   * waits for each row's answer before it sends the next, a round trip per row. Statements take a power
   * of two of rows each (37 rows: 32, 4 and 1), so that a few statement shapes serve every batch, and
   * fewer when the rows are long. Returns each statement's result, in order.
   */
  static Future<List<RowSet<Row>>> insertAll(SqlClient tx, String insert, String values, List<Tuple> rows) {
    List<RowSet<Row>> results = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    int from = 0;
    while (from < rows.size()) {
      int n = Integer.highestOneBit(rows.size() - from);
      while (n > 1 && bytes(rows.subList(from, from + n)) > MAX_STATEMENT_BYTES) {
        n /= 2;
      }
      List<Tuple> chunk = rows.subList(from, from + n);
      from += n;
      List<Object> params = new ArrayList<>();
      chunk.forEach(row -> {
        for (int i = 0; i < row.size(); i++) {
          params.add(row.getValue(i));
        }
      });
      String sql = insert + " " + String.join(", ", Collections.nCopies(n, values));
      chain = chain.compose(v -> tx.preparedQuery(sql).execute(Tuple.from(params)).map(r -> {
        results.add(r);
        return null;
      }));
    }
    return chain.map(results);
  }

  /**
   * The ids of the rows {@link #insertAll} inserted, in the order of its rows: a statement's rows get
   * consecutive ids from its LAST_INSERT_ID (the first of them), as MariaDB and MySQL number the rows
   * of one multi-row insert. Callers check them against the rows read back.
   */
  static List<Long> insertedIds(List<RowSet<Row>> results) {
    List<Long> ids = new ArrayList<>();
    for (RowSet<Row> r : results) {
      long first = r.property(MySQLClient.LAST_INSERTED_ID);
      for (int i = 0; i < r.rowCount(); i++) {
        ids.add(first + i);
      }
    }
    return ids;
  }

  /** At most how many bytes {@code rows} take as parameters (four per character, as utf8mb4 may). */
  private static long bytes(List<Tuple> rows) {
    long bytes = 0;
    for (Tuple row : rows) {
      for (int i = 0; i < row.size(); i++) {
        bytes += row.getValue(i) instanceof String text ? 4L * text.length() : 16;
      }
    }
    return bytes;
  }

  /**
   * One statement that sets a value per row: {@code set}, then {@code CASE id WHEN ? THEN ? … END},
   * then {@code rest} (ending in {@code WHERE id}) and {@code IN (…)} with the ids of {@code values}.
   */
  static Future<Void> updateById(SqlClient tx, String set, String rest, Map<Long, Long> values) {
    if (values.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Long> ids = padded(values.keySet().stream().sorted().toList());
    List<Object> params = new ArrayList<>(ids.size() * 3);
    ids.forEach(id -> {
      params.add(id);
      params.add(values.get(id));
    });
    params.addAll(ids);
    String sql = set + "CASE id" + " WHEN ? THEN ?".repeat(ids.size()) + " END" + rest + in(ids.size());
    return tx.preparedQuery(sql).execute(Tuple.from(params)).mapEmpty();
  }

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
