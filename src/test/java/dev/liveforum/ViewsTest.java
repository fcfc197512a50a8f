package dev.liveforum;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * View counting: de-duplicated per reader per day in Redis, buffered, and flushed to
 * {@code posts.view_count} by whichever node holds the flush lock. The node most tests read through
 * flushes only once an hour, so what it shows before a flush node is started comes from Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Post views")
class ViewsTest {
  private static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger SEQ = new AtomicInteger();
  /** A flush interval that never comes round during a test. */
  private static final int NEVER = 3_600_000;
  private static final int FAST = 20;
  // Redis keys of cache/ViewCounter, under the run's key prefix.
  private static final String LOCK = "views:lock";
  private static final String FLUSHING = "views:flushing";
  private static final String SEEN = "views:seen:";

  private TestNode node;
  private Api api;
  private Forum forum;
  private long boardId;
  private String authorToken;
  private Vertx redisVertx;
  private RedisAPI redis;
  private String prefix;

  @BeforeAll
  void start() {
    node = TestNode.start(withFlushInterval(NEVER));
    api = new Api(node.port);
    forum = new Forum(api);
    boardId = forum.board();
    authorToken = forum.user("viewauthor");
    redisVertx = Vertx.vertx();
    redis = RedisAPI.api(Redis.createClient(redisVertx, TestServices.config().redis().url()));
    prefix = TestServices.config().redis().keyPrefix();
  }

  @AfterAll
  void stop() {
    try {
      node.close();
    } finally {
      redisVertx.close().await();
    }
  }

  private static Config withFlushInterval(int ms) {
    return TestServices.config().with(Setting.VIEWS_FLUSH_INTERVAL, ms);
  }


  private long newPost() {
    return forum.post(authorToken);
  }

  private String newReader() {
    return forum.user("reader");
  }

  /** Reads the post as {@code token} (null: a guest) and returns the view count the reader is shown. */
  private static long read(Api api, long postId, String token) {
    Api.Response r = api.get("/api/posts/" + postId, token);
    assertEquals(200, r.status(), r.toString());
    return r.json().getLong("viewCount");
  }

  private static long dbViews(long postId) {
    return TestDb.count("SELECT view_count FROM posts WHERE id = ?", postId);
  }

  /** The views of a post the cache role holds that the database does not have yet. */
  private long pending(long postId) {
    JsonObject reply = node.node.vertx().eventBus()
        .<JsonObject>request(Address.VIEW_PENDING, new JsonObject().put(Field.POST_IDS, new JsonArray().add(postId)))
        .map(Message::body).await();
    return reply.getJsonObject(Field.PENDING).getLong(String.valueOf(postId));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("a signed-in reader counts once a day: reading twice shows 1, a second reader makes it 2")
  void signedInReadersCountOncePerDay() {
    long post = newPost();
    String ann = newReader();
    String ben = newReader();

    assertEquals(1, read(api, post, ann), "the reader's own view is in the count they see");
    assertEquals(1, read(api, post, ann), "the same reader again the same day");
    assertEquals(2, read(api, post, ben));
    assertEquals(2, read(api, post, ann));
    // The node batches views to Redis; both get there, once each.
    eventually("both views are in Redis", () -> pending(post) == 2);
    assertEquals(2, read(api, post, ben));
  }

  @Test
  @DisplayName("guests are counted by IP address: two guest reads from one address count once")
  void guestsCountByAddress() {
    long post = newPost();

    assertEquals(1, read(api, post, null));
    assertEquals(1, read(api, post, null), "the same address again");
    assertEquals(2, read(api, post, newReader()), "a signed-in reader is someone else");
  }

  @Test
  @DisplayName("a view never writes the database on the read path; the post, the post list and the author's"
      + " list all show the unflushed views")
  void unflushedViewsAreShownButNotWritten() {
    long post = newPost();
    for (int i = 0; i < 3; i++) {
      read(api, post, newReader());
    }

    assertEquals(0, dbViews(post), "nothing is written to posts.view_count while reading");
    assertEquals(3, read(api, post, null) - 1, "the guest's read is the fourth view");
    assertEquals(0, dbViews(post));

    // The guest's view may still wait in the batch of the other HTTP event loop (50 ms), which this
    // list request may not be served by.
    eventually("the list shows the post's four views", () -> {
      Api.Response list = api.get("/api/posts?boardId=" + boardId + "&limit=50");
      assertEquals(200, list.status(), list.toString());
      return list.json().getJsonArray("items").stream().map(JsonObject.class::cast)
          .filter(p -> p.getLong("id") == post).findFirst().orElseThrow();
    }, shown -> shown.getLong("viewCount") == 4);
  }

  @Test
  @DisplayName("de-duplication sets expire (48 hours), so Redis does not keep every reader forever")
  void seenSetsExpire() {
    long post = newPost();
    read(api, post, null);
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      Response page = redis.scan(List.of(cursor, "MATCH", prefix + SEEN + "*:" + post, "COUNT", "1000")).await();
      cursor = page.get(0).toString();
      page.get(1).forEach(k -> keys.add(k.toString()));
    } while (!cursor.equals("0"));
    assertEquals(1, keys.size(), "one set for the post today: " + keys);
    long ttl = redis.ttl(keys.get(0)).await().toLong();
    assertTrue(ttl > 47 * 3600 && ttl <= 48 * 3600, "TTL of " + keys.get(0) + " is " + ttl);
  }

  @Test
  @DisplayName("reading a missing post is a 404 and counts no view; a malformed id is a 400")
  void missingPostCountsNothing() {
    long missing = 9_000_000_000L + SEQ.incrementAndGet();
    Api.Response r = api.get("/api/posts/" + missing);
    assertEquals(404, r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType());
    assertTrue(r.json().getString("detail").contains("does not exist"), r.toString());
    assertEquals(0, pending(missing));

    Api.Response bad = api.get("/api/posts/abc");
    assertEquals(400, bad.status(), bad.toString());
    assertEquals("application/problem+json", bad.contentType());
  }

  @Test
  @DisplayName("the flush adds buffered views to posts.view_count, and the count shown stays the same across it")
  void flushMovesViewsToTheDatabase() {
    long post = newPost();
    for (int i = 0; i < 3; i++) {
      read(api, post, newReader());
    }
    assertEquals(0, dbViews(post));

    try (TestNode flusher = TestNode.start(withFlushInterval(FAST))) {
      eventually("the 3 views are in the database", () -> dbViews(post) == 3);
      eventually("nothing of the post is left in Redis", () -> pending(post) == 0);
      assertEquals(4, read(api, post, authorToken), "3 flushed + the author's own, none counted twice");
      // The flusher keeps running, so the author's view reaches the database too: once.
      eventually("the author's view is flushed as well", () -> dbViews(post) == 4 && pending(post) == 0);
      assertEquals(4, read(api, post, authorToken), "the same count after the flush");
    }
  }

  @Test
  @DisplayName("two nodes flushing at the same time never double-count: N readers through both give exactly N")
  void twoFlushingNodesCountEachViewOnce() {
    long post = newPost();
    int readers = 24;
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      tokens.add(newReader());
    }
    try (TestNode one = TestNode.start(withFlushInterval(FAST));
         TestNode two = TestNode.start(withFlushInterval(FAST))) {
      Api apiOne = new Api(one.port);
      Api apiTwo = new Api(two.port);
      // Every reader reads through both nodes at once, while both flush every 20 ms.
      List<Future<Api.Response>> reads = new ArrayList<>();
      for (String token : tokens) {
        reads.add(apiOne.sendAsync(HttpMethod.GET, "/api/posts/" + post, token, null, null));
        reads.add(apiTwo.sendAsync(HttpMethod.GET, "/api/posts/" + post, token, null, null));
      }
      for (Future<Api.Response> read : reads) {
        assertEquals(200, read.await().status());
      }

      eventually("all " + readers + " views are in the database", () -> dbViews(post) >= readers);
      eventually("nothing of the post is left in Redis", () -> pending(post) == 0);
      sleep(25L * FAST); // more flush rounds on both nodes: a batch applied twice would show now
      assertEquals(readers, dbViews(post));
      assertEquals(0, pending(post));
    }
  }

  @Test
  @DisplayName("a batch delivered twice (a retry after a lost reply) is added once")
  void batchIsAppliedOnce() {
    long post = newPost();
    String batch = UUID.randomUUID().toString();
    JsonObject command = new JsonObject().put(Field.BATCH, batch)
        .put(Field.VIEWS, new JsonObject().put(String.valueOf(post), 5));

    JsonObject first = addViews(command);
    JsonObject second = addViews(command);

    assertTrue(first.getBoolean("applied"), first.encode());
    assertFalse(second.getBoolean("applied"), second.encode());
    assertEquals(5, dbViews(post));
    addViews(command.copy().put(Field.BATCH, UUID.randomUUID().toString()));
    assertEquals(10, dbViews(post), "another batch adds its views");
  }

  @Test
  @DisplayName("a malformed batch is refused with 400 and changes nothing")
  void malformedBatchIsRefused() {
    long post = newPost();
    for (JsonObject bad : List.of(
        new JsonObject().put(Field.VIEWS, new JsonObject().put(String.valueOf(post), 1)),
        new JsonObject().put(Field.BATCH, UUID.randomUUID().toString()),
        new JsonObject().put(Field.BATCH, UUID.randomUUID().toString())
            .put(Field.VIEWS, new JsonObject().put("not-an-id", 1)),
        new JsonObject().put(Field.BATCH, UUID.randomUUID().toString())
            .put(Field.VIEWS, new JsonObject().put(String.valueOf(post), -3)))) {
      Throwable failure = node.node.vertx().eventBus().request(Address.POST_ADD_VIEWS, bad)
          .transform(ar -> Future.succeededFuture(ar.cause())).await();
      assertTrue(failure instanceof ReplyException e && e.failureCode() == 400, bad.encode() + " → " + failure);
    }
    assertEquals(0, dbViews(post));
  }

  private JsonObject addViews(JsonObject command) {
    return node.node.vertx().eventBus().<JsonObject>request(Address.POST_ADD_VIEWS, command)
        .map(Message::body).await();
  }

  @Test
  @DisplayName("while someone else holds the flush lock nothing is flushed; once it is released, everything is")
  void flushWaitsForTheLock() {
    long post = newPost();
    String lock = prefix + LOCK;
    assertEquals("OK", redis.set(List.of(lock, "someone-else", "PX", "60000")).await().toString());
    try (TestNode flusher = TestNode.start(withFlushInterval(FAST))) {
      read(api, post, newReader());
      read(api, post, newReader());
      sleep(25L * FAST);
      assertEquals(0, dbViews(post), "the lock is someone else's");
      assertEquals("someone-else", redis.get(lock).await().toString(), "and only its holder releases it");

      redis.del(List.of(lock)).await();
      eventually("the 2 views are in the database", () -> dbViews(post) == 2);
    } finally {
      redis.del(List.of(lock)).await();
    }
  }

  @Test
  @DisplayName("when the database cannot take a batch, the batch waits in Redis and is applied once later:"
      + " no view lost, none doubled")
  void failedFlushIsRetried() {
    long post = newPost();
    read(api, post, newReader());
    read(api, post, newReader());
    read(api, post, newReader());

    // A node with the cache role only: its flusher takes the batch, but no persistence role answers.
    try (TestNode cacheOnly = TestNode.start(withFlushInterval(FAST)
        .with(Setting.ROLES, new JsonArray().add("cache")))) {
      eventually("the batch is taken aside", () -> redis.exists(List.of(prefix + FLUSHING)).await().toLong() == 1);
      read(api, post, newReader());
      sleep(10L * FAST); // a few failed flushes
      assertEquals(0, dbViews(post));
      assertEquals(4, read(api, post, authorToken) - 1, "the batch being retried still counts, the author is fifth");
    }

    try (TestNode flusher = TestNode.start(withFlushInterval(FAST))) {
      eventually("all 5 views are in the database", () -> dbViews(post) >= 5);
      eventually("nothing of the post is left in Redis", () -> pending(post) == 0);
      sleep(10L * FAST);
      assertEquals(5, dbViews(post));
      assertEquals(5, read(api, post, authorToken), "the author was counted already today");
    }
  }

  @Test
  @DisplayName("with Redis unreachable, a post still reads (with the database's count) and lists still list")
  void redisDownFallsBackToTheDatabase() {
    long post = newPost();
    addViews(new JsonObject().put(Field.BATCH, UUID.randomUUID().toString())
        .put(Field.VIEWS, new JsonObject().put(String.valueOf(post), 7)));
    Config noRedis = withFlushInterval(FAST).with(Setting.REDIS_URL, "redis://127.0.0.1:" + TestNode.freePort());
    try (TestNode lost = TestNode.start(noRedis)) {
      Api lostApi = new Api(lost.port);
      assertEquals(7, read(lostApi, post, null));
      Api.Response list = lostApi.get("/api/posts?boardId=" + boardId);
      assertEquals(200, list.status(), list.toString());
    }
  }
}
