package dev.liveforum.persistence;

import dev.liveforum.bus.Channel;
import dev.liveforum.bus.ChannelEvents;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.EventData;
import dev.liveforum.event.OnPost;
import dev.liveforum.event.PostEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Each realtime channel's numbered events, in the database. An event is numbered on every channel it
 * reaches in the transaction of the change it describes, under a lock on the channel's counter row,
 * so a channel's numbers follow its commits: none skipped, reused or reordered, whatever happens to
 * Redis or to a node afterwards. Catching up reads them back, and answers only a complete run.
 *
 * <p>What catching up shows follows later changes, in their transaction: an edit rewrites the text that
 * earlier events of its comment or post show, a deleted comment's earlier events show no text, and a
 * deleted post's channel is dropped and closed (410), with its title gone from its board's events.
 */
final class ChannelLog {
  private static final Logger log = LoggerFactory.getLogger(ChannelLog.class);
  /** One channel: adds to its counter and leaves the new value in LAST_INSERT_ID. */
  private static final String BUMP_ONE = "INSERT INTO channel_seqs (channel, seq) VALUES (?, LAST_INSERT_ID(?))"
      + " ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + VALUES(seq))";
  /** Several channels, in one statement; followed by rows of {@link #BUMP_ROW}, then {@link #BUMP_END}. */
  private static final String BUMP = "INSERT INTO channel_seqs (channel, seq) VALUES";
  private static final String BUMP_ROW = "(?, ?)";
  private static final String BUMP_END = " ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)";
  /** Followed by {@code IN (…)}. */
  private static final String CURRENT_OF = "SELECT channel, seq FROM channel_seqs WHERE channel";
  private static final String CURRENT = "SELECT seq, closed FROM channel_seqs WHERE channel = ?";
  private static final String KEEP = "INSERT INTO channel_events (channel, seq, subject, event, created_at) VALUES";
  private static final String KEEP_ROW = "(?, ?, ?, ?, UTC_TIMESTAMP(3))";
  /** What earlier events show of a comment, after its edit or deletion; parameters: content, HTML, excerpt, subject. */
  private static final String REWRITE_COMMENT = "UPDATE channel_events SET event = JSON_REPLACE(event,"
      + " '$.data.content', ?, '$.data.contentHtml', ?, '$.data.excerpt', ?) WHERE subject = ?";
  /** What earlier events show of a post, on its channel and its board's, after its edit; parameters: title, content, HTML, subject. */
  private static final String REWRITE_POST = "UPDATE channel_events SET event = JSON_REPLACE(event,"
      + " '$.data.title', ?, '$.data.content', ?, '$.data.contentHtml', ?) WHERE subject = ?";
  private static final String DROP_CHANNEL = "DELETE FROM channel_events WHERE channel = ?";
  private static final String CLOSE = "UPDATE channel_seqs SET closed = TRUE WHERE channel = ?";
  private static final String SINCE = "SELECT seq, event FROM channel_events WHERE channel = ? AND seq > ? AND seq <= ?"
      + " ORDER BY seq";
  private static final String PURGE = "DELETE FROM channel_events WHERE created_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND"
      + " LIMIT 10000";
  private static final long PURGE_EVERY_MS = 3_600_000;

  private final Pool pool;
  private final int capacity;
  private final int ttlSeconds;

  /** Catching up answers at most {@code capacity} events; events are kept {@code ttlSeconds}. */
  ChannelLog(Pool pool, int capacity, int ttlSeconds) {
    this.pool = pool;
    this.capacity = capacity;
    this.ttlSeconds = ttlSeconds;
  }

  /**
   * Numbers domain {@code events} on the channels they reach and keeps them, through {@code tx} (the
   * transaction of their change); each event gets {@code seqs}: channel → its number there. Counter rows
   * are locked in the order of their names, so two transactions never wait for each other's.
   */
  static Future<List<DomainEvent>> number(SqlClient tx, List<DomainEvent> events) {
    List<List<ChannelEvents.Routed>> routes = new ArrayList<>(events.size());
    Map<String, Integer> counts = new TreeMap<>();
    for (DomainEvent event : events) {
      List<ChannelEvents.Routed> routed = ChannelEvents.route(event);
      routes.add(routed);
      routed.forEach(r -> counts.merge(r.channel(), 1, Integer::sum));
    }
    if (counts.isEmpty()) {
      return Future.succeededFuture(events);
    }
    return rewriteEarlier(tx, events).compose(rewritten -> bump(tx, counts)).compose(last -> {
      Map<String, Long> next = new HashMap<>();
      counts.forEach((channel, n) -> next.put(channel, last.get(channel) - n + 1));
      List<Tuple> kept = new ArrayList<>();
      List<DomainEvent> numbered = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        JsonObject seqs = new JsonObject();
        for (ChannelEvents.Routed routed : routes.get(i)) {
          long seq = next.merge(routed.channel(), 1L, Long::sum) - 1;
          seqs.put(routed.channel(), seq);
          kept.add(Tuple.of(routed.channel(), seq, subject(events.get(i)), routed.event().put(Field.SEQ, seq).encode()));
        }
        numbered.add(events.get(i).withSeqs(seqs));
      }
      return Rows.insertAll(tx, KEEP, KEEP_ROW, kept).map(numbered);
    }).compose(numbered -> closeDeletedPosts(tx, events).map(numbered));
  }

  /** What an event is about, for later rewrites: {@code comment.<id>}, {@code post.<id>}, or null. */
  private static String subject(DomainEvent event) {
    EventData data = event.data();
    if (data instanceof CommentEvents.Created c) {
      return "comment." + c.commentId();
    } else if (data instanceof CommentEvents.Updated c) {
      return "comment." + c.commentId();
    } else if (data instanceof CommentEvents.Deleted c) {
      return "comment." + c.commentId();
    } else if (data instanceof PostEvents.Created || data instanceof PostEvents.Updated
        || data instanceof PostEvents.Deleted) {
      return Channel.post(((OnPost) data).postId());
    }
    return null;
  }

  /** Makes earlier kept events show what these edits and deletions leave of their comment or post. */
  private static Future<Void> rewriteEarlier(SqlClient tx, List<DomainEvent> events) {
    Future<?> chain = Future.succeededFuture();
    for (DomainEvent event : events) {
      String subject = subject(event);
      EventData data = event.data();
      String sql = null;
      Tuple shown = null;
      if (data instanceof CommentEvents.Updated c) {
        sql = REWRITE_COMMENT;
        shown = Tuple.of(c.content(), c.contentHtml(), c.excerpt(), subject);
      } else if (data instanceof CommentEvents.Deleted) {
        sql = REWRITE_COMMENT;
        shown = Tuple.of("", "", "", subject);
      } else if (data instanceof PostEvents.Updated p) {
        sql = REWRITE_POST;
        shown = Tuple.of(p.title(), p.content(), p.contentHtml(), subject);
      } else if (data instanceof PostEvents.Deleted) {
        sql = REWRITE_POST;
        shown = Tuple.of("", "", "", subject);
      }
      if (sql != null) {
        String statement = sql;
        Tuple params = shown;
        chain = chain.compose(v -> tx.preparedQuery(statement).execute(params));
      }
    }
    return chain.mapEmpty();
  }

  /** A deleted post's channel keeps nothing and is caught up on no more. */
  private static Future<Void> closeDeletedPosts(SqlClient tx, List<DomainEvent> events) {
    Future<?> chain = Future.succeededFuture();
    for (DomainEvent event : events) {
      if (event.data() instanceof PostEvents.Deleted deleted) {
        String channel = Channel.post(deleted.id());
        chain = chain.compose(v -> tx.preparedQuery(DROP_CHANNEL).execute(Tuple.of(channel)))
            .compose(v -> tx.preparedQuery(CLOSE).execute(Tuple.of(channel)));
      }
    }
    return chain.mapEmpty();
  }

  /** Adds each count to its channel's counter; the counters' new values. */
  private static Future<Map<String, Long>> bump(SqlClient tx, Map<String, Integer> counts) {
    if (counts.size() == 1) {
      Map.Entry<String, Integer> only = counts.entrySet().iterator().next();
      return tx.preparedQuery(BUMP_ONE).execute(Tuple.of(only.getKey(), only.getValue()))
          .map(r -> Map.of(only.getKey(), (Long) r.property(MySQLClient.LAST_INSERTED_ID)));
    }
    List<Object> params = new ArrayList<>(counts.size() * 2);
    counts.forEach((channel, n) -> {
      params.add(channel);
      params.add(n);
    });
    String values = String.join(", ", java.util.Collections.nCopies(counts.size(), BUMP_ROW));
    List<String> channels = new ArrayList<>(counts.keySet());
    return tx.preparedQuery(BUMP + " " + values + BUMP_END).execute(Tuple.from(params))
        .compose(r -> tx.preparedQuery(CURRENT_OF + Rows.in(channels.size())).execute(Tuple.from(channels)))
        .map(rows -> {
          Map<String, Long> last = new HashMap<>();
          for (Row row : rows) {
            last.put(row.getString("channel"), row.getLong("seq"));
          }
          return last;
        });
  }

  /** {channel} → {seq}: the channel's last number (0 before its first event). */
  Future<JsonObject> current(JsonObject body) {
    return pool.preparedQuery(CURRENT).execute(Tuple.of(body.getString(Field.CHANNEL)))
        .map(rows -> new JsonObject().put(Field.SEQ, rows.size() == 0 ? 0L : Rows.first(rows).getLong("seq")))
        .recover(Database::classify);
  }

  /** The channel's last number, or a 410 when it is closed. */
  private Future<Long> open(String channel) {
    return pool.preparedQuery(CURRENT).execute(Tuple.of(channel)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0L);
      }
      Row row = Rows.first(rows);
      return row.getBoolean("closed")
          ? Future.failedFuture(Failure.of(410, channel + " is closed: its post was deleted"))
          : Future.succeededFuture(row.getLong("seq"));
    });
  }

  /**
   * {channel, after, actor} → {events, seq}: every event numbered after {@code after}, in order, and
   * the channel's last number, for a reader allowed the channel (private ones: their user only). 410
   * when that run cannot be answered whole: a number the channel never reached, more events than
   * catching up sends, events no longer kept, or a closed channel; the client then reloads.
   */
  Future<JsonObject> since(JsonObject body) {
    String channel = body.getString(Field.CHANNEL);
    Channel parsed = Channel.parse(channel);
    if (parsed == null || parsed.kind() == Channel.Kind.STATS) {
      return Future.failedFuture(Failure.badRequest("not a channel with a backlog: " + channel));
    }
    parsed.requireReader(body.getLong(Field.ACTOR_ID), body.getString(Field.ACTOR_ROLE));
    long after = body.getLong(Field.AFTER);
    return open(channel).compose(current -> {
      if (after > current) {
        return Future.failedFuture(Failure.of(410,
            "channel " + channel + " has not reached " + after + " (it is at " + current + "): reload it"));
      }
      if (current - after > capacity) {
        return Future.failedFuture(Failure.of(410, (current - after) + " events on " + channel + " since " + after
            + ", more than catching up sends (" + capacity + "): reload it"));
      }
      return pool.preparedQuery(SINCE).execute(Tuple.of(channel, after, current)).compose(rows -> {
        if (rows.size() != current - after) {
          return Future.failedFuture(Failure.of(410,
              "events after " + after + " on " + channel + " are no longer kept: reload it"));
        }
        JsonArray events = new JsonArray();
        for (Row row : rows) {
          events.add(new JsonObject(row.getString("event")));
        }
        return Future.succeededFuture(new JsonObject().put("events", events).put(Field.SEQ, current));
      });
    }).recover(Database::classify);
  }

  /** Drops kept events older than the backlog's TTL, every hour (or every TTL, if shorter). */
  long startPurging(Vertx vertx) {
    return vertx.setPeriodic(Math.min(PURGE_EVERY_MS, ttlSeconds * 1000L), id -> pool.preparedQuery(PURGE).execute(Tuple.of(ttlSeconds))
        .onFailure(t -> log.warn("channel event purge failed: {}", t.getMessage())));
  }
}
