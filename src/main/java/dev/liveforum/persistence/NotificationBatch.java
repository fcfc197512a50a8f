package dev.liveforum.persistence;

import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.NotificationEvents;
import dev.liveforum.bus.NotificationRules;
import dev.liveforum.bus.NotificationRules.Candidate;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a batch of notification jobs in one transaction, a statement or two per kind of row for the
 * whole batch rather than eight or so per job, one after another (a like job cost about eight round
 * trips, and a worker applied 85–350 of them a second while the like benchmark made 700). It applies
 * the {@link NotificationRules} in memory, in the jobs' order, to what it read: which events were
 * applied before, which posts, comments, mentioned users and once-rules there are, and the open like
 * groups. Rows of each table are locked in key order (event ids, users, groups by their index, new
 * notifications by post), so two batches, or a batch and a like or comment batch, do not wait for each
 * other in a cycle.
 *
 * <p>Which events and once-rules are new is read first (a plain read), then the new ones are inserted
 * with INSERT IGNORE; should another transaction have inserted one of them meanwhile (it then commits
 * first, as ours waits for its lock), the insert adds fewer rows than read, and {@link Raced} makes the
 * caller run the batch again: the new transaction sees that row.
 */
final class NotificationBatch {
  /** A job: its event's id, the event as the rules read it, and the request that made the event. */
  record Job(String eventId, NotificationRules.Source event, String requestId) {
    long postId() {
      return event.postId();
    }
  }

  /** Another transaction inserted an event or once-rule of the batch after the batch read it was new. */
  static final class Raced extends RuntimeException {
    Raced(String what) {
      super(what + " inserted meanwhile by another transaction", null, false, false);
    }
  }

  /** A candidate of a job to be told: {@code job} is its index in the batch. */
  private record Tell(int job, Candidate candidate) {}

  /** A like group: one recipient's unread like notification of one target. */
  private record GroupKey(long userId, String targetType, long targetId) {}

  /** A notification the batch makes, or an open like group it joins. */
  private static final class Made {
    Long id;
    final boolean fresh;
    final long userId;
    final String type;
    final long postId;
    final Candidate candidate;
    final String excerpt;
    long actor;
    /** The request of the batch's last tell of it, which its event names. */
    String requestId;
    /** Actors added by this batch. */
    int actors;
    /** Position of the batch's last tell of it, and its owner's new notifications by then. */
    int lastTouch;
    int ownersNewByThen;

    Made(Long id, long userId, String type, long postId, Candidate candidate, String excerpt) {
      this.id = id;
      this.fresh = id == null;
      this.userId = userId;
      this.type = type;
      this.postId = postId;
      this.candidate = candidate;
      this.excerpt = excerpt;
    }
  }

  private final SqlClient tx;
  private final List<Job> jobs;
  private final int groupWindowSeconds;
  private final int mentionsPerText;
  /** Each job's count of notifications created or joined. */
  private final int[] applied;

  private NotificationBatch(SqlClient tx, List<Job> jobs, int groupWindowSeconds, int mentionsPerText) {
    this.tx = tx;
    this.jobs = jobs;
    this.groupWindowSeconds = groupWindowSeconds;
    this.mentionsPerText = mentionsPerText;
    this.applied = new int[jobs.size()];
  }

  /**
   * Applies {@code jobs} in the transaction {@code tx} and marks their events done in it: each job's
   * count of notifications created or joined (0 for an event applied before, or whose post is gone).
   * Fails with {@link Raced} when the batch is to be run again in a new transaction.
   */
  static Future<int[]> apply(SqlClient tx, List<Job> jobs, int groupWindowSeconds, int mentionsPerText) {
    return new NotificationBatch(tx, jobs, groupWindowSeconds, mentionsPerText).run();
  }

  private Future<int[]> run() {
    return newJobs()
        .compose(this::live)
        .compose(live -> mentioned(live).map(mentions -> tells(live, mentions)))
        .compose(this::onceFirst)
        .compose(this::withTargets)
        .compose(this::resolve)
        .compose(this::write)
        .compose(v -> NotificationFeed.markDone(tx, jobs.stream().map(Job::eventId).distinct().toList()))
        .map(v -> applied);
  }

  /**
   * Indexes of the jobs whose events were not applied before (nor earlier in the batch), recorded as
   * applied now, in event id order.
   */
  private Future<List<Integer>> newJobs() {
    List<String> ids = jobs.stream().map(Job::eventId).distinct().sorted().toList();
    List<String> params = Rows.padded(ids);
    return tx.preparedQuery(NotificationSql.JOBS_SEEN + Rows.in(params.size())).execute(Tuple.from(params))
        .compose(rows -> {
          Set<String> seen = new HashSet<>();
          rows.forEach(r -> seen.add(r.getString("event_id")));
          List<Tuple> added = ids.stream().filter(id -> !seen.contains(id)).map(Tuple::of).toList();
          return Rows.insertAll(tx, NotificationSql.JOBS_ADD, NotificationSql.JOB_ROW, added)
              .map(results -> {
                if (inserted(results) != added.size()) {
                  throw new Raced("an applied event");
                }
                List<Integer> fresh = new ArrayList<>();
                for (int i = 0; i < jobs.size(); i++) {
                  if (!seen.contains(jobs.get(i).eventId()) && seen.add(jobs.get(i).eventId())) {
                    fresh.add(i);
                  }
                }
                return fresh;
              });
        });
  }

  /**
   * The new jobs whose post is still there (a post gone takes with it what there was to tell). Not a
   * locking read: every like and comment batch locks its posts for update, and a shared lock held to
   * the end of this transaction made those batches and this one wait for each other. A post deleted
   * meanwhile is still noticed: a new notification's foreign key waits for the delete and fails (the
   * batch is then applied job by job), and a joined group's row is locked before the delete counts it.
   */
  private Future<List<Integer>> live(List<Integer> fresh) {
    return Rows.byId(tx, NotificationSql.POSTS, fresh.stream().map(i -> jobs.get(i).postId()), "")
        .map(posts -> fresh.stream().filter(i -> posts.containsKey(jobs.get(i).postId())).toList());
  }

  /** Per job, the ids of the users @mentioned in its text (at most {@code limits.mentionsPerText} names each), from one read. */
  private Future<Map<Integer, List<Long>>> mentioned(List<Integer> live) {
    Map<Integer, Set<String>> names = new HashMap<>();
    Set<String> all = new java.util.TreeSet<>();
    for (int i : live) {
      Set<String> named = NotificationRules.mentionedNames(jobs.get(i).event(), mentionsPerText);
      names.put(i, named);
      named.forEach(n -> all.add(n.toLowerCase(Locale.ROOT)));
    }
    if (all.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> params = Rows.padded(new ArrayList<>(all));
    return tx.preparedQuery(NotificationSql.USERS_NAMED + Rows.in(params.size())).execute(Tuple.from(params))
        .map(rows -> {
          // Usernames compare without case (the column's collation), as the lookup by name did.
          Map<String, Long> ids = new HashMap<>();
          rows.forEach(r -> ids.put(r.getString("username").toLowerCase(Locale.ROOT), r.getLong("id")));
          Map<Integer, List<Long>> out = new HashMap<>();
          names.forEach((job, named) -> out.put(job, named.stream()
              .map(n -> ids.get(n.toLowerCase(Locale.ROOT))).filter(Objects::nonNull).distinct().toList()));
          return out;
        });
  }

  /** The rules, per live job in the batch's order: one candidate per recipient other than the actor. */
  private List<Tell> tells(List<Integer> live, Map<Integer, List<Long>> mentions) {
    List<Tell> tells = new ArrayList<>();
    for (int i : live) {
      for (Candidate c : NotificationRules.told(jobs.get(i).event(), mentions.getOrDefault(i, List.of()))) {
        tells.add(new Tell(i, c));
      }
    }
    return tells;
  }

  /**
   * The tells that a once-rule does not stop: a rule seen before (in the database or earlier in the
   * batch) stops the tell; the new ones are recorded, in key order.
   */
  private Future<List<Tell>> onceFirst(List<Tell> tells) {
    Map<List<Object>, Tell> firsts = new LinkedHashMap<>();
    for (Tell t : tells) {
      if (t.candidate().once() != null) {
        firsts.putIfAbsent(List.of(t.candidate().userId(), t.candidate().once()), t);
      }
    }
    if (firsts.isEmpty()) {
      return Future.succeededFuture(tells);
    }
    List<List<Object>> keys = new ArrayList<>(firsts.keySet());
    keys.sort(Comparator.<List<Object>, Long>comparing(k -> (Long) k.get(0)).thenComparing(k -> (String) k.get(1)));
    List<List<Object>> padded = Rows.padded(keys);
    List<Object> params = new ArrayList<>();
    padded.forEach(params::addAll);
    String sql = NotificationSql.ONCE_SEEN + String.join(" OR ", Collections.nCopies(padded.size(), NotificationSql.ONCE_ONE));
    return tx.preparedQuery(sql).execute(Tuple.from(params)).compose(rows -> {
      Set<List<Object>> seen = new HashSet<>();
      rows.forEach(r -> seen.add(List.of(r.getLong("user_id"), r.getString("once_key"))));
      List<Tuple> added = keys.stream().filter(k -> !seen.contains(k)).map(k -> Tuple.of(k.get(0), k.get(1))).toList();
      return Rows.insertAll(tx, NotificationSql.ONCE_ADD, NotificationSql.ONCE_ROW, added).map(results -> {
        if (inserted(results) != added.size()) {
          throw new Raced("a once-rule");
        }
        Set<Tell> go = new HashSet<>();
        firsts.forEach((key, t) -> {
          if (!seen.contains(key)) {
            go.add(t);
          }
        });
        return tells.stream().filter(t -> t.candidate().once() == null || go.contains(t)).toList();
      });
    });
  }

  /** What the tells still need: their comments must exist, and the open like groups they may join. */
  private record Targets(List<Tell> tells, Map<GroupKey, Long> groups) {}

  /**
   * Drops the tells of comments gone (deleted with their post before the job ran: nothing to point at;
   * a plain read, for the reason {@link #live} gives) and locks the open like groups of the rest.
   */
  private Future<Targets> withTargets(List<Tell> tells) {
    return Rows.byId(tx, NotificationSql.COMMENTS, tells.stream().map(t -> t.candidate().commentId()), "")
        .compose(comments -> {
          List<Tell> kept = tells.stream()
              .filter(t -> t.candidate().commentId() == null || comments.containsKey(t.candidate().commentId()))
              .toList();
          return likeGroups(kept).map(groups -> new Targets(kept, groups));
        });
  }

  /**
   * The newest unread like notification of each recipient and target the batch likes, updated within
   * the group window, locked (the ranges of the group index in key order): a group joined cannot be
   * read or deleted meanwhile, and no other batch opens a second one.
   */
  private Future<Map<GroupKey, Long>> likeGroups(List<Tell> tells) {
    List<GroupKey> keys = tells.stream().map(NotificationBatch::groupKey).filter(Objects::nonNull).distinct()
        .sorted(Comparator.comparingLong(GroupKey::userId).thenComparing(GroupKey::targetType)
            .thenComparingLong(GroupKey::targetId))
        .toList();
    if (keys.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<GroupKey> padded = Rows.padded(keys);
    List<Object> params = new ArrayList<>();
    params.add(groupWindowSeconds);
    padded.forEach(k -> params.addAll(List.of(k.userId(), k.targetType(), k.targetId())));
    String sql = NotificationSql.LIKE_GROUPS
        + String.join(" OR ", Collections.nCopies(padded.size(), NotificationSql.LIKE_GROUP_ONE)) + ") FOR UPDATE";
    return tx.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> {
      Map<GroupKey, Long> groups = new HashMap<>();
      rows.forEach(r -> groups.merge(new GroupKey(r.getLong("user_id"), r.getString("target_type"),
          r.getLong("target_id")), r.getLong("id"), Math::max));
      return groups;
    });
  }

  private static GroupKey groupKey(Tell t) {
    Candidate c = t.candidate();
    return c.type().equals(NotificationRules.LIKE) ? new GroupKey(c.userId(), c.targetType(), c.targetId()) : null;
  }

  /**
   * The tells in the batch's order as notifications: a like joins its open group (one the batch made
   * included), anything else makes one. Each tell counts for its job.
   */
  private Future<List<Made>> resolve(Targets targets) {
    Map<GroupKey, Made> groups = new HashMap<>();
    List<Made> made = new ArrayList<>();
    Map<Long, Integer> newPerUser = new HashMap<>();
    int position = 0;
    for (Tell t : targets.tells()) {
      Job job = jobs.get(t.job());
      Candidate c = t.candidate();
      GroupKey key = groupKey(t);
      Made m = key == null ? null : groups.get(key);
      if (m == null) {
        Long open = key == null ? null : targets.groups().get(key);
        m = new Made(open, c.userId(), c.type(), job.postId(), c, excerpt(job.event().excerpt()));
        made.add(m);
        if (key != null) {
          groups.put(key, m);
        }
        if (m.fresh) {
          newPerUser.merge(c.userId(), 1, Integer::sum);
        }
      }
      m.actor = job.event().actor();
      m.requestId = job.requestId();
      m.actors++;
      m.lastTouch = position++;
      m.ownersNewByThen = newPerUser.getOrDefault(c.userId(), 0);
      applied[t.job()]++;
    }
    return Future.succeededFuture(made);
  }

  private static String excerpt(String excerpt) {
    return excerpt.length() > 300 ? excerpt.substring(0, 300) : excerpt;
  }

  /**
   * Inserts the new notifications (in post order, the order like and comment batches lock posts in,
   * which the foreign keys take shared locks on), updates the joined groups, adds to the owners' unread
   * counts, and records one {@code notification.created} per notification with its state and its
   * owner's unread count after the batch's last tell of it.
   */
  private Future<Void> write(List<Made> made) {
    if (made.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Made> fresh = made.stream().filter(m -> m.fresh)
        .sorted(Comparator.comparingLong((Made m) -> m.postId)
            .thenComparing(m -> m.candidate.commentId(), Comparator.nullsFirst(Comparator.naturalOrder())))
        .toList();
    List<Tuple> rows = fresh.stream().map(m -> Tuple.of(m.userId, m.type, m.actor, m.actors, m.postId,
        m.candidate.commentId(), m.candidate.targetType(), m.candidate.targetId(), m.excerpt)).toList();
    return Rows.insertAll(tx, NotificationSql.INSERT, NotificationSql.ROW, rows)
        .compose(inserted -> {
          List<Long> ids = Rows.insertedIds(inserted); // checked in events() against the rows read back
          for (int k = 0; k < ids.size(); k++) {
            fresh.get(k).id = ids.get(k);
          }
          return join(made.stream().filter(m -> !m.fresh).toList());
        })
        .compose(v -> countUnread(made))
        .compose(unread -> Rows.byId(tx, NotificationSql.BY_IDS, made.stream().map(m -> m.id), "")
            .compose(byId -> Outbox.recordAll(tx, events(made, byId, unread))));
  }

  /** Each joined group takes the batch's last liker as its actor and counts the batch's likers. */
  private Future<Void> join(List<Made> joined) {
    if (joined.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Made> padded = Rows.padded(joined.stream().sorted(Comparator.comparingLong(m -> m.id)).toList());
    List<Object> params = new ArrayList<>();
    padded.forEach(m -> params.addAll(List.of(m.id, m.actor)));
    padded.forEach(m -> params.addAll(List.of(m.id, m.actors)));
    padded.forEach(m -> params.add(m.id));
    String cases = " WHEN ? THEN ?".repeat(padded.size());
    return tx.preparedQuery(NotificationSql.JOIN_ACTOR + cases + NotificationSql.JOIN_COUNT + cases
            + NotificationSql.JOIN_REST + Rows.in(padded.size()))
        .execute(Tuple.from(params)).mapEmpty();
  }

  /**
   * Adds each owner's new notifications to their unread count, in user order (an owner whose groups
   * were only joined adds none, and so has their row locked too), and reads the counts after it.
   */
  private Future<Map<Long, Long>> countUnread(List<Made> made) {
    Map<Long, Integer> added = new TreeMap<>();
    made.forEach(m -> added.merge(m.userId, m.fresh ? 1 : 0, Integer::sum));
    List<Object> params = new ArrayList<>();
    added.forEach((user, n) -> params.addAll(List.of(user, n)));
    List<Long> users = Rows.padded(new ArrayList<>(added.keySet()));
    return tx.preparedQuery(NotificationSql.UNREAD_ADD_ALL
            + String.join(", ", Collections.nCopies(added.size(), NotificationSql.UNREAD_ROW)) + NotificationSql.UNREAD_ADD_END)
        .execute(Tuple.from(params))
        // A locking read: the rows are ours now, and a plain one might read an older count than the one added to.
        .compose(r -> tx.preparedQuery(NotificationSql.UNREAD_OF + Rows.in(users.size()) + " FOR UPDATE")
            .execute(Tuple.from(users)))
        .map(rows -> {
          Map<Long, Long> after = new HashMap<>();
          rows.forEach(r -> after.put(r.getLong("user_id"), r.getLong("unread")));
          return after;
        });
  }

  /**
   * {@code notification.created} per notification, in the order of the batch's last tell of each, with
   * the owner's count at that point: counts rise along each owner's events.
   */
  private static List<DomainEvent> events(List<Made> made, Map<Long, Row> byId, Map<Long, Long> unread) {
    Map<Long, Integer> newPerUser = new HashMap<>();
    made.forEach(m -> newPerUser.merge(m.userId, m.fresh ? 1 : 0, Integer::sum));
    List<DomainEvent> events = new ArrayList<>(made.size());
    for (Made m : made.stream().sorted(Comparator.comparingInt(m -> m.lastTouch)).toList()) {
      Row row = byId.get(m.id);
      if (row == null || row.getLong("user_id") != m.userId || !row.getString("type").equals(m.type)
          || row.getLong("post_id") != m.postId) {
        throw new IllegalStateException("notification " + m.id + " is not the one written with that id");
      }
      long count = unread.get(m.userId) - newPerUser.get(m.userId) + m.ownersNewByThen;
      events.add(DomainEvent.of(new NotificationEvents.Created(m.userId, count, NotificationInbox.json(row)),
          m.requestId));
    }
    return events;
  }

  private static long inserted(List<RowSet<Row>> results) {
    return results.stream().mapToLong(RowSet::rowCount).sum();
  }
}
