package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Eventually;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Domain events go out through the outbox exactly once")
class OutboxTest {

  @Test
  @DisplayName("each write is published once to listeners on other nodes, and events left behind by a dead writer "
      + "are published once by the surviving nodes")
  void exactlyOnce() throws Exception {
    Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    try (TestNode listener = TestNode.clustered("http")) {
      listener.node.vertx().eventBus().<JsonObject>consumer("event.post.created", msg ->
          received.computeIfAbsent(msg.body().getString("eventId"), k -> new AtomicInteger()).incrementAndGet());

      // Events committed by a writer that died before publishing them: rows nobody has published.
      List<String> orphans = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
      insertOrphans(orphans);

      try (TestNode a = TestNode.clustered("http", "persistence", "cache");
           TestNode b = TestNode.clustered("persistence", "cache")) {
        Api api = new Api(a.port);
        Forum forum = new Forum(api);
        String author = forum.user("quinn");
        long board = forum.board("Outbox");
        for (int i = 0; i < 10; i++) {
          forum.post(author, board, "event " + i, "body");
        }
        eventually("the ten writes and both orphans are published", Eventually.WAIT,
            () -> received.keySet().containsAll(orphans) && received.size() >= 12 && pending(orphans) == 0,
            () -> received.size() + " events " + received.keySet() + ", " + pending(orphans) + " orphans unpublished");
      }
      Thread.sleep(1500); // one more sweep interval: a duplicate would arrive now
      assertTrue(received.keySet().containsAll(orphans), "the dead writer's events were published: " + received.keySet());
      assertEquals(12, received.size(), "ten writes and two orphans: " + received);
      received.forEach((id, count) -> assertEquals(1, count.get(), "event " + id + " was published once"));
      assertEquals(0, pending(orphans));
    }
  }

  private static long pending(List<String> ids) {
    return TestDb.count("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND event_id IN (?, ?)",
        ids.get(0), ids.get(1));
  }

  private static void insertOrphans(List<String> ids) throws Exception {
    var db = TestServices.config().db();
    var a = dev.liveforum.persistence.Database.Address.parse(db.url());
    try (Connection c = DriverManager.getConnection("jdbc:mariadb://" + a.host() + ":" + a.port() + "/" + a.database(),
        db.user(), db.password())) {
      // The schema exists once any node has started; the listener runs no persistence, so migrate here.
      dev.liveforum.persistence.Database.migrateNow(db);
      for (String id : ids) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO outbox (event_id, address, payload, created_at)"
            + " VALUES (?, 'event.post.created', ?, UTC_TIMESTAMP(3))")) {
          s.setString(1, id);
          s.setString(2, new JsonObject().put("eventId", id).put("type", "post.created").put("at", "2026-01-01T00:00:00Z")
              .put("data", new JsonObject().put("id", 0)).encode());
          s.executeUpdate();
        }
      }
    }
  }
}
