package dev.liveforum.persistence;

import dev.liveforum.bus.Cursors;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.bus.GroupCommit;
import dev.liveforum.bus.NotificationRules;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Threaded comments: anyone reads a thread, signed-in users comment and reply (down to a depth limit), authors
 * and admins edit and delete. A delete is soft: the row keeps its place so that replies below it keep
 * theirs, and the thread shows it as a placeholder while any reply below it is still there.
 */
final class CommentService {
  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 50;
  static final int MAX_CONTENT = 10_000;
  /** How much of the content an event carries (code points). */
  static final int EXCERPT = 300;
  private static final String CURSOR_KIND = "comments";
  private static final String REPLIES_CURSOR_KIND = "replies";
  static final String MORE_REPLIES = "moreReplies";
  static final String REPLIES_CURSOR = "repliesCursor";
  static final String REPLY_TO = "replyTo";

  private final Pool pool;
  private final Cursors cursors;
  private final Markdown markdown;
  private final Runnable afterCommit;
  private final int repliesPerRoot;
  private final int maxDepth;
  private final int mentionsPerText;
  private final GroupCommit<NewComment, JsonObject> creates = new GroupCommit<>(this::createAll);

  /**
   * {@code repliesPerRoot}: replies a thread page shows under each root; {@code maxDepth}: the deepest
   * level a reply takes (a root is level 0); {@code mentionsPerText}: distinct @names a comment may hold.
   */
  CommentService(Pool pool, Cursors cursors, Markdown markdown, Runnable afterCommit, int repliesPerRoot,
                 int maxDepth, int mentionsPerText) {
    this.pool = pool;
    this.cursors = cursors;
    this.markdown = markdown;
    this.afterCommit = afterCommit;
    this.repliesPerRoot = repliesPerRoot;
    this.maxDepth = maxDepth;
    this.mentionsPerText = mentionsPerText;
  }

  /**
   * A page of a post's thread: up to {@code limit} root comments, oldest first, each followed by its
   * oldest {@code repliesPerRoot} replies, depth-first (a reply right after its parent, siblings oldest
   * first). A root also says how many live replies it has beyond those ({@code moreReplies}) and where
   * {@link #replies} goes on ({@code repliesCursor}). The oldest replies of a root always include the
   * parent of each (a parent is older than its replies), so the page's tree never has a hole. Pages are
   * keyed on the last root's id, so comments added meanwhile never repeat or shift a page.
   */
  Future<JsonObject> list(JsonObject body) {
    Actor actor = Actor.of(body);
    long postId = body.getLong(Field.POST_ID);
    int limit = Math.max(1, Math.min(MAX_PAGE, body.getInteger(Field.LIMIT, DEFAULT_PAGE)));
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    long after = 0;
    if (at != null) {
      if (!CURSOR_KIND.equals(at.getString("kind")) || !Objects.equals(postId, at.getLong("post"))) {
        throw Failure.badRequest("cursor belongs to another list: use it only with the comments of the post it came from");
      }
      after = at.getLong("after");
    }
    long reader = readerId(actor);
    return pool.preparedQuery(CommentSql.ROOTS + " LIMIT " + (limit + 1))
        .execute(Tuple.of(reader, postId, after))
        .compose(rows -> {
          List<Row> roots = new ArrayList<>(limit);
          for (Row row : rows) {
            if (roots.size() == limit) {
              break;
            }
            roots.add(row);
          }
          if (roots.isEmpty()) {
            // An empty page: the post may not exist at all (only now worth a query).
            return pool.preparedQuery(CommentSql.POST_EXISTS).execute(Tuple.of(postId))
                .compose(found -> Rows.one(found, "post " + postId))
                .map(found -> page(new JsonArray(), null));
          }
          String next = rows.size() > limit ? cursors.encode(new JsonObject().put("kind", CURSOR_KIND)
              .put("post", postId).put("after", roots.get(roots.size() - 1).getLong("id"))) : null;
          return windows(reader, postId, roots, 0, repliesPerRoot).map(windows -> {
            List<Row> rowsShown = new ArrayList<>(roots);
            Set<Long> kept = new HashSet<>();
            Map<Long, JsonObject> more = new HashMap<>();
            for (Window w : windows) {
              rowsShown.addAll(w.replies());
              kept.add(w.root().getLong("id")); // ROOTS has kept only the roots worth showing
              kept.addAll(w.answered());
              more.put(w.root().getLong("id"), new JsonObject().put(MORE_REPLIES, w.more())
                  .put(REPLIES_CURSOR, w.cursor(cursors)));
            }
            JsonArray items = thread(rowsShown, kept);
            items.forEach(item -> {
              JsonObject comment = (JsonObject) item;
              if (comment.getValue(Field.PARENT_ID) == null) {
                comment.mergeIn(more.get(comment.getLong(Field.ID)));
              }
            });
            return page(items, next);
          });
        })
        .recover(Database::classify);
  }

  /**
   * A page of a root comment's replies after {@code cursor} (its {@code repliesCursor} on the thread
   * page, or a previous page's {@code nextCursor}; none: from the first reply), oldest first as the
   * thread page orders them: depth-first, where a reply whose parent is on an earlier page starts a new
   * branch. With the root itself, {@code moreReplies} (live replies after this page) and {@code nextCursor}.
   */
  Future<JsonObject> replies(JsonObject body) {
    Actor actor = Actor.of(body);
    long id = body.getLong(Field.ID);
    int limit = Math.max(1, Math.min(MAX_PAGE, body.getInteger(Field.LIMIT, DEFAULT_PAGE)));
    JsonObject at = cursors.decode(body.getString(Field.CURSOR));
    if (at != null && (!REPLIES_CURSOR_KIND.equals(at.getString("kind")) || !Objects.equals(id, at.getLong("root")))) {
      throw Failure.badRequest("cursor belongs to another list: use it only with the replies of the comment it came from");
    }
    long after = at == null ? 0 : at.getLong("after");
    long reader = readerId(actor);
    return pool.preparedQuery(CommentSql.BY_ID).execute(Tuple.of(reader, id))
        .compose(rows -> Rows.one(rows, "comment " + id))
        .compose(root -> {
          if (root.getLong("parent_id") != null) {
            throw Failure.badRequest("comment " + id + " is a reply: replies are read by their root comment, "
                + "/api/comments/" + root.getLong("root_id") + "/replies");
          }
          return windows(reader, root.getLong("post_id"), List.of(root), after, limit).map(windows -> {
            Window w = windows.get(0);
            return page(thread(w.replies(), w.answered()), w.cursor(cursors))
                .put("root", json(root))
                .put(MORE_REPLIES, w.more());
          });
        })
        .recover(Database::classify);
  }

  /**
   * Each root's oldest {@code size} replies after reply {@code after}: one statement for all roots
   * (each part stops at its limit), then, for the roots that filled theirs, one count of the live
   * replies beyond, and for deleted replies whose live replies may lie beyond, whether they have any.
   */
  private Future<List<Window>> windows(long reader, long postId, List<Row> roots, long after, int size) {
    Future<Map<Long, List<Row>>> read;
    if (size == 0) {
      read = Future.succeededFuture(Map.of());
    } else {
      List<Row> padded = Rows.padded(roots); // a repeated root reads the same rows again: dropped below
      Tuple params = Tuple.tuple();
      padded.forEach(root -> params.addLong(reader).addLong(root.getLong("id")).addLong(after));
      read = pool.preparedQuery(String.join(" UNION ALL ", Collections.nCopies(padded.size(),
              CommentSql.replyWindow(size)))).execute(params)
          .map(rows -> {
            Map<Long, Row> byId = new TreeMap<>();
            rows.forEach(row -> byId.put(row.getLong("id"), row));
            Map<Long, List<Row>> byRoot = new HashMap<>();
            byId.values().forEach(row -> byRoot.computeIfAbsent(row.getLong("root_id"), k -> new ArrayList<>()).add(row));
            return byRoot;
          });
    }
    return read.compose(byRoot -> {
      List<Window> windows = roots.stream()
          .map(root -> new Window(root, byRoot.getOrDefault(root.getLong("id"), List.of()), after))
          .toList();
      List<Window> full = windows.stream().filter(w -> w.replies().size() == size).toList();
      if (full.isEmpty()) {
        return Future.succeededFuture(windows);
      }
      List<Window> counted = Rows.padded(full);
      Tuple params = Tuple.tuple();
      counted.forEach(w -> params.addLong(w.root().getLong("id")).addLong(w.last()));
      return pool.preparedQuery(CommentSql.LIVE_AFTER + String.join(" OR ",
              Collections.nCopies(counted.size(), CommentSql.LIVE_AFTER_RANGE)) + CommentSql.LIVE_AFTER_END)
          .execute(params)
          .compose(counts -> {
            counts.forEach(row -> windows.stream().filter(w -> w.root().getLong("id").equals(row.getLong("root_id")))
                .forEach(w -> w.more = row.getLong("n")));
            return answered(postId, windows);
          });
    });
  }

  /**
   * Deleted replies of windows with live replies beyond them: the ones with a live reply somewhere
   * below stay as placeholders. (Without live replies beyond, the window alone tells: a reply's replies
   * are newer than it.) Rare, so one walk down from just those.
   */
  private Future<List<Window>> answered(long postId, List<Window> windows) {
    List<Long> deleted = new ArrayList<>();
    windows.stream().filter(w -> w.more > 0).forEach(w -> w.replies().stream()
        .filter(r -> r.getLocalDateTime("deleted_at") != null).forEach(r -> deleted.add(r.getLong("id"))));
    if (deleted.isEmpty()) {
      return Future.succeededFuture(windows);
    }
    List<Long> ids = Rows.padded(deleted);
    Tuple params = Tuple.tuple();
    ids.forEach(params::addLong);
    params.addLong(postId);
    return pool.preparedQuery(CommentSql.ANSWERED_START + Rows.in(ids.size()) + CommentSql.ANSWERED_REST)
        .execute(params)
        .map(rows -> {
          Set<Long> answered = new HashSet<>();
          rows.forEach(row -> answered.add(row.getLong("top")));
          windows.forEach(w -> w.replies().stream().map(r -> r.getLong("id")).filter(answered::contains)
              .forEach(w.answered()::add));
          return windows;
        });
  }

  /**
   * A root's replies on one page: the oldest {@code size} after reply {@code after}; {@code more} live
   * ones beyond them (0 until counted, which is only needed when the page is full); {@code answered}:
   * deleted ones among them with a live reply beyond the page.
   */
  private static final class Window {
    private final Row root;
    private final List<Row> replies;
    private final long after;
    private final Set<Long> answered = new HashSet<>();
    private long more;

    Window(Row root, List<Row> replies, long after) {
      this.root = root;
      this.replies = replies;
      this.after = after;
    }

    Row root() {
      return root;
    }

    List<Row> replies() {
      return replies;
    }

    Set<Long> answered() {
      return answered;
    }

    long more() {
      return more;
    }

    /** The last reply read, or where reading started. */
    long last() {
      return replies.isEmpty() ? after : replies.get(replies.size() - 1).getLong("id");
    }

    /** Where the next page of replies starts; null when there is nothing more to read. */
    String cursor(Cursors cursors) {
      return more == 0 ? null : cursors.encode(new JsonObject().put("kind", REPLIES_CURSOR_KIND)
          .put("root", root.getLong("id")).put("after", last()));
    }
  }

  /**
   * Creates a comment. Comments that arrive while another batch of them is being written go together
   * into the next transaction ({@link GroupCommit}); each still gets its own answer, its own 404 or 400.
   */
  Future<JsonObject> create(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    String content = checkContent(body.getString(Field.CONTENT));
    return creates.submit(new NewComment(body.getLong(Field.POST_ID), actor.id(), body.getLong(Field.PARENT_ID),
        content, markdown.toSafeHtml(content), IdempotencyKeys.Key.of(body), body));
  }

  /** A comment asked for by {@code command}. */
  private record NewComment(long postId, long authorId, Long parentId, String content, String html,
                            IdempotencyKeys.Key key, JsonObject command) {}

  /** A comment of a batch that passed its checks: where its answer goes, and its parent (null for a root). */
  private record Valid(int index, NewComment comment, Parent parent) {}

  /**
   * One transaction for a batch of new comments: parents are read first (unlocked, as a comment row never
   * goes away while its post exists), then the posts are locked in one statement, in id order, so two
   * batches never deadlock; each comment is checked, the valid ones inserted together, and each post's
   * counter and hot rank move once by the number of its new comments. A comment's event carries the
   * post's count right after it, in the order the comments were inserted.
   */
  private Future<List<Future<JsonObject>>> createAll(List<NewComment> all) {
    return Transactions.run(pool, tx -> IdempotencyKeys.batch(tx, all, NewComment::key, batch ->
            Rows.byId(tx, CommentSql.PARENTS, batch.stream().map(NewComment::parentId), "")
                .compose(parents -> Rows.byId(tx, CommentSql.POSTS, batch.stream().map(NewComment::postId),
                        Rows.LOCK_IN_ORDER)
                    .compose(posts -> insert(tx, batch, posts, parents)))))
        .onSuccess(outcomes -> {
          if (outcomes.stream().anyMatch(Future::succeeded)) {
            afterCommit.run();
          }
        })
        .recover(Database::classify);
  }

  /** Checks each comment of the batch against its post and parent, then writes the valid ones. */
  private Future<List<Future<JsonObject>>> insert(SqlClient tx, List<NewComment> batch, Map<Long, Row> posts,
                                                  Map<Long, Row> parents) {
    List<Future<JsonObject>> outcomes = new ArrayList<>(batch.size());
    List<Valid> valid = new ArrayList<>();
    for (NewComment c : batch) {
      try {
        if (!posts.containsKey(c.postId())) {
          throw Failure.notFound("post " + c.postId() + " does not exist");
        }
        valid.add(new Valid(outcomes.size(), c, parent(c.postId(), c.parentId(), parents.get(c.parentId()), maxDepth)));
        outcomes.add(null);
      } catch (ReplyException e) {
        outcomes.add(Future.failedFuture(e));
      }
    }
    if (valid.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    List<Tuple> rows = valid.stream().map(v -> v.parent() == null
        ? Tuple.of(v.comment().postId(), v.comment().authorId(), null, null, null, 0, v.comment().content(),
            v.comment().html())
        : Tuple.of(v.comment().postId(), v.comment().authorId(), v.parent().placeId(), v.parent().rootId(),
            v.parent().replyToId(), v.parent().depth(), v.comment().content(), v.comment().html())).toList();
    Map<Long, Valid> byId = new HashMap<>();
    return Rows.insertAll(tx, CommentSql.INSERT, CommentSql.ROW, rows)
        .compose(inserted -> {
          List<Long> insertedIds = Rows.insertedIds(inserted); // checked below against the rows read back
          for (int k = 0; k < insertedIds.size(); k++) {
            byId.put(insertedIds.get(k), valid.get(k));
          }
          List<Long> ids = Rows.padded(new ArrayList<>(byId.keySet()));
          List<Object> params = new ArrayList<>(ids.size() + 1);
          params.add(0L); // the reader: nobody can have liked a comment that is not committed yet
          params.addAll(ids);
          return tx.preparedQuery(CommentSql.CREATED + Rows.in(ids.size()) + " ORDER BY c.id")
              .execute(Tuple.from(params));
        })
        .compose(created -> {
          Map<Long, Long> counts = new HashMap<>();
          posts.forEach((id, post) -> counts.put(id, post.getLong("comment_count")));
          List<DomainEvent> events = new ArrayList<>(rows.size());
          if (created.size() != byId.size()) {
            throw new IllegalStateException("inserted " + byId.size() + " comments, read back " + created.size());
          }
          for (Row row : created) { // in the order of their ids, which is the order they were inserted in
            Valid v = byId.get(row.getLong("id"));
            if (v.comment().authorId() != row.getLong("author_id") || v.comment().postId() != row.getLong("post_id")) {
              throw new IllegalStateException("comment " + row.getLong("id") + " is not the one inserted with that id");
            }
            JsonObject comment = json(row);
            events.add(Outbox.event(v.comment().command(), new CommentEvents.Created(row.getLong("id"),
                row.getLong("post_id"), row.getLong("parent_id"), row.getLong("author_id"),
                row.getLong("post_author_id"), comment.getJsonObject(REPLY_TO), row.getLong("root_id"),
                row.getInteger("depth"), v.parent() == null ? null : v.parent().authorId(), row.getString("author_name"),
                excerpt(v.comment().content()), v.comment().content(), v.comment().html(),
                comment.getString(Field.CREATED_AT), counts.merge(row.getLong("post_id"), 1L, Long::sum))));
            outcomes.set(v.index(), Future.succeededFuture(comment));
          }
          Map<Long, Long> added = new HashMap<>();
          counts.forEach((postId, count) -> {
            if (count > posts.get(postId).getLong("comment_count")) {
              added.put(postId, count - posts.get(postId).getLong("comment_count"));
            }
          });
          return Rows.updateById(tx, CommentSql.POST_COUNT_ADD, CommentSql.POST_COUNT_ADD_REST, added)
              .compose(r -> Outbox.recordAll(tx, events));
        })
        .map(outcomes);
  }

  Future<JsonObject> update(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long id = body.getLong(Field.ID);
    String content = checkContent(body.getString(Field.CONTENT));
    String html = markdown.toSafeHtml(content);
    return IdempotencyKeys.run(pool, body, tx -> lockForChange(tx, id, actor, "edit this comment")
            .compose(locked -> tx.preparedQuery(CommentSql.UPDATE).execute(Tuple.of(content, html, id)))
            .compose(r -> tx.preparedQuery(CommentSql.BY_ID).execute(Tuple.of(readerId(actor), id)))
            .map(Rows::first)
            .compose(row -> {
              JsonObject comment = json(row);
              return Outbox.record(tx, body, new CommentEvents.Updated(row.getLong("id"), row.getLong("post_id"),
                  row.getLong("parent_id"), row.getLong("author_id"), row.getLong("post_author_id"), actor.id(),
                  excerpt(content), content, html, comment.getString("editedAt"))).map(comment);
            }))
        .onSuccess(ok -> afterCommit.run())
        .recover(Database::classify);
  }

  /** Soft-deletes a comment: its text goes, its place in the thread stays; the post counts one less. */
  Future<JsonObject> delete(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long id = body.getLong(Field.ID);
    return IdempotencyKeys.run(pool, body, tx -> lockForChange(tx, id, actor, "delete this comment")
            .compose(locked -> tx.preparedQuery(CommentSql.DELETE).execute(Tuple.of(id))
                .compose(r -> tx.preparedQuery(CommentSql.POST_COUNT_DOWN).execute(Tuple.of(locked.getLong("post_id"))))
                .compose(r -> tx.preparedQuery(CommentSql.BY_ID).execute(Tuple.of(readerId(actor), id)))
                .map(Rows::first)
                .compose(row -> Outbox.record(tx, body, new CommentEvents.Deleted(row.getLong("id"),
                    row.getLong("post_id"), row.getLong("parent_id"), row.getLong("root_id"), row.getLong("author_id"),
                    row.getLong("post_author_id"), actor.id(), row.getLong("post_comment_count")))
                    .map(v -> new JsonObject().put(Field.POST_ID, row.getLong("post_id"))))))
        .onSuccess(ok -> afterCommit.run())
        .recover(Database::classify);
  }

  /** Locks a comment that is about to change; 404 when it is missing or deleted, 403 for others. */
  private static Future<Row> lockForChange(SqlClient tx, long id, Actor actor, String what) {
    return tx.preparedQuery(CommentSql.LOCK).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "comment " + id))
        .map(row -> {
          if (row.getLocalDateTime("deleted_at") != null) {
            throw Failure.notFound("comment " + id + " was deleted");
          }
          actor.requireAuthorOrAdmin(row.getLong("author_id"), what);
          return row;
        });
  }

  /**
   * Where a reply goes: the comment it answers ({@code row}, null when there is no such comment) must be
   * a live comment of the same post. A reply to a comment at {@code maxDepth} (or deeper, from before
   * there was a limit) goes beside it, under the same parent at the same level, and names it as the
   * comment it answers: a long exchange goes on as one readable column instead of a staircase off the
   * screen. Null for a root comment.
   */
  private static Parent parent(long postId, Long parentId, Row row, int maxDepth) {
    if (parentId == null) {
      return null;
    }
    if (row == null) {
      throw Failure.notFound("parent comment " + parentId + " does not exist");
    }
    if (row.getLong("post_id") != postId) {
      throw Failure.badRequest("parentId " + parentId + " is a comment of another post, not of post " + postId);
    }
    if (row.getLocalDateTime("deleted_at") != null) {
      throw Failure.notFound("parent comment " + parentId + " was deleted; reply to another comment");
    }
    Long root = row.getLong("root_id");
    int depth = row.getInteger("depth");
    long author = row.getLong("author_id");
    if (depth >= maxDepth && row.getLong("parent_id") != null) {
      return new Parent(row.getLong("parent_id"), root, parentId, depth, author);
    }
    return new Parent(parentId, root == null ? parentId : root, null, depth + 1, author);
  }

  /**
   * Where a new reply stands: under {@code placeId} in root {@code rootId}'s thread at {@code depth};
   * {@code replyToId}, when not null, is the comment it answers (beside it); {@code authorId} is who it
   * answers either way (the one told of the reply).
   */
  private record Parent(long placeId, long rootId, Long replyToId, int depth, long authorId) {}

  /**
   * Orders comments depth-first: each after its parent, siblings oldest first; one whose parent is not
   * among them (a root, or a reply whose parent was on an earlier page) starts a branch, oldest first.
   * A deleted comment is kept (as a placeholder) when it is in {@code kept} or some reply below it here
   * is kept; otherwise it is left out. Iterative: a thread may be deep.
   */
  static JsonArray thread(List<Row> comments, Set<Long> kept) {
    List<Row> byAge = new ArrayList<>(comments);
    byAge.sort(Comparator.comparing(row -> row.getLong("id")));
    Map<Long, List<Row>> children = new HashMap<>();
    Set<Long> here = new HashSet<>();
    byAge.forEach(row -> here.add(row.getLong("id")));
    List<Row> starts = new ArrayList<>();
    for (Row row : byAge) {
      Long parent = row.getLong("parent_id");
      if (parent != null && here.contains(parent)) {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(row);
      } else {
        starts.add(row);
      }
    }
    List<Row> order = new ArrayList<>(byAge.size());
    Deque<Row> stack = new ArrayDeque<>();
    for (Row start : starts) {
      stack.push(start);
      while (!stack.isEmpty()) {
        Row node = stack.pop();
        order.add(node);
        List<Row> below = children.get(node.getLong("id"));
        if (below != null) {
          for (int i = below.size() - 1; i >= 0; i--) {
            stack.push(below.get(i));
          }
        }
      }
    }
    // In reverse depth-first order every reply comes before its parent.
    Set<Long> visible = new HashSet<>();
    Set<Long> hasVisibleReply = new HashSet<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      Row node = order.get(i);
      long id = node.getLong("id");
      if (node.getLocalDateTime("deleted_at") == null || kept.contains(id) || hasVisibleReply.contains(id)) {
        visible.add(id);
        Long parent = node.getLong("parent_id");
        if (parent != null) {
          hasVisibleReply.add(parent);
        }
      }
    }
    JsonArray items = new JsonArray();
    for (Row node : order) {
      if (visible.contains(node.getLong("id"))) {
        items.add(json(node));
      }
    }
    return items;
  }

  static JsonObject json(Row row) {
    boolean deleted = row.getLocalDateTime("deleted_at") != null;
    return new JsonObject()
        .put(Field.ID, row.getLong("id"))
        .put(Field.POST_ID, row.getLong("post_id"))
        .put(Field.PARENT_ID, row.getLong("parent_id"))
        .put("depth", row.getInteger("depth"))
        .put("author", deleted ? null : new JsonObject().put(Field.ID, row.getLong("author_id"))
            .put(Field.USERNAME, row.getString("author_name")))
        .put(Field.CONTENT, deleted ? "" : row.getString("content"))
        .put("contentHtml", deleted ? "" : row.getString("content_html"))
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")))
        .put("updatedAt", Database.iso(row.getLocalDateTime("updated_at")))
        .put("editedAt", Database.iso(row.getLocalDateTime("edited_at")))
        .put(Field.LIKE_COUNT, row.getLong("like_count"))
        .put("likedByMe", row.getBoolean("liked"))
        .put("deleted", deleted)
        .put(REPLY_TO, replyTo(row));
  }

  /** The comment a reply past {@code comments.maxDepth} answers (not its parent), with its author unless deleted. */
  private static JsonObject replyTo(Row row) {
    Long id = row.getLong("reply_to_id");
    if (id == null) {
      return null;
    }
    boolean gone = row.getLocalDateTime("reply_to_deleted_at") != null || row.getLong("reply_to_author_id") == null;
    return new JsonObject().put(Field.ID, id).put("author", gone ? null : new JsonObject()
        .put(Field.ID, row.getLong("reply_to_author_id")).put(Field.USERNAME, row.getString("reply_to_author_name")));
  }

  /** The ids every comment event carries. */
  private static JsonObject page(JsonArray items, String next) {
    return new JsonObject().put(Field.ITEMS, items).put(Field.NEXT_CURSOR, next);
  }

  private static long readerId(Actor actor) {
    return actor.id() == null ? 0L : actor.id();
  }

  static String excerpt(String content) {
    int points = content.codePointCount(0, content.length());
    return points <= EXCERPT ? content : content.substring(0, content.offsetByCodePoints(0, EXCERPT));
  }

  private String checkContent(String content) {
    String text = Texts.multiline("content", content, MAX_CONTENT);
    NotificationRules.requireMentionsAtMost("comment", text, mentionsPerText);
    return text;
  }
}
