package dev.liveforum;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.liveforum.support.Api;
import dev.liveforum.support.Eventually;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.liveforum.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A request can be followed: the x-request-id of the request that made a change rides with its domain
 * events to every consumer, whose log line about the event names it, and on to the notifications the
 * event makes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestTracingTest {
  /** The consumers of a comment's events, each of which logs (at DEBUG) the events it handles. */
  private static final List<String> CONSUMERS = List.of("dev.liveforum.persistence.OutboxRelay",
      "dev.liveforum.bridge.Hub", "dev.liveforum.notification.Feeder", "dev.liveforum.notification.Worker",
      "dev.liveforum.stats.EventCounting", "dev.liveforum.cache.CacheVerticle", "dev.liveforum.http.NearCache",
      "dev.liveforum.search.SearchVerticle");
  private final Map<Logger, Level> levels = new LinkedHashMap<>();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private TestNode node;
  private Api api;
  private Forum forum;

  @BeforeAll
  void start() {
    lines.start();
    for (String name : CONSUMERS) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      levels.put(logger, logger.getLevel());
      logger.setLevel(Level.DEBUG);
      logger.addAppender(lines);
    }
    node = TestNode.start();
    api = new Api(node.port);
    forum = new Forum(api);
  }

  @AfterAll
  void stop() {
    node.close();
    levels.forEach((logger, level) -> {
      logger.detachAppender(lines);
      logger.setLevel(level);
    });
  }

  @Test
  @DisplayName("a comment's request id reaches every consumer's log line, and the notifications it makes")
  void requestIdReachesEveryConsumer() {
    String alice = forum.user("alice");
    String bob = forum.user("bob");
    String carol = forum.member("carol").name();
    long post = forum.post(alice);
    String requestId = "trace-" + UUID.randomUUID();

    Api.Response created = api.send(HttpMethod.POST, "/api/posts/" + post + "/comments", bob,
        MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", requestId).add("Content-Type", "application/json"),
        new JsonObject().put("content", "Here, @" + carol).toBuffer());
    assertEquals(201, created.status(), created.toString());

    eventually("every consumer logged the comment's events with request " + requestId, Eventually.WAIT,
        () -> silent(requestId).isEmpty(), () -> "no line naming it from " + silent(requestId));
    eventually("the bridge delivered both notifications the comment made, naming the request", Eventually.WAIT,
        () -> mentions("dev.liveforum.bridge.Hub", "notification.created", requestId).size() == 2,
        () -> mentions("dev.liveforum.bridge.Hub", "notification.created", requestId).toString());
  }

  /** The consumers that logged no line about the comment naming {@code requestId}. */
  private List<String> silent(String requestId) {
    return CONSUMERS.stream().filter(name -> mentions(name, "comment.created", requestId).isEmpty()).toList();
  }

  /** The captured lines of {@code logger} that name both {@code what} and {@code requestId}. */
  private List<String> mentions(String logger, String what, String requestId) {
    synchronized (lines) {
      return lines.list.stream().filter(e -> e.getLoggerName().equals(logger))
          .map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains(what) && m.contains(requestId)).toList();
    }
  }
}
