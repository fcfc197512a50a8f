package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daily statistics on two clustered stats nodes (every event reaches both), compared with counts
 * taken from the database by this test's own queries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Statistics: daily figures from events match the database, survive losing Redis, and go live to admins")
class StatsTest {
  private TestNode a;
  private TestNode b;
  private Api api;
  private Api apiB;
  private Forum forum;
  private long board;
  private Vertx redisVertx;
  private RedisAPI redis;

  @BeforeAll
  void start() {
    // Keys of their own: other classes' stats nodes (stopped at any moment) leave nothing behind here.
    Config config = TestServices.config().with(Setting.VIEWS_FLUSH_INTERVAL, 100)
        .with(Setting.REDIS_KEY_PREFIX, TestServices.config().redis().keyPrefix() + "stats-test:");
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge", "stats");
    b = TestNode.clustered(config, "http", "bridge", "stats");
    api = new Api(a.port);
    apiB = new Api(b.port);
    forum = new Forum(api);
    board = forum.board("stats");
    redisVertx = Vertx.vertx();
    redis = RedisAPI.api(Redis.createClient(redisVertx, a.config.redis().url()));
  }

  @AfterAll
  void stop() {
    redisVertx.close().await();
    b.close();
    a.close();
  }

  // --- what the test reads -------------------------------------------------------------------------

  private JsonObject today(Api through) {
    Api.Response r = through.get("/api/stats/daily?from=" + utcToday() + "&to=" + utcToday(), forum.adminToken());
    assertEquals(200, r.status(), r.toString());
    return r.json().getJsonArray("days").getJsonObject(0);
  }

  private static String utcToday() {
    return LocalDate.now(java.time.ZoneOffset.UTC).toString();
  }

  /** The day's figures counted by this test in the database, in its own words. */
  private static JsonObject database(String day) {
    String sameDay = " WHERE DATE(created_at) = ?";
    return new JsonObject()
        .put("users", TestDb.count("SELECT COUNT(*) FROM users" + sameDay, day))
        .put("posts", TestDb.count("SELECT COUNT(*) FROM posts" + sameDay, day))
        .put("comments", TestDb.count("SELECT COUNT(*) FROM comments" + sameDay, day))
        .put("likes", TestDb.count("SELECT COUNT(*) FROM likes" + sameDay, day))
        .put("activeUsers", TestDb.count("SELECT COUNT(*) FROM (SELECT id AS u FROM users" + sameDay
            + " UNION SELECT author_id FROM posts" + sameDay + " UNION SELECT author_id FROM comments" + sameDay
            + " UNION SELECT user_id FROM likes" + sameDay + " UNION SELECT user_id FROM activity_days WHERE day = ?) x",
            day, day, day, day, day));
  }

  private static final List<String> COUNTERS = List.of("users", "posts", "comments", "likes");

  /** Whether the stats say what the database says (active users: HyperLogLog, so within 2%). */
  private static boolean agree(JsonObject stats, JsonObject db) {
    for (String counter : COUNTERS) {
      if (!db.getLong(counter).equals(stats.getLong(counter))) {
        return false;
      }
    }
    long active = db.getLong("activeUsers");
    return Math.abs(stats.getLong("activeUsers") - active) <= Math.max(1, active / 50);
  }

  /** Today's figures once they agree with the database (events are counted as they arrive). */
  private JsonObject agreedToday(Api through) {
    return eventually("the stats agree with the database", () -> {
      JsonObject stats = today(through);
      return new JsonObject().put("stats", stats).put("db", database(stats.getString("day")));
    }, seen -> agree(seen.getJsonObject("stats"), seen.getJsonObject("db"))).getJsonObject("stats");
  }

  /**
   * Today's figures once the views of two posts have reached the database and the day's views in the
   * stats are the database's (views of other tests' posts may be flushed meanwhile too).
   */
  private JsonObject waitForViews(long post, long views, long other, long otherViews) {
    return eventually("the views reach the database and the stats", () -> today(api),
        stats -> TestDb.count("SELECT view_count FROM posts WHERE id = ?", post) == views
            && TestDb.count("SELECT view_count FROM posts WHERE id = ?", other) == otherViews
            && stats.getLong("views") == TestDb.count("SELECT COALESCE(SUM(views), 0) FROM view_days WHERE day = ?",
            stats.getString("day")));
  }

  // --- what the test does --------------------------------------------------------------------------

  private long post(Forum.Member who, String title) {
    return forum.post(who.token(), board, title, "About " + title).getLong("id");
  }

  private long comment(Api through, Forum.Member who, long post, Long parent) {
    return forum.via(through).commentId(who.token(), post, parent, "a comment by " + who.id());
  }

  private void like(Forum.Member who, String target, boolean like) {
    Api.Response r = api.send(like ? HttpMethod.PUT : HttpMethod.DELETE, "/api/" + target + "/like", who.token(), null);
    assertEquals(200, r.status(), r.toString());
  }

  private void read(long post, Forum.Member who) {
    Api.Response r = api.get("/api/posts/" + post, who == null ? null : who.token());
    assertEquals(200, r.status(), r.toString());
  }

  /** Deletes every statistics key, as if Redis had lost its data. */
  private void forgetStatistics() {
    String cursor = "0";
    do {
      Response page = redis.scan(List.of(cursor, "MATCH", a.config.redis().keyPrefix() + "stats:*", "COUNT", "1000"))
          .await();
      cursor = page.get(0).toString();
      List<String> keys = new ArrayList<>();
      page.get(1).forEach(k -> keys.add(k.toString()));
      if (!keys.isEmpty()) {
        redis.del(keys).await();
      }
    } while (!cursor.equals("0"));
  }


  // --- the tests -----------------------------------------------------------------------------------

  @Test
  @DisplayName("after a mix of registrations, posts, comments, likes, unlikes, a deleted post and views, today's"
      + " figures match the database, and again once Redis has lost them and they are rebuilt")
  void figuresMatchTheDatabase() {
    JsonObject before = agreedToday(api);

    Forum.Member ann = forum.member("ann");
    Forum.Member ben = forum.member("ben");
    Forum.Member cy = forum.member("cy");
    forum.member("lurker");
    long p1 = post(ann, "First");
    long p2 = post(ann, "Second");
    long p3 = post(ben, "Third");
    long c1 = comment(api, ben, p1, null);
    comment(apiB, ben, p1, null);
    comment(api, cy, p1, c1);
    comment(apiB, ann, p3, null);
    like(ben, "posts/" + p1, true);
    like(cy, "posts/" + p1, true);
    like(cy, "comments/" + c1, true);
    like(ann, "posts/" + p3, true);
    like(ann, "posts/" + p3, false);          // withdrawn: not a like of today any more
    like(ben, "posts/" + p2, true);
    like(ben, "posts/" + p2, false);
    like(ben, "posts/" + p2, true);           // given again: one like
    like(ben, "posts/" + p2, true);           // already liked: nothing changes
    // A post deleted with its comment and likes takes them all off the day.
    long gone = post(cy, "Deleted soon");
    long goneComment = comment(api, ann, gone, null);
    like(ben, "posts/" + gone, true);
    like(cy, "comments/" + goneComment, true);
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + gone, cy.token(), null).status());
    read(p1, ben);
    read(p1, cy);
    read(p1, null);
    read(p2, cy);
    read(p2, cy);                             // the same reader again: one view

    JsonObject after = agreedToday(api);
    assertEquals(before.getLong("users") + 4, after.getLong("users"), after.encode());
    assertEquals(before.getLong("posts") + 3, after.getLong("posts"), after.encode());
    assertEquals(before.getLong("comments") + 4, after.getLong("comments"), after.encode());
    assertEquals(before.getLong("likes") + 4, after.getLong("likes"), after.encode());
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM activity_days WHERE user_id = ? AND day = ?", ann.id(), utcToday()),
        "ann's withdrawn like keeps her active today in the database too");
    JsonObject withViews = waitForViews(p1, 3, p2, 1);
    assertTrue(withViews.getLong("views") >= before.getLong("views") + 4, withViews.encode());
    assertEquals(agreedToday(apiB), withViews, "both nodes answer the same");

    forgetStatistics();
    JsonObject rebuilt = agreedToday(apiB);
    assertEquals(strip(withViews), strip(rebuilt), "rebuilt from the database: the same figures");
  }

  private static JsonObject strip(JsonObject figures) {
    JsonObject copy = figures.copy();
    copy.remove("activeUsers");
    return copy;
  }

  @Test
  @DisplayName("an event delivered twice more, to both stats nodes, is counted once")
  void redeliveredEventCountsOnce() throws Exception {
    agreedToday(api);
    LinkedBlockingQueue<JsonObject> seen = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> spy = a.node.vertx().eventBus().consumer("event.comment.created",
        msg -> seen.add(msg.body()));
    spy.completion().await();
    Forum.Member dee = forum.member("dee");
    long post = post(dee, "Echo");
    comment(api, dee, post, null);
    JsonObject event = seen.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "the comment's event was published");
    spy.unregister().await();
    JsonObject first = agreedToday(api);

    a.node.vertx().eventBus().publish("event.comment.created", event);
    b.node.vertx().eventBus().publish("event.comment.created", event);
    comment(api, dee, post, null);            // one more, counted after the replays arrived
    JsonObject second = agreedToday(api);
    assertEquals(first.getLong("comments") + 1, second.getLong("comments"), second.encode());
  }

  @Test
  @DisplayName("rebuilding today while comments and likes keep coming loses none and counts none twice")
  void rebuildWhileWriting() throws Exception {
    agreedToday(api);
    Forum.Member eve = forum.member("eve");
    long post = post(eve, "Busy");
    // Several writers, so that events keep arriving inside every rebuild, the last one included.
    List<CompletableFuture<Void>> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      Api through = w % 2 == 0 ? api : apiB;
      writers.add(CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 10; i++) {
          long c = comment(through, eve, post, null);
          like(eve, "comments/" + c, true);
          if (i % 3 == 0) {
            like(eve, "comments/" + c, false);
          }
        }
      }));
    }
    CompletableFuture<Void> writing = CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new));
    int rebuilds = 0;
    while (!writing.isDone()) {
      Api.Response r = (rebuilds % 2 == 0 ? api : apiB).send(HttpMethod.POST,
          "/api/stats/rebuild?day=" + utcToday(), forum.adminToken(), null);
      assertEquals(200, r.status(), r.toString());
      rebuilds++;
    }
    writing.get(60, TimeUnit.SECONDS);
    assertTrue(rebuilds > 0, "rebuilt at least once while writing");
    agreedToday(api);
  }

  @Test
  @DisplayName("the summary has the database's totals, today's figures and today's busiest posts with their counts")
  void summary() {
    Forum.Member fay = forum.member("fay");
    long busy = post(fay, "Busy today");
    comment(api, fay, busy, null);
    like(fay, "posts/" + busy, true);
    JsonObject today = agreedToday(api);

    Api.Response r = api.get("/api/stats/summary", forum.adminToken());
    assertEquals(200, r.status(), r.toString());
    JsonObject summary = r.json();
    JsonObject totals = summary.getJsonObject("totals");
    assertEquals(TestDb.count("SELECT COUNT(*) FROM users"), totals.getLong("users"));
    assertEquals(TestDb.count("SELECT COUNT(*) FROM posts"), totals.getLong("posts"));
    assertEquals(TestDb.count("SELECT COUNT(*) FROM comments"), totals.getLong("comments"));
    assertEquals(TestDb.count("SELECT COUNT(*) FROM likes"), totals.getLong("likes"));
    assertEquals(TestDb.count("SELECT COALESCE(SUM(view_count), 0) FROM posts"), totals.getLong("views"));
    assertEquals(strip(today), strip(summary.getJsonObject("today")));

    var top = summary.getJsonArray("topPosts");
    assertTrue(top.size() >= 1 && top.size() <= 5, top.encode());
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < top.size(); i++) {
      JsonObject post = top.getJsonObject(i);
      long id = post.getLong("id");
      assertEquals(TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ? AND DATE(created_at) = ?", id,
          utcToday()), post.getLong("comments"), post.encode());
      assertEquals(TestDb.count("SELECT COUNT(*) FROM likes WHERE target_type = 'post' AND target_id = ?"
          + " AND DATE(created_at) = ?", id, utcToday()), post.getLong("likes"), post.encode());
      long score = post.getLong("comments") + post.getLong("likes");
      assertTrue(score <= previous, "busiest first: " + top.encode());
      previous = score;
    }
  }

  @Test
  @DisplayName("statistics are for admins: 401 without a token, 403 for a user, on every endpoint")
  void adminsOnly() {
    String user = forum.user("nosy");
    for (String path : List.of("/api/stats/daily", "/api/stats/summary")) {
      assertProblem(api.get(path), 401, "");
      assertProblem(api.get(path, user), 403, "admins");
    }
    String rebuild = "/api/stats/rebuild?day=" + utcToday();
    assertProblem(api.send(HttpMethod.POST, rebuild, null, null), 401, "");
    assertProblem(api.send(HttpMethod.POST, rebuild, user, null), 403, "admins");
  }

  @Test
  @DisplayName("a bad range is a 400 that says what is wrong; a range of zeros before the forum existed is fine")
  void badRanges() {
    String admin = forum.adminToken();
    assertProblem(api.get("/api/stats/daily?from=2025-02-01&to=2025-01-01", admin), 400, "after");
    assertProblem(api.get("/api/stats/daily?from=2025-02-30&to=2025-03-01", admin), 400, "from must be a date");
    assertProblem(api.get("/api/stats/daily?from=yesterday", admin), 400, "from");
    assertProblem(api.get("/api/stats/daily?from=2024-01-01&to=2025-01-01", admin), 400, "at most 366 days");
    assertProblem(api.send(HttpMethod.POST, "/api/stats/rebuild?day=2999-01-01", admin, null), 400, "not begun");
    assertProblem(api.send(HttpMethod.POST, "/api/stats/rebuild", admin, null), 400, "day");

    Api.Response year = api.get("/api/stats/daily?from=2020-01-01&to=2020-12-31", admin);
    assertEquals(200, year.status(), year.toString());
    assertEquals(366, year.json().getJsonArray("days").size());
    JsonObject first = year.json().getJsonArray("days").getJsonObject(0);
    assertEquals(new JsonObject().put("day", "2020-01-01").put("users", 0L).put("posts", 0L).put("comments", 0L)
        .put("likes", 0L).put("views", 0L).put("activeUsers", 0L), first);
  }

  @Test
  @DisplayName("sixty past days written straight to the database read as the database counts them, day by day,"
      + " and again once Redis has lost them")
  void longRangeOfPastDays() {
    LocalDate from = LocalDate.of(2021, 3, 1);
    LocalDate to = from.plusDays(59);
    pastDays(from, 60);
    for (int pass = 0; pass < 2; pass++) {
      Api.Response r = (pass == 0 ? api : apiB).get("/api/stats/daily?from=" + from + "&to=" + to, forum.adminToken());
      assertEquals(200, r.status(), r.toString());
      var days = r.json().getJsonArray("days");
      assertEquals(60, days.size());
      long active = 0;
      for (int i = 0; i < days.size(); i++) {
        JsonObject stats = days.getJsonObject(i);
        String day = from.plusDays(i).toString();
        assertEquals(day, stats.getString("day"));
        JsonObject db = database(day);
        assertTrue(agree(stats, db), "on " + day + ":\n stats " + stats + "\n db    " + db);
        assertEquals(TestDb.count("SELECT COALESCE(SUM(views), 0) FROM view_days WHERE day = ?", day),
            stats.getLong("views"), stats.encode());
        active += stats.getLong("activeUsers");
      }
      assertTrue(active > 60, "the days have data: " + active + " active users in all");
      if (pass == 0) {
        forgetStatistics();
      }
    }
  }

  /**
   * Writes users, posts, comments, likes, views and kept activity on {@code count} days from {@code from},
   * straight to the database (no events), some rows at the very edges of their day, every seventh day quiet.
   */
  private void pastDays(LocalDate from, int count) {
    String hash = "x".repeat(60);
    List<Long> regulars = new ArrayList<>();
    for (int u = 0; u < 5; u++) {
      regulars.add(pastUser(unique("old"), hash, from.atTime(12, u)));
    }
    for (int i = 0; i < count; i++) {
      LocalDate day = from.plusDays(i);
      if (i % 7 == 3) {
        continue;
      }
      for (int u = 0; u < i % 3; u++) {
        pastUser(unique("day"), hash, u == 0 ? day.atStartOfDay() : day.atTime(23, 59, 59, 999_000_000));
      }
      long author = regulars.get(i % 5);
      TestDb.update("INSERT INTO posts (board_id, author_id, title, content, content_html, created_at, updated_at)"
          + " VALUES (?, ?, ?, 'old', 'old', ?, ?)", board, author, "Old " + i, day.atTime(9, 0), day.atTime(9, 0));
      long post = TestDb.count("SELECT MAX(id) FROM posts WHERE author_id = ?", author);
      for (int c = 0; c < i % 4; c++) {
        TestDb.update("INSERT INTO comments (post_id, author_id, content, content_html, created_at, updated_at)"
            + " VALUES (?, ?, 'old', 'old', ?, ?)", post, regulars.get(c), day.atTime(10, c), day.atTime(10, c));
      }
      for (int l = 0; l < i % 5; l++) {
        TestDb.update("INSERT INTO likes (target_type, target_id, user_id, created_at) VALUES ('post', ?, ?, ?)",
            post, regulars.get(l), day.atTime(11, l));
      }
      if (i % 3 == 0) {
        TestDb.update("INSERT INTO view_days (day, views) VALUES (?, ?)", day, 10L * i + 1);
      }
      if (i % 6 == 0) {
        TestDb.update("INSERT INTO activity_days (day, user_id) VALUES (?, ?)", day, regulars.get(4));
      }
    }
  }

  private static long pastUser(String name, String hash, java.time.LocalDateTime at) {
    TestDb.update("INSERT INTO users (username, email, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        name, name + "@example.com", hash, at, at);
    return TestDb.count("SELECT id FROM users WHERE username = ?", name);
  }

  @Test
  @DisplayName("an admin watching the stats channel gets today's figures at once, then after an action, at most once"
      + " a second; users and guests are refused")
  void liveFigures() {
    Forum.Member gus = forum.member("gus");
    long post = post(gus, "Live");
    try (BridgeClient admin = BridgeClient.connect(b.bridgePort);
         BridgeClient user = BridgeClient.connect(a.bridgePort);
         BridgeClient guest = BridgeClient.connect(a.bridgePort)) {
      long before = database(utcToday()).getLong("comments");
      admin.subscribe("stats", forum.adminToken());
      JsonObject current = admin.await("today's figures on subscribing",
          f -> "rec".equals(f.getString("type")) && "stats".equals(f.getString("address"))).getJsonObject("body");
      assertEquals("stats", current.getString("type"), current.encode());
      assertEquals(utcToday(), current.getJsonObject("data").getString("day"));
      assertEquals(before, current.getJsonObject("data").getLong("comments"), "today's figures, before any change");
      user.register("stats", gus.token());
      JsonObject refused = user.error();
      assertEquals("access_denied", refused.getString("body"), refused.encode());
      guest.register("stats", null);
      assertEquals("access_denied", guest.error().getString("body"));

      long started = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        comment(api, gus, post, null);
      }
      long expected = database(utcToday()).getLong("comments");
      List<JsonObject> pushes = new ArrayList<>();
      JsonObject last = admin.await("stats showing " + expected + " comments", f -> {
        boolean push = "rec".equals(f.getString("type")) && "stats".equals(f.getString("address"));
        if (push) {
          pushes.add(f.getJsonObject("body"));
        }
        return push && f.getJsonObject("body").getJsonObject("data").getLong("comments") == expected;
      }).getJsonObject("body");
      double seconds = (System.nanoTime() - started) / 1e9;
      assertEquals("stats", last.getString("type"));
      assertEquals(utcToday(), last.getJsonObject("data").getString("day"));
      assertTrue(pushes.size() <= seconds + 2, pushes.size() + " pushes in " + seconds + " s: " + pushes);
      assertTrue(pushes.size() < 10, "ten comments, fewer pushes: " + pushes.size());
    }
  }
}
