package dev.liveforum.stats;

import dev.liveforum.support.TestServices;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rebuild protocol against a real Redis, step by step: the interleavings a cluster produces only
 * by chance (an event committed after the database snapshot but arriving before the rebuild ends).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Daily store: a rebuild neither loses nor doubles the events that arrive while it runs")
class DailyStoreTest {
  private static final LocalDate DAY = LocalDate.of(2030, 1, 1);
  private Vertx vertx;
  private DailyStore store;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    store = new DailyStore(Redis.createClient(vertx, TestServices.config().redis().url()),
        TestServices.config().redis().keyPrefix() + "store-test:");
  }

  @AfterAll
  void stop() {
    vertx.close().await();
  }

  private boolean count(String eventId, String field, long delta, Long user) {
    return store.count(eventId, new Contributions.Change(DAY, Map.of(field, delta), user)).await();
  }

  private DailyStore.Stored read() {
    return store.read(List.of(DAY)).await().get(0);
  }

  private boolean begin(String token) {
    return store.beginRebuild(List.of(DAY), token, 60_000).await().get(0);
  }

  private boolean finish(String token, Figures snapshot, List<String> held) {
    return store.finishRebuild(token, List.of(snapshot), held).await().get(0);
  }

  @Test
  @DisplayName("events the snapshot lacks are added, events it holds count nothing when they arrive, a stale rebuild changes nothing")
  void rebuildAgainstArrivals() {
    assertTrue(count("before", "posts", 1, 7L), "counted before the rebuild (the snapshot holds it)");
    assertFalse(read().built(), "counted from events only: not complete");

    assertTrue(begin("mine"));
    assertFalse(begin("another"), "one rebuild of a day at a time");
    assertTrue(count("held", "posts", 1, 8L), "arrives during the rebuild; the snapshot holds it");
    assertTrue(count("new", "comments", 1, 9L), "arrives during the rebuild; committed after the snapshot");
    assertFalse(count("new", "comments", 1, 9L), "delivered twice: counted once");
    store.addActive(Map.of(DAY, List.of("7", "8"))).await();
    Figures snapshot = new Figures(DAY, 0, 2, 0, 5, 40, 0);
    assertTrue(finish("mine", snapshot, List.of("held", "late")));

    DailyStore.Stored rebuilt = read();
    assertTrue(rebuilt.built());
    assertEquals(new Figures(DAY, 0, 2, 1, 5, 40, 3), rebuilt.figures(),
        "the snapshot's posts, likes and views, plus the comment it lacked; users 7, 8 and 9 active");

    assertFalse(count("late", "posts", 1, 7L), "held by the snapshot, arriving afterwards: not counted again");
    assertTrue(count("after", "likes", -1, null), "a later event counts as usual");
    assertEquals(4, read().figures().likes());

    assertFalse(finish("mine", Figures.none(DAY), List.of()),
        "a rebuild whose flag is gone (finished, or expired) changes nothing");
    assertEquals(2, read().figures().posts());
  }

  @Test
  @DisplayName("rebuilding several days at once: each day gets its own snapshot figures and late events, a day"
      + " another rebuild holds is left to it, and a held event arriving later counts on none of them")
  void rebuildManyDays() {
    LocalDate first = DAY.plusDays(10);
    LocalDate second = first.plusDays(1);
    LocalDate taken = first.plusDays(2);
    assertTrue(store.beginRebuild(List.of(taken), "other", 60_000).await().get(0));
    assertEquals(List.of(true, true, false), store.beginRebuild(List.of(first, second, taken), "range", 60_000).await());
    assertTrue(store.count("on-second", new Contributions.Change(second, Map.of("likes", 1L), 4L)).await(),
        "arrives during the rebuild; committed after the snapshot");
    assertTrue(store.count("held-first", new Contributions.Change(first, Map.of("posts", 1L), 5L)).await(),
        "arrives during the rebuild; the snapshot holds it");
    store.addActive(Map.of(first, List.of("5", "6"))).await();
    assertEquals(List.of(true, true), store.finishRebuild("range",
        List.of(new Figures(first, 1, 3, 0, 0, 7, 0), Figures.none(second)), List.of("held-first", "late")).await());

    List<DailyStore.Stored> rebuilt = store.read(List.of(first, second, taken)).await();
    assertEquals(new Figures(first, 1, 3, 0, 0, 7, 2), rebuilt.get(0).figures());
    assertEquals(new Figures(second, 0, 0, 0, 1, 0, 1), rebuilt.get(1).figures(), "the like the snapshot lacked");
    assertFalse(rebuilt.get(2).built(), "the day another rebuild holds is not touched");
    for (LocalDate day : List.of(first, second)) {
      assertFalse(store.count("late", new Contributions.Change(day, Map.of("comments", 1L), null)).await(),
          "held by the snapshot, arriving afterwards: counted on no rebuilt day");
    }
  }

  @Test
  @DisplayName("a rebuild keeps only its own flags alive; a failed one gives its days up at once; a dead one's"
      + " flag expires by itself")
  void flagsOutliveTheirRebuildBriefly() {
    LocalDate died = DAY.plusDays(20);
    LocalDate running = died.plusDays(1);
    LocalDate failed = died.plusDays(2);
    assertTrue(store.beginRebuild(List.of(running), "alive", 1000).await().get(0));
    store.keepRebuild(List.of(running), "alive", 60_000).await();
    // Begun after the running one and set to outlive its first TTL: once it has expired, so had that.
    assertTrue(store.beginRebuild(List.of(died), "dead", 1500).await().get(0));
    store.keepRebuild(List.of(died), "alive", 60_000).await(); // not this rebuild's flag: left to expire
    eventually("the dead rebuild's flag expires", () -> store.beginRebuild(List.of(died), "next", 60_000).await().get(0));
    assertFalse(store.beginRebuild(List.of(running), "other", 60_000).await().get(0),
        "the running rebuild's flag was kept past its first expiry");

    assertTrue(store.beginRebuild(List.of(failed), "failing", 60_000).await().get(0));
    store.abandonRebuild(List.of(failed), "someone else").await();
    assertFalse(store.beginRebuild(List.of(failed), "other", 60_000).await().get(0),
        "only the rebuild holding a flag can give it up");
    store.abandonRebuild(List.of(failed), "failing").await();
    assertTrue(store.beginRebuild(List.of(failed), "next", 60_000).await().get(0),
        "a failed rebuild's day is free at once");
  }
}
