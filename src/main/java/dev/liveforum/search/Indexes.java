package dev.liveforum.search;

import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * This node's index, kept from the domain events, and its rebuilds from the database. Each build is a
 * generation in its own directory under the search directory ({@code gen-<millis>}); the newest that
 * holds an index is opened at start. A rebuild fills a new generation beside the live one, which goes
 * on answering; the events that arrive meanwhile change both, and win over what the database pages
 * said of the same post or comment (a page may have been read before the event's commit). Then the
 * new generation replaces the live one, and the old is closed and deleted a little later (searches
 * that still hold it finish first).
 *
 * <p>Every change runs as an ordered task on the search workers, so events apply in the order they
 * arrived and never interleave with a page of a rebuild.
 */
final class Indexes {
  private static final Logger log = LoggerFactory.getLogger(Indexes.class);
  static final int PAGE = 500;
  private static final int TRIES = 5;
  private static final long RETRY_PAGE_MS = 1000;
  /** Longer than any search takes. */
  private static final long CLOSE_OLD_AFTER_MS = 10_000;

  private final Vertx vertx;
  private final WorkerExecutor workers;
  private final Path base;
  private volatile SearchIndex live;
  /** Touched only by ordered tasks. */
  private SearchIndex building;
  private final Set<Term> changedWhileBuilding = new HashSet<>();
  private final Set<Long> postsDeletedWhileBuilding = new HashSet<>();
  /** Event-loop state: the rebuild under way. */
  private Future<JsonObject> rebuilding;

  Indexes(Vertx vertx, WorkerExecutor workers, Path base) {
    this.vertx = vertx;
    this.workers = workers;
    this.base = base;
  }

  /** The index searches read, or null while none has been built. */
  SearchIndex live() {
    return live;
  }

  /** Opens the newest generation that holds an index; whether there was one. */
  Future<Boolean> open() {
    return workers.executeBlocking(() -> {
      Files.createDirectories(base);
      List<Path> generations = generations();
      for (Path dir : generations) {
        if (live == null && hasIndex(dir)) {
          live = SearchIndex.open(dir);
          log.info("search index {} opened: {} documents", dir, live.docs());
        } else {
          delete(dir);
        }
      }
      return live != null;
    }, true);
  }

  /** Applies an event's change, to the live index and to the one being built. */
  void apply(Change change) {
    workers.executeBlocking(() -> {
      if (live != null) {
        apply(live, change);
      }
      if (building != null) {
        apply(building, change);
        changedWhileBuilding.add(change.key());
        if (change instanceof Change.DeletePost deleted) {
          postsDeletedWhileBuilding.add(deleted.id());
        }
      }
      return null;
    }, true).onFailure(t -> log.error("the search index could not apply {}", change, t));
  }

  private void apply(SearchIndex index, Change change) {
    if (change instanceof Change.PutPost put) {
      index.put(put.post());
    } else if (change instanceof Change.PutComment put) {
      Docs post = findFresh(index, Docs.keyOfPost(put.comment().postId()));
      if (post == null && live != null && index != live) {
        post = findFresh(live, Docs.keyOfPost(put.comment().postId()));
      }
      index.put(put.comment().withBoard(post == null ? 0 : post.boardId()));
    } else if (change instanceof Change.EditComment edit) {
      Docs comment = findFresh(index, edit.key());
      if (comment != null) {
        index.put(comment.withText(edit.text()));
      }
    } else if (change instanceof Change.DeletePost deleted) {
      index.delete(Docs.postAndComments(deleted.id()));
    } else if (change instanceof Change.DeleteComment deleted) {
      index.delete(deleted.key());
    }
  }

  /** A document as written so far: the searchers' view may lag the writer by {@link SearchIndex#STALE_MS}. */
  private static Docs findFresh(SearchIndex index, Term key) {
    Docs found = index.find(key);
    if (found == null) {
      index.refresh();
      found = index.find(key);
    }
    return found;
  }

  /**
   * Builds a new generation from the database ({@code feed} answers {@code {kind, after, limit}} with
   * {@code {items}}, see persistence's SearchFeed) and makes it the live one. One at a time: asked
   * again meanwhile, it answers the one under way. Completes with {@code {documents, ms}}.
   */
  Future<JsonObject> rebuild(Function<JsonObject, Future<JsonObject>> feed) {
    if (rebuilding != null) {
      return rebuilding;
    }
    long started = System.nanoTime();
    Future<JsonObject> run = workers.executeBlocking(() -> {
          changedWhileBuilding.clear();
          postsDeletedWhileBuilding.clear();
          building = SearchIndex.open(base.resolve("gen-" + System.currentTimeMillis()));
          return null;
        }, true)
        .compose(v -> pages(feed, Field.POSTS, 0))
        .compose(v -> pages(feed, Field.COMMENTS, 0))
        .compose(v -> workers.executeBlocking(this::swap, true))
        .map(docs -> new JsonObject().put("documents", docs).put("ms", (System.nanoTime() - started) / 1_000_000));
    rebuilding = run.onComplete(ar -> {
      rebuilding = null;
      if (ar.succeeded()) {
        log.info("search index rebuilt from the database: {}", ar.result().encode());
      } else {
        log.warn("search index rebuild failed: {}", ar.cause().toString());
        workers.executeBlocking(() -> {
          if (building != null) {
            SearchIndex failed = building;
            building = null;
            failed.close();
            delete(failed.path);
          }
          return null;
        }, true);
      }
    });
    return rebuilding;
  }

  private Future<Void> pages(Function<JsonObject, Future<JsonObject>> feed, String kind, long after) {
    return page(feed, new JsonObject().put(Field.TYPE, kind).put(Field.AFTER, after).put(Field.LIMIT, PAGE), TRIES)
        .compose(page -> {
          JsonArray items = page.getJsonArray(Field.ITEMS, new JsonArray());
          if (items.isEmpty()) {
            return Future.succeededFuture();
          }
          long last = items.getJsonObject(items.size() - 1).getLong(Field.ID);
          return workers.executeBlocking(() -> {
            for (int i = 0; i < items.size(); i++) {
              Docs doc = fromFeed(kind, items.getJsonObject(i));
              if (!changedWhileBuilding.contains(doc.key()) && !postsDeletedWhileBuilding.contains(doc.postId())) {
                building.put(doc);
              }
            }
            return null;
          }, true).compose(v -> items.size() < PAGE ? Future.succeededFuture() : pages(feed, kind, last));
        });
  }

  /** A page of the feed; a failed one is asked again (a busy or failing-over database), {@code tries} in all. */
  private Future<JsonObject> page(Function<JsonObject, Future<JsonObject>> feed, JsonObject ask, int tries) {
    return feed.apply(ask).recover(t -> {
      if (tries <= 1) {
        return Future.failedFuture(t);
      }
      log.info("search index rebuild: a page of the database failed ({}), asking again", t.getMessage());
      return vertx.timer(RETRY_PAGE_MS).compose(v -> page(feed, ask, tries - 1));
    });
  }

  private static Docs fromFeed(String kind, JsonObject row) {
    boolean comment = Field.COMMENTS.equals(kind);
    return new Docs(comment, row.getLong(Field.ID), comment ? row.getLong(Field.POST_ID) : row.getLong(Field.ID),
        row.getLong(Field.BOARD_ID), row.getLong(Field.AUTHOR_ID), row.getString("authorName", ""),
        row.getString(Field.TITLE, ""), row.getString(Field.CONTENT, ""),
        Instant.parse(row.getString(Field.CREATED_AT)).toEpochMilli());
  }

  private long swap() {
    building.commit();
    building.refresh();
    SearchIndex old = live;
    live = building;
    building = null;
    changedWhileBuilding.clear();
    postsDeletedWhileBuilding.clear();
    if (old != null) {
      vertx.setTimer(CLOSE_OLD_AFTER_MS, id -> workers.executeBlocking(() -> {
        old.close();
        delete(old.path);
        return null;
      }, true));
    }
    return live.docs();
  }

  /** Commits and closes; the index opens as it is at the next start. */
  Future<Void> close() {
    return workers.executeBlocking(() -> {
      if (building != null) {
        building.close();
        delete(building.path);
        building = null;
      }
      if (live != null) {
        live.commit();
        live.close();
        live = null;
      }
      return null;
    }, true);
  }

  private List<Path> generations() throws IOException {
    try (Stream<Path> dirs = Files.list(base)) {
      return dirs.filter(p -> p.getFileName().toString().startsWith("gen-") && Files.isDirectory(p))
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().length())
              .thenComparing(p -> p.getFileName().toString()).reversed())
          .toList();
    }
  }

  private static boolean hasIndex(Path dir) throws IOException {
    try (FSDirectory d = FSDirectory.open(dir)) {
      return DirectoryReader.indexExists(d);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
