package dev.liveforum;

import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.BridgeClient;
import dev.liveforum.support.Forum;
import dev.liveforum.support.NodeProcess;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes as separate JVMs, the way production runs: node A (every role) in this JVM, and two edge nodes
 * ({@code http,bridge}) started from the production jar, configured by environment variables only. One
 * edge is killed hard (SIGKILL, a crash), the other stopped gracefully (SIGTERM); the tests run in that order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Nodes as separate JVM processes")
class ProcessClusterIT {
  private static final String SECRET = "one-signing-secret-shared-by-every-node-of-this-cluster";
  /** Short presence ticks keep the crash test short: a silent bridge expires after 6 ticks. */
  private static final int PRESENCE_MS = 200;
  private static final List<NodeProcess> PROCESSES = new ArrayList<>();

  /** A failed test's report carries what the processes logged. */
  @RegisterExtension
  static final TestWatcher SHOW_PROCESS_LOGS = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      PROCESSES.forEach(p -> System.out.println(p.output()));
    }
  };

  private TestNode a;
  private NodeProcess crashing;
  private NodeProcess stopping;
  private Api apiA;
  private Forum forum;
  private long board;
  private String alice;
  private String bob;

  @BeforeAll
  void start() {
    Config config = TestServices.config().with(Setting.JWT_SECRET, SECRET)
        .with(Setting.BRIDGE_PRESENCE_INTERVAL, PRESENCE_MS);
    // A first: its persistence role migrates the schema, and the edges are ready only once it answers.
    a = TestNode.clustered(config, "http", "persistence", "cache", "bridge");
    apiA = new Api(a.port);
    long started = System.nanoTime();
    crashing = edge("edge-crashing");
    stopping = edge("edge-stopping");
    crashing.awaitReady();
    stopping.awaitReady();
    System.out.printf("[observed] both edge processes ready %d ms after they were started%n",
        millisSince(started));
    forum = new Forum(apiA);
    board = forum.board("procs");
    alice = forum.user("alice");
    bob = forum.user("bob");
  }

  private static NodeProcess edge(String name) {
    Map<String, String> env = NodeProcess.clustered(SECRET, "http", "bridge");
    env.put(Setting.BRIDGE_PRESENCE_INTERVAL.env(), String.valueOf(PRESENCE_MS));
    // As in-JVM test nodes: each HTTP instance builds the API contract at start, seconds of CPU on this machine.
    env.put(Setting.HTTP_INSTANCES.env(), "1");
    NodeProcess process = NodeProcess.start(name, env);
    PROCESSES.add(process);
    return process;
  }

  @AfterAll
  void stop() {
    try {
      PROCESSES.forEach(NodeProcess::close);
    } finally {
      if (a != null) {
        a.close();
      }
      // The persistence process killed in persistenceKilledUnderLoad left its heartbeat.
      TestNode.forgetStoppedCluster();
    }
  }

  @Test
  @Order(1)
  @DisplayName("a comment made through REST on node A reaches subscribers on both edge processes, and REST through an edge works")
  void deliveryAcrossProcesses() {
    long post = post("Across processes");
    String channel = "post." + post;
    try (BridgeClient onCrashing = BridgeClient.connect(crashing.bridgePort);
         BridgeClient onStopping = BridgeClient.connect(stopping.bridgePort);
         BridgeClient onA = BridgeClient.connect(a.bridgePort)) {
      long start = onCrashing.subscribe(channel, null).getJsonObject("body").getLong("seq");
      // The edge checks a token node A signed: the secret came from its environment.
      onStopping.subscribe(channel, bob);
      onA.subscribe(channel, null);

      long commentId = comment(apiA, bob, post, "made on A").getLong("id");
      for (BridgeClient client : List.of(onCrashing, onStopping, onA)) {
        JsonObject event = client.event(channel, "comment.created");
        assertEquals(start + 1, event.getLong("seq"), event.encode());
        assertEquals(commentId, event.getJsonObject("data").getLong("commentId"), event.encode());
      }

      Api edgeApi = new Api(crashing.port);
      JsonObject read = edgeApi.get("/api/posts/" + post, alice).json();
      assertEquals(start + 1, read.getLong("seq"), read.encode());
      assertEquals(1L, read.getLong("commentCount"), read.encode());
      assertEquals(200, edgeApi.get("/api/users/me", bob).status());

      long fromEdge = comment(edgeApi, alice, post, "made on an edge process").getLong("id");
      JsonObject back = onA.event(channel, "comment.created");
      assertEquals(fromEdge, back.getJsonObject("data").getLong("commentId"), back.encode());
      assertEquals(start + 2, back.getLong("seq"), back.encode());
    }
  }

  @Test
  @Order(2)
  @DisplayName("viewers add up across processes; when an edge is killed hard its viewers drop out and node A keeps answering")
  void crashedEdge() {
    assertTrue(crashing.isAlive(), "the edge to crash died before this test:\n" + crashing.output());
    long post = post("Crash");
    String channel = "post." + post;
    List<String> members = members();
    assertEquals(3, members.size(), "A and both edges are members: " + members);
    try (BridgeClient onA = BridgeClient.connect(a.bridgePort);
         BridgeClient onEdge = BridgeClient.connect(crashing.bridgePort)) {
      onA.subscribe(channel, null);
      onEdge.subscribe(channel, bob);
      onA.awaitViewers(channel, 2);
      onEdge.awaitViewers(channel, 2);

      long killed = System.nanoTime();
      crashing.kill();
      // Until Hazelcast drops the dead member, writes on A still address it (near-cache invalidation, event
      // fan-out): they must keep succeeding, whatever that costs in latency.
      List<String> whileListed = new ArrayList<>();
      while (members().size() == 3 && millisSince(killed) < 60_000) {
        whileListed.add(writeAndRead(post, "while the dead edge is listed " + whileListed.size()));
      }
      long memberLeft = millisSince(killed);
      assertEquals(2, members().size(), "Hazelcast still lists the killed edge after 60 s: " + members());
      onA.awaitViewers(channel, 1);
      long viewersCorrected = millisSince(killed);
      eventually("the killed edge's socket is gone", onEdge::isClosed);
      assertEquals((short) 1006, onEdge.closeStatus(), "a crashed node sends no close frame: the connection just drops");
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        after.add(writeAndRead(post, "after the dead edge left " + i));
      }
      System.out.printf("[observed] SIGKILL of an edge: Hazelcast dropped the member after %d ms; viewers on A "
              + "corrected after %d ms; A's answers (write status ms / read status ms) while it was listed: %s, "
              + "after: %s%n", memberLeft, viewersCorrected, whileListed, after);
      assertEquals(200, apiA.get("/health/ready").status());
    }
  }

  @Test
  @Order(3)
  @DisplayName("an edge stopped with SIGTERM closes its sockets; the client reconnects to node A and catches up")
  void gracefulStop() {
    assertTrue(stopping.isAlive(), "the edge to stop died before this test:\n" + stopping.output());
    long post = post("Graceful");
    String channel = "post." + post;
    long lastSeen;
    try (BridgeClient onA = BridgeClient.connect(a.bridgePort);
         BridgeClient onEdge = BridgeClient.connect(stopping.bridgePort)) {
      onA.subscribe(channel, null);
      onEdge.subscribe(channel, bob);
      onA.awaitViewers(channel, 2);
      onEdge.awaitViewers(channel, 2);
      comment(apiA, bob, post, "seen live on the edge");
      lastSeen = onEdge.event(channel, "comment.created").getLong("seq");

      long stopped = System.nanoTime();
      int exit = stopping.stop();
      long exited = millisSince(stopped);
      eventually("the stopped edge closes its sockets", onEdge::isClosed);
      assertEquals((short) 1000, onEdge.closeStatus(), "a deliberate close, not a dropped connection");
      // A's count drops: the stopping bridge says goodbye (failing that, its heartbeat would expire).
      onA.awaitViewers(channel, 1);
      long viewersCorrected = millisSince(stopped);
      eventually("A lists the stopped edge out of the cluster", Duration.ofSeconds(60), () -> members(),
          members -> members.size() == 1);
      System.out.printf("[observed] SIGTERM of an edge: exit code %d after %d ms; viewers on A corrected after %d ms; "
          + "Hazelcast members listed by A: %d after %d ms%n", exit, exited, viewersCorrected, members().size(),
          millisSince(stopped));
    }

    List<Long> missed = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      missed.add(comment(apiA, bob, post, "missed " + i).getLong("id"));
    }
    try (BridgeClient again = BridgeClient.connect(a.bridgePort)) {
      again.subscribe(channel, null);
      JsonObject caughtUp = apiA.awaitSeq("/api/realtime/" + channel + "?after=" + lastSeen, lastSeen + 2);
      JsonArray events = caughtUp.getJsonArray("events");
      assertEquals(2, events.size(), caughtUp.encode());
      for (int i = 0; i < 2; i++) {
        JsonObject event = events.getJsonObject(i);
        assertEquals(lastSeen + 1 + i, event.getLong("seq"), caughtUp.encode());
        assertEquals(missed.get(i), event.getJsonObject("data").getLong("commentId"), caughtUp.encode());
      }
    }
  }

  @Test
  @Order(4)
  @DisplayName("a node running persistence killed under comment load: every committed comment is in catch-up once, numbered without a gap, as it went out live")
  void persistenceKilledUnderLoad() throws Exception {
    Map<String, String> env = NodeProcess.clustered(SECRET, "http", "persistence", "cache");
    env.put(Setting.HTTP_INSTANCES.env(), "1");
    NodeProcess writer = NodeProcess.start("persistence-killed", env);
    PROCESSES.add(writer);
    writer.awaitReady();
    long post = post("Killed while writing");
    String channel = "post." + post;
    try (BridgeClient watcher = BridgeClient.connect(a.bridgePort)) {
      watcher.subscribe(channel, null);
      // Four writers on A; A's and the process's persistence roles take the commands in turn.
      List<Long> answered = Collections.synchronizedList(new ArrayList<>());
      List<Integer> otherStatuses = Collections.synchronizedList(new ArrayList<>());
      CountDownLatch underWay = new CountDownLatch(20);
      ExecutorService writers = Executors.newFixedThreadPool(4);
      List<Future<?>> runs = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int n = w;
        runs.add(writers.submit(() -> {
          for (int i = 0; i < 15; i++) {
            Api.Response r = apiA.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
                new JsonObject().put("content", "writer " + n + " comment " + i));
            if (r.status() == 201) {
              answered.add(r.json().getLong("id"));
            } else {
              otherStatuses.add(r.status());
            }
            underWay.countDown();
          }
        }));
      }
      assertTrue(underWay.await(60, TimeUnit.SECONDS), "20 comments answered");
      writer.kill();
      for (Future<?> run : runs) {
        run.get(180, TimeUnit.SECONDS);
      }
      writers.shutdown();

      List<Long> committed = TestDb.longs("SELECT id FROM comments WHERE post_id = ? ORDER BY id", post);
      assertTrue(committed.containsAll(answered), "every 201 is a row");
      JsonObject caughtUp = apiA.awaitSeq("/api/realtime/" + channel + "?after=0", committed.size());
      assertEquals(committed.size(), caughtUp.getLong("seq"), "one number per committed comment: " + caughtUp.encode());
      Map<Long, Long> commentBySeq = new HashMap<>();
      JsonArray events = caughtUp.getJsonArray("events");
      for (int i = 0; i < events.size(); i++) {
        JsonObject event = events.getJsonObject(i);
        assertEquals(i + 1, event.getLong("seq"), "numbers without a gap: " + caughtUp.encode());
        commentBySeq.put(event.getLong("seq"), event.getJsonObject("data").getLong("commentId"));
      }
      assertEquals(new TreeSet<>(committed), new TreeSet<>(commentBySeq.values()),
          "catch-up holds every committed comment, each once");

      int live = 0;
      for (JsonObject frame : watcher.drain(3000)) {
        JsonObject body = frame.getJsonObject("body");
        if (channel.equals(frame.getString("address")) && "comment.created".equals(body.getString("type"))) {
          live++;
          Long seq = body.getLong("seq");
          assertTrue(seq != null, "a live event without a number: " + frame.encode());
          assertEquals(commentBySeq.get(seq), body.getJsonObject("data").getLong("commentId"),
              "live number " + seq + " means what catch-up says it means");
        }
      }
      System.out.printf("[observed] persistence process killed under load: %d answered 201, other answers %s, %d rows,"
          + " %d live frames, catch-up complete%n", answered.size(), otherStatuses, committed.size(), live);
    }
  }

  /** A comment and a read of the post on A; fails on anything but 201 and 200, and says what each took. */
  private String writeAndRead(long post, String text) {
    long t0 = System.nanoTime();
    Api.Response write = apiA.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
        new JsonObject().put("content", text));
    long t1 = System.nanoTime();
    Api.Response read = apiA.get("/api/posts/" + post);
    long t2 = System.nanoTime();
    assertEquals(201, write.status(), "a write on A after an edge died: " + write);
    assertEquals(200, read.status(), "a read on A after an edge died: " + read);
    return write.status() + " " + (t1 - t0) / 1_000_000 + " / " + read.status() + " " + (t2 - t1) / 1_000_000;
  }

  private List<String> members() {
    return ((VertxInternal) a.node.vertx()).clusterManager().getNodes();
  }


  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  private long post(String title) {
    return forum.post(alice, board, title, "Body of " + title).getLong("id");
  }

  private JsonObject comment(Api api, String token, long post, String text) {
    return forum.via(api).comment(token, post, null, text);
  }
}
