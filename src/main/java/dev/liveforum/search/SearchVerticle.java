package dev.liveforum.search;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.Events;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.internal.VertxInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Search on this node's own Lucene index, kept from the domain events. The search commands are served
 * only once the index is built: until then no node's request reaches this one, and the edge answers
 * from MariaDB FULLTEXT when no search node is ready. An index found at start is served at once and
 * rebuilt in the background, as events may have been missed while the node was down.
 */
public class SearchVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SearchVerticle.class);
  private static final long RETRY_MS = 5000;
  /** Searches and index writes; a few, so searches run side by side while events apply in order. */
  private static final int WORKERS = 4;

  private WorkerExecutor workers;
  private Indexes indexes;
  private Searches searches;
  private Function<JsonObject, Future<JsonObject>> feed;
  private final List<MessageConsumer<JsonObject>> serving = new ArrayList<>();
  private long retryTimer = -1;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    long timeout = config.busTimeoutMs();
    workers = vertx.createSharedWorkerExecutor("search-" + deploymentID(), WORKERS);
    indexes = new Indexes(vertx, workers, Path.of(config.searchDir()));
    feed = body -> Bus.request(vertx, Address.SEARCH_FEED, body, null, timeout);
    searches = new Searches(indexes, workers, new Cursors(config.auth().jwtSecret()),
        body -> Bus.request(vertx, Address.POST_CARDS, body, null, timeout));
    Endpoints endpoints = new Endpoints(vertx);
    for (String type : Events.SEARCH) {
      endpoints.<JsonObject>listen(Events.address(type), msg -> index(msg.body()));
    }
    endpoints.<JsonObject>listen(Address.SEARCH_REBUILD_ALL, msg -> rebuild());
    endpoints.serve(Address.SEARCH_REBUILD, body -> {
      Failure.requireAdmin(body, "rebuild the search index");
      vertx.eventBus().publish(Address.SEARCH_REBUILD_ALL, new JsonObject());
      return Future.succeededFuture(new JsonObject().put("rebuilding", true));
    });
    // Listening first: every event from here on reaches the index being built.
    return endpoints.ready().compose(v -> indexes.open()).onSuccess(found -> {
      if (found) {
        serve();
      }
      rebuild();
    });
  }

  private void index(JsonObject event) {
    try {
      log.debug("indexing {} {} [request {}]", event.getString(DomainEvent.TYPE), event.getString(DomainEvent.EVENT_ID),
          event.getString(DomainEvent.REQUEST_ID));
      IndexedEvents.of(event).ifPresent(indexes::apply);
    } catch (RuntimeException e) {
      log.warn("event {} of type {} [request {}] cannot be indexed: {}", event.getString(DomainEvent.EVENT_ID),
          event.getString(DomainEvent.TYPE), event.getString(DomainEvent.REQUEST_ID), e.toString());
    }
  }

  /** Rebuilds, then serves (if not yet); retried while the first build fails (e.g. no database yet). */
  private void rebuild() {
    indexes.rebuild(feed).onSuccess(done -> serve()).onFailure(t -> {
      if (indexes.live() == null && retryTimer < 0) {
        retryTimer = vertx.setTimer(RETRY_MS, id -> {
          retryTimer = -1;
          rebuild();
        });
      }
    });
  }

  private void serve() {
    if (!serving.isEmpty()) {
      return;
    }
    serving.add(Bus.serve(vertx, Address.SEARCH_QUERY, searches::search));
    serving.add(Bus.serve(vertx, Address.searchQueryOn(nodeId()), searches::search));
    serving.add(Bus.serve(vertx, Address.SEARCH_SUGGEST, searches::suggest));
    log.info("search serves from its index");
  }

  private String nodeId() {
    return vertx.isClustered() ? ((VertxInternal) vertx).clusterManager().getNodeId() : "local";
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(retryTimer);
    serving.forEach(MessageConsumer::unregister);
    return indexes.close().eventually(() -> workers.close());
  }
}
