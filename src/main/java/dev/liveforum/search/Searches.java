package dev.liveforum.search;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The {@code search.*} queries on this node's index. A hit is a post or a comment; its post is read
 * from the database as post lists show it (counts, likedByMe), so a post deleted a moment ago and
 * not yet out of the index is not shown. Best match first, then newest.
 */
final class Searches {
  static final String ENGINE = "index";
  private static final String KIND = "index-search";
  private static final int DEFAULT_PAGE = 20;
  private static final int MAX_PAGE = 50;
  private static final int FRAGMENT_CHARS = 200;
  private static final int SUGGESTIONS = 8;
  private static final int MAX_PREFIX = 100;
  private static final Sort ORDER = new Sort(SortField.FIELD_SCORE,
      new SortField(Docs.CREATED_AT, SortField.Type.LONG, true), new SortField(Docs.UID, SortField.Type.LONG, true));
  private static final Sort NEWEST = new Sort(new SortField(Docs.CREATED_AT, SortField.Type.LONG, true));

  private final Indexes indexes;
  private final WorkerExecutor workers;
  private final Cursors cursors;
  /** Persistence's post list items by id ({@code {ids, actorId}} → {@code {items}}). */
  private final Function<JsonObject, Future<JsonObject>> cards;
  private final Analyzer korean = Analysis.korean();
  private final Analyzer english = Analysis.english();
  private final Analyzer words = Analysis.words();
  private final QueryBuilder builder = new QueryBuilder(Analysis.perField());

  Searches(Indexes indexes, WorkerExecutor workers, Cursors cursors, Function<JsonObject, Future<JsonObject>> cards) {
    this.indexes = indexes;
    this.workers = workers;
    this.cursors = cursors;
    this.cards = cards;
  }

  /**
   * {@code {q, boardId?, authorId?, from?, to?, cursor?, limit?, actorId?}} → {@code {items, nextCursor,
   * engine}}: items as in post lists with {@code score}, {@code highlight: {title, text}} (escaped HTML,
   * matches in {@code <mark>}) and, for a comment, {@code comment: {id, author, createdAt}}.
   */
  Future<JsonObject> search(JsonObject body) {
    UserQuery typed = UserQuery.parse(body.getString(Field.QUERY));
    JsonObject search = new JsonObject().put("list", KIND).put(Field.QUERY, typed.words() + "|" + typed.phrases())
        .put(Field.BOARD_ID, body.getLong(Field.BOARD_ID)).put(Field.AUTHOR_ID, body.getLong(Field.AUTHOR_ID))
        .put(Field.FROM, body.getString(Field.FROM)).put(Field.TO, body.getString(Field.TO));
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && !search.stream().allMatch(e -> Objects.equals(String.valueOf(e.getValue()), String.valueOf(at.getValue(e.getKey()))))) {
      throw Failure.badRequest("cursor belongs to another search: keep q, boardId, authorId, from and to as on the first page");
    }
    long asOf = at == null ? System.currentTimeMillis() : at.getLong("asOf");
    Query text = typed.toLucene(builder);
    if (text == null) {
      return Future.succeededFuture(page(new JsonArray(), null));
    }
    Query query = filtered(text, body, asOf);
    int limit = Math.max(1, Math.min(MAX_PAGE, body.getInteger(Field.LIMIT, DEFAULT_PAGE)));
    SearchIndex index = indexes.live();
    if (index == null) {
      throw Failure.unavailable("the search index is being built");
    }
    Highlights marks = new Highlights(korean, english, text);
    return workers.<List<Hit>>executeBlocking(() -> index.read(searcher -> {
      try {
        FieldDoc after = at == null ? null : anchor(searcher, query, at);
        TopFieldDocs top = searcher.searchAfter(after, query, limit + 1, ORDER, true);
        List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc sd : top.scoreDocs) {
          Docs doc = Docs.of(searcher.storedFields().document(sd.doc));
          hits.add(new Hit(doc, sd.score, marks.fragment(doc.text(), FRAGMENT_CHARS)));
        }
        return hits;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }), false).compose(hits -> {
      List<Hit> shown = hits.size() > limit ? hits.subList(0, limit) : hits;
      String next = null;
      if (hits.size() > limit) {
        Hit last = shown.get(shown.size() - 1);
        next = cursors.encode(search.copy().put("asOf", asOf).put("score", (double) last.score())
            .put(Field.CREATED_AT, last.doc().createdAt()).put("uid", last.doc().uid()));
      }
      String nextCursor = next;
      return withPosts(shown, body.getLong(Field.ACTOR_ID), marks).map(items -> page(items, nextCursor));
    });
  }

  /** {@code {q, boardId?}} → {@code {items: [{id, title}]}}: the newest posts whose title has words starting so. */
  Future<JsonObject> suggest(JsonObject body) {
    String typed = body.getString(Field.QUERY, "").strip();
    if (typed.isEmpty() || typed.length() > MAX_PREFIX) {
      throw Failure.badRequest("q must be 1 to " + MAX_PREFIX + " characters");
    }
    SearchIndex index = indexes.live();
    if (index == null) {
      throw Failure.unavailable("the search index is being built");
    }
    Long board = body.getLong(Field.BOARD_ID);
    return workers.executeBlocking(() -> {
      List<String> terms = Tokens.of(words, typed);
      if (terms.isEmpty()) {
        return new JsonObject().put(Field.ITEMS, new JsonArray());
      }
      BooleanQuery.Builder q = new BooleanQuery.Builder()
          .add(new TermQuery(new Term(Docs.KIND, Docs.POST)), Occur.FILTER);
      for (int i = 0; i < terms.size() && i < UserQuery.MAX_TERMS; i++) {
        Term term = new Term(Docs.TITLE_WORDS, terms.get(i));
        boolean last = i == terms.size() - 1 && !Character.isWhitespace(typed.charAt(typed.length() - 1));
        q.add(last ? new PrefixQuery(term) : new TermQuery(term), Occur.FILTER);
      }
      if (board != null) {
        q.add(LongPoint.newExactQuery(Docs.BOARD_ID, board), Occur.FILTER);
      }
      JsonArray items = new JsonArray();
      index.read(searcher -> {
        try {
          for (ScoreDoc sd : searcher.search(q.build(), SUGGESTIONS, NEWEST).scoreDocs) {
            Docs doc = Docs.of(searcher.storedFields().document(sd.doc));
            items.add(new JsonObject().put(Field.ID, doc.id()).put(Field.TITLE, doc.title()));
          }
          return null;
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      return new JsonObject().put(Field.ITEMS, items);
    }, false);
  }

  /**
   * Where the previous page ended. Scores drift as documents come and go (a word's weight depends on how
   * many have it), so the last hit's score is computed again on this searcher; the cursor's copy is the
   * fallback for a hit deleted meanwhile. Only the anchor itself has the same score, time and uid, and
   * it is not to come again: the sort's last tie-break, the document number, is set past every document.
   */
  private static FieldDoc anchor(IndexSearcher searcher, Query query, JsonObject at) throws IOException {
    long uid = at.getLong("uid");
    Term key = uid % 2 == 0 ? Docs.keyOfPost(uid / 2) : Docs.keyOfComment(uid / 2);
    Query only = new BooleanQuery.Builder().add(query, Occur.MUST).add(new TermQuery(key), Occur.FILTER).build();
    ScoreDoc[] now = searcher.search(only, 1).scoreDocs;
    float score = now.length == 1 ? now[0].score : at.getFloat("score");
    return new FieldDoc(Math.max(0, searcher.getIndexReader().maxDoc() - 1), score,
        new Object[] {score, at.getLong(Field.CREATED_AT), uid});
  }

  private static Query filtered(Query text, JsonObject body, long asOf) {
    BooleanQuery.Builder q = new BooleanQuery.Builder().add(text, Occur.MUST);
    Long board = body.getLong(Field.BOARD_ID);
    if (board != null) {
      q.add(LongPoint.newExactQuery(Docs.BOARD_ID, board), Occur.FILTER);
    }
    Long author = body.getLong(Field.AUTHOR_ID);
    if (author != null) {
      q.add(LongPoint.newExactQuery(Docs.AUTHOR_ID, author), Occur.FILTER);
    }
    long from = day(body, Field.FROM, 0, Long.MIN_VALUE);
    long to = Math.min(asOf, day(body, Field.TO, 1, Long.MAX_VALUE) - 1);
    q.add(LongPoint.newRangeQuery(Docs.CREATED_AT, from, to), Occur.FILTER);
    return q.build();
  }

  /** The start of the day named in {@code field} plus {@code days}, in epoch milliseconds; {@code none} if absent. */
  private static long day(JsonObject body, String field, int days, long none) {
    String value = body.getString(field);
    if (value == null) {
      return none;
    }
    try {
      return LocalDate.parse(value).plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw Failure.badRequest(field + " must be a day, YYYY-MM-DD");
    }
  }

  private Future<JsonArray> withPosts(List<Hit> hits, Long actorId, Highlights marks) {
    if (hits.isEmpty()) {
      return Future.succeededFuture(new JsonArray());
    }
    JsonArray ids = new JsonArray(List.copyOf(new LinkedHashSet<>(hits.stream().map(h -> h.doc().postId()).toList())));
    return cards.apply(new JsonObject().put(Field.IDS, ids).put(Field.ACTOR_ID, actorId))
        .compose(reply -> workers.executeBlocking(() -> {
          Map<Long, JsonObject> posts = new HashMap<>();
          reply.getJsonArray(Field.ITEMS).forEach(o -> posts.put(((JsonObject) o).getLong(Field.ID), (JsonObject) o));
          JsonArray items = new JsonArray();
          for (Hit hit : hits) {
            JsonObject post = posts.get(hit.doc().postId());
            if (post == null) {
              continue; // deleted since it was indexed
            }
            JsonObject item = post.copy().put("score", (double) hit.score()).put("highlight", new JsonObject()
                .put(Field.TITLE, marks.whole(post.getString(Field.TITLE))).put("text", hit.fragment()));
            if (hit.doc().comment()) {
              item.put("comment", new JsonObject().put(Field.ID, hit.doc().id())
                  .put("author", new JsonObject().put(Field.ID, hit.doc().authorId())
                      .put(Field.USERNAME, hit.doc().authorName()))
                  .put(Field.CREATED_AT, java.time.Instant.ofEpochMilli(hit.doc().createdAt()).toString()));
            }
            items.add(item);
          }
          return items;
        }, false));
  }

  private static JsonObject page(JsonArray items, String next) {
    return new JsonObject().put(Field.ITEMS, items).put(Field.NEXT_CURSOR, next).put("engine", ENGINE);
  }

  private record Hit(Docs doc, float score, String fragment) {}
}
