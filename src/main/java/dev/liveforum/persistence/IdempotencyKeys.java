package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Writes sent with an {@code Idempotency-Key}. The key, whose it is and a digest of the request are
 * recorded with the write's reply in the write's own transaction, so a key is on record exactly when its
 * write committed. A repeat of the key is answered with the recorded reply and writes nothing; the key
 * with another request is a 422. Only writes that were made are recorded: a refused one (a 4xx) wrote
 * nothing, and its repeat runs again.
 *
 * <p>Two attempts of one key in flight at once (a client retrying after a timeout while the first
 * attempt is still running, on a node that was frozen, say) both look the key up, find nothing and write;
 * the second to record the key waits for the first's transaction (the key is the primary key) and, once
 * that committed, fails on the duplicate: its transaction rolls back and runs again ({@link Transactions}),
 * and this time finds the first's reply. A single write that failed looks its key up once more, since the
 * failure may come from the first attempt's change (a username it took, a comment it deleted).
 */
final class IdempotencyKeys {
  private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
  /** What the HTTP edge accepts; checked again here, as the bus is an interface of its own. */
  static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final Pattern SCOPE = Pattern.compile("(user|guest):[0-9A-Za-z.:%_-]{1,58}");
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  private static final String FIND = "SELECT scope, idem_key, digest, reply FROM idempotency_keys WHERE ";
  private static final String ONE = "(scope = ? AND idem_key = ?)";
  private static final String INSERT = "INSERT INTO idempotency_keys (scope, idem_key, digest, reply, created_at) VALUES";
  private static final String ROW = "(?, ?, ?, ?, UTC_TIMESTAMP(3))";
  /** Uses ix_idempotency_keys_created; in pieces, so that a purge never holds many locks for long. */
  private static final String PURGE =
      "DELETE FROM idempotency_keys WHERE created_at < UTC_TIMESTAMP(3) - INTERVAL ? HOUR LIMIT 5000";
  private static final int PURGE_PIECE = 5000;

  private IdempotencyKeys() {}

  /**
   * A key as the edge sent it ({@link Field#IDEMPOTENCY}: {@code {scope, key, digest}}): {@code scope}
   * is {@code user:<id>} or, for a guest (registration), {@code guest:<client address>}; {@code digest}
   * an HMAC-SHA256 of the request's method, path and command.
   */
  record Key(String scope, String key, String digest) {
    /** The command's key, or null when it came without one. */
    static Key of(JsonObject command) {
      JsonObject k = command.getJsonObject(Field.IDEMPOTENCY);
      if (k == null) {
        return null;
      }
      Key key = new Key(k.getString(Field.SCOPE, ""), k.getString(Field.KEY, ""), k.getString(Field.DIGEST, ""));
      if (!KEY.matcher(key.key).matches() || !SCOPE.matcher(key.scope).matches()
          || !DIGEST.matcher(key.digest).matches()) {
        throw Failure.badRequest("Idempotency-Key must be 1 to 100 letters, digits or - _ . :");
      }
      return key;
    }

    private String id() {
      return scope + " " + key;
    }
  }

  /** The second transaction to record a key lost the race to the first: it runs again and finds its reply. */
  static final class Raced extends RuntimeException {
    Raced() {
      super("another attempt with this Idempotency-Key committed first", null, false, false);
    }
  }

  /**
   * Runs {@code write} in a transaction of its own, recording the command's key (if any) with its reply,
   * or answers the reply recorded for that key before.
   */
  static Future<JsonObject> run(Pool pool, JsonObject command, Function<SqlConnection, Future<JsonObject>> write) {
    Key key = Key.of(command);
    if (key == null) {
      return Transactions.run(pool, write);
    }
    return Transactions.run(pool, tx -> once(tx, key, () -> write.apply(tx)))
        .recover(failure -> recorded(pool, List.of(key))
            .transform(found -> found.succeeded() && found.result().containsKey(key.id())
                ? found.result().get(key.id()).answer(key)
                : Future.failedFuture(failure)));
  }

  private static Future<JsonObject> once(SqlClient tx, Key key, java.util.function.Supplier<Future<JsonObject>> write) {
    return batch(tx, List.of(key), k -> k, keys -> write.get().map(reply -> List.of(Future.succeededFuture(reply))))
        .compose(outcomes -> outcomes.get(0));
  }

  /**
   * A group-committed batch of writes in {@code tx}: the ones whose key is on record are answered from it;
   * a key twice in the batch is written once, and its second write gets the first's outcome; the rest go
   * to {@code write}, which returns one outcome per write, in order. The keys of the writes that succeeded
   * are recorded with their replies. Outcomes come back in the order of {@code writes}.
   */
  static <I> Future<List<Future<JsonObject>>> batch(SqlClient tx, List<I> writes, Function<I, Key> keyOf,
                                                     Function<List<I>, Future<List<Future<JsonObject>>>> write) {
    List<Key> keys = writes.stream().map(keyOf).toList();
    if (keys.stream().allMatch(Objects::isNull)) {
      return write.apply(writes);
    }
    return recorded(tx, keys).compose(earlier -> {
      int n = writes.size();
      List<Future<JsonObject>> outcomes = new ArrayList<>(Collections.nCopies(n, null));
      List<I> fresh = new ArrayList<>(n);
      List<Integer> freshAt = new ArrayList<>(n);
      Map<String, Integer> firstInBatch = new HashMap<>();
      int[] sameAs = new int[n];
      for (int i = 0; i < n; i++) {
        sameAs[i] = -1;
        Key key = keys.get(i);
        if (key != null && earlier.containsKey(key.id())) {
          outcomes.set(i, earlier.get(key.id()).answer(key));
          continue;
        }
        Integer first = key == null ? null : firstInBatch.putIfAbsent(key.id(), i);
        if (first != null) {
          sameAs[i] = first;
          continue;
        }
        fresh.add(writes.get(i));
        freshAt.add(i);
      }
      Future<List<Future<JsonObject>>> written = fresh.isEmpty() ? Future.succeededFuture(List.of()) : write.apply(fresh);
      return written.compose(freshOutcomes -> {
        List<Key> toRecord = new ArrayList<>();
        Map<Key, JsonObject> replies = new HashMap<>();
        for (int j = 0; j < freshOutcomes.size(); j++) {
          int i = freshAt.get(j);
          Future<JsonObject> outcome = freshOutcomes.get(j);
          outcomes.set(i, outcome);
          Key key = keys.get(i);
          if (key != null && outcome.succeeded()) {
            toRecord.add(key);
            replies.put(key, outcome.result());
          }
        }
        for (int i = 0; i < n; i++) {
          if (sameAs[i] >= 0) {
            outcomes.set(i, keys.get(i).digest.equals(keys.get(sameAs[i]).digest) ? outcomes.get(sameAs[i])
                : Future.failedFuture(mismatch(keys.get(i))));
          }
        }
        // In one order, so that two batches recording the same keys wait for each other, never deadlock.
        toRecord.sort(Comparator.comparing(Key::id));
        List<Tuple> rows = toRecord.stream()
            .map(k -> Tuple.of(k.scope, k.key, k.digest, replies.get(k).encode())).toList();
        return Rows.insertAll(tx, INSERT, ROW, rows)
            .recover(t -> Future.failedFuture(Database.cause(t) instanceof DatabaseException e
                && e.getErrorCode() == Database.DUPLICATE_KEY ? new Raced() : t))
            .map(outcomes);
      });
    });
  }

  /** A recorded reply, and the digest of the request that made it. */
  private record Recorded(String digest, JsonObject reply) {
    Future<JsonObject> answer(Key key) {
      return digest.equals(key.digest) ? Future.succeededFuture(reply.copy()) : Future.failedFuture(mismatch(key));
    }
  }

  private static Future<Map<String, Recorded>> recorded(SqlClient client, List<Key> keys) {
    List<Key> distinct = Rows.padded(keys.stream().filter(Objects::nonNull).distinct().toList());
    List<Object> params = new ArrayList<>(distinct.size() * 2);
    distinct.forEach(k -> params.addAll(List.of(k.scope, k.key)));
    return client.preparedQuery(FIND + String.join(" OR ", Collections.nCopies(distinct.size(), ONE)))
        .execute(Tuple.from(params))
        .map(rows -> {
          Map<String, Recorded> found = new HashMap<>();
          for (Row row : rows) {
            found.put(row.getString("scope") + " " + row.getString("idem_key"),
                new Recorded(row.getString("digest"), new JsonObject(row.getString("reply"))));
          }
          return found;
        });
  }

  private static io.vertx.core.eventbus.ReplyException mismatch(Key key) {
    return Failure.of(422, "Idempotency-Key " + key.key + " was already used with a different request (another "
        + "method, address or body); send a new key with a new request");
  }

  /** Forgets keys older than {@code keepHours} (a timer's job: a failed purge only waits for the next one). */
  static Future<Long> purge(Pool pool, int keepHours) {
    return purgeFrom(pool, keepHours, 0L)
        .onFailure(t -> log.warn("idempotency key purge failed: {}", t.getMessage()));
  }

  private static Future<Long> purgeFrom(Pool pool, int keepHours, long sofar) {
    return Transactions.retryingDeadlocks(() -> pool.preparedQuery(PURGE).execute(Tuple.of(keepHours)))
        .compose(r -> r.rowCount() == PURGE_PIECE ? purgeFrom(pool, keepHours, sofar + r.rowCount())
            : Future.succeededFuture(sofar + r.rowCount()));
  }
}
