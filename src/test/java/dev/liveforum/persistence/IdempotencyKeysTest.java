package dev.liveforum.persistence;

import dev.liveforum.bus.Field;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;
import java.util.UUID;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The key table itself: two attempts of one key in flight at once, and the purge of old keys. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Idempotency keys in the database")
class IdempotencyKeysTest {
  private static final String DIGEST = "a".repeat(64);
  private Vertx vertx;
  private Pool pool;

  @BeforeAll
  void start() {
    Database.migrateNow(TestServices.config().db());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, TestServices.config().db());
  }

  @AfterAll
  void stop() {
    pool.close().await();
    vertx.close().await();
  }

  private static JsonObject command(String key) {
    return new JsonObject().put(Field.IDEMPOTENCY, new JsonObject().put(Field.SCOPE, "user:1")
        .put(Field.KEY, key).put(Field.DIGEST, DIGEST));
  }

  @Test
  @DisplayName("a repeat that starts while the first attempt is uncommitted waits for it, then answers the first's reply")
  void attemptsInFlightAtOnce() {
    String key = UUID.randomUUID().toString();
    Promise<Void> recorded = Promise.promise();
    Promise<Void> commitFirst = Promise.promise();
    // The first attempt records its key, then holds its transaction open until told to commit.
    Future<JsonObject> first = Transactions.run(pool, tx -> IdempotencyKeys.batch(tx, List.of(command(key)),
            IdempotencyKeys.Key::of, writes -> Future.succeededFuture(List.of(
                Future.succeededFuture(new JsonObject().put("made", "first")))))
        .compose(outcomes -> {
          recorded.complete();
          return commitFirst.future().compose(v -> outcomes.get(0));
        }));
    recorded.future().await();
    // The second attempt comes in a batch (group commit) with another write, which must not fail for it.
    String other = UUID.randomUUID().toString();
    Future<List<Future<JsonObject>>> second = Transactions.run(pool, tx -> IdempotencyKeys.batch(tx,
        List.of(command(key), command(other)), IdempotencyKeys.Key::of, writes -> Future.succeededFuture(
            writes.stream().map(w -> Future.succeededFuture(new JsonObject().put("made",
                w.getJsonObject(Field.IDEMPOTENCY).getString(Field.KEY).equals(key) ? "second" : "other"))).toList())));
    eventually("the second attempt waiting for the first's key", () -> lockWaits() == 1);
    vertx.runOnContext(v -> commitFirst.complete());

    assertEquals("first", first.await().getString("made"));
    List<Future<JsonObject>> outcomes = second.await();
    assertEquals("first", outcomes.get(0).await().getString("made"), "the second attempt answers the first's reply");
    assertEquals("other", outcomes.get(1).await().getString("made"), "the write batched with it is made");
    assertEquals(2, TestDb.count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key IN (?, ?)", key, other),
        "each key recorded once");
  }

  @Test
  @DisplayName("keys older than the time they are kept are purged; younger ones stay")
  void purge() {
    String old = "old-" + UUID.randomUUID();
    String young = "young-" + UUID.randomUUID();
    TestDb.update("INSERT INTO idempotency_keys (scope, idem_key, digest, reply, created_at) VALUES"
        + " ('user:1', ?, ?, '{}', UTC_TIMESTAMP(3) - INTERVAL 25 HOUR),"
        + " ('user:1', ?, ?, '{}', UTC_TIMESTAMP(3) - INTERVAL 23 HOUR)", old, DIGEST, young, DIGEST);
    IdempotencyKeys.purge(pool, 24).await();
    assertEquals(0, TestDb.count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = ?", old));
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM idempotency_keys WHERE idem_key = ?", young));
  }

  /**
   * Statements of this database recording a key and not done: the second attempt's insert, waiting for the
   * first's uncommitted key. (InnoDB's INNODB_TRX did not always list that transaction, as LOCK WAIT or at
   * all, while the process list showed its insert running.)
   */
  private static long lockWaits() {
    return TestDb.count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE()"
        + " AND COMMAND = 'Execute' AND INFO LIKE 'INSERT INTO idempotency_keys%'");
  }
}
