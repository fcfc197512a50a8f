package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.NodeProcess;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static dev.liveforum.support.Eventually.eventually;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database's only role on a node of its own, a separate JVM, frozen with SIGSTOP while a comment is
 * on its way to it: the edge (node A, in this JVM, without persistence) cannot know whether the comment
 * will be made, and must say so; once the node goes on, a repeat with the same Idempotency-Key must find
 * the comment made once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("A write to a frozen persistence node")
class FrozenPersistenceIT {
  private static final String SECRET = "one-signing-secret-shared-by-every-node-of-this-cluster";
  private static final long READY_SECONDS = 90;

  private TestNode a;
  private NodeProcess persistence;
  private Api api;

  @BeforeAll
  void start() {
    Config config = TestServices.config().with(Setting.JWT_SECRET, SECRET).with(Setting.BUS_TIMEOUT, 2000);
    a = TestNode.clustered(config, "http", "cache");
    Map<String, String> env = NodeProcess.clustered(SECRET, "persistence");
    env.remove(Setting.HTTP_PORT.env());
    persistence = NodeProcess.start("persistence-frozen", env);
    api = new Api(a.port);
    awaitDatabaseThroughA();
  }

  /** A answers ready once the persistence process has migrated the schema and its role is reachable. */
  private void awaitDatabaseThroughA() {
    eventually("the persistence process is reachable through A", Duration.ofSeconds(READY_SECONDS),
        () -> !persistence.isAlive() || api.get("/health/ready").status() == 200, persistence::output);
    assertTrue(persistence.isAlive(), "the persistence process died\n" + persistence.output());
  }

  @AfterAll
  void stop() {
    try {
      if (persistence != null) {
        persistence.resume();
        persistence.close();
      }
    } finally {
      if (a != null) {
        a.close();
      }
      // The persistence process, killed, left its heartbeat: a standalone node of a later test would take
      // it for this cluster still running.
      TestNode.forgetStoppedCluster();
    }
  }

  @Test
  @DisplayName("a comment is answered 504 (outcome unknown) while the node is frozen; repeated with its key after it resumes, it exists once")
  void commentToFrozenNode() {
    Forum forum = new Forum(api);
    String alice = forum.user("falice");
    long post = forum.post(alice, forum.board("frozen"), "Frozen", "text").getLong("id");
    String key = UUID.randomUUID().toString();
    JsonObject comment = new JsonObject().put("content", "sent while persistence was frozen");
    MultiMap keyed = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key);

    persistence.freeze();
    Api.Response unknown;
    Api.Response read;
    try {
      unknown = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", alice, keyed, comment.toBuffer());
      read = api.get("/api/posts/" + post + "/comments");
    } finally {
      persistence.resume();
    }
    assertProblem(unknown, 504, "may or may not have been made");
    assertProblem(unknown, 504, "same Idempotency-Key");
    assertNotNull(unknown.headers().get("Retry-After"), "a repeat with the key is safe, and says when: " + unknown);
    assertProblem(read, 503, "unavailable");

    Api.Response repeat = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", alice, keyed, comment.toBuffer());
    assertEquals(201, repeat.status(), repeat + "\n" + persistence.output());
    assertEquals(1, TestDb.count("SELECT COUNT(*) FROM comments WHERE post_id = ?", post),
        "the frozen attempt and its repeat made one comment");
    assertEquals(repeat.json().getLong("id"),
        TestDb.count("SELECT id FROM comments WHERE post_id = ?", post), "the repeat answers the comment that exists");
    Api.Response again = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", alice, keyed, comment.toBuffer());
    assertEquals(repeat.json(), again.json());
    assertEquals(1, api.get("/api/posts/" + post + "/comments").json().getJsonArray("items").size());
  }
}
