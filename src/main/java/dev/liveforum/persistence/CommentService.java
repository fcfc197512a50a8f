package dev.liveforum.persistence;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.bus.GroupCommit;
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
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Threaded comments: anyone reads a thread, signed-in users comment and reply at any depth, authors
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

  private final Pool pool;
  private final Cursors cursors;
  private final Markdown markdown;
  private final Runnable afterCommit;
  private final int mentionsPerText;
  private final GroupCommit<NewComment, JsonObject> creates = new GroupCommit<>(this::createAll);

  CommentService(Pool pool, Cursors cursors, Markdown markdown, Runnable afterCommit, int mentionsPerText) {
    this.pool = pool;
    this.cursors = cursors;
    this.markdown = markdown;
    this.afterCommit = afterCommit;
    this.mentionsPerText = mentionsPerText;
  }

  /**
   * A page of a post's thread: up to {@code limit} root comments, oldest first, each followed by every
   * reply below it, depth-first (a reply right after its parent, siblings oldest first). Two indexed
   * queries: the roots, then all replies of those roots by {@code root_id}; the tree is built here.
   * Pages are keyed on the last root's id, so comments added meanwhile never repeat or shift a page.
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
          List<Object> params = new ArrayList<>(roots.size() + 1);
          params.add(reader);
          roots.forEach(root -> params.add(root.getLong("id")));
          return pool.preparedQuery(CommentSql.REPLIES + Rows.in(roots.size()) + CommentSql.REPLIES_ORDER)
              .execute(Tuple.from(params))
              .map(replies -> {
                List<Row> all = new ArrayList<>(replies.size());
                replies.forEach(all::add);
                return page(thread(roots, all), next);
              });
        })
        .recover(Database::classify);
  }

  /**
   * Creates a comment. Comments that arrive while another batch of them is being written go together
   * into the next transaction ({@link GroupCommit}); each still gets its own answer, its own 404 or 400.
   */
  Future<JsonObject> create(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    String content = checkContent(body.getString(Field.CONTENT));
    return creates.submit(new NewComment(body.getLong(Field.POST_ID), actor.id(), body.getLong(Field.PARENT_ID),
        content, markdown.toSafeHtml(content), IdempotencyKeys.Key.of(body)));
  }

  private record NewComment(long postId, long authorId, Long parentId, String content, String html,
                            IdempotencyKeys.Key key) {}

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
  private static Future<List<Future<JsonObject>>> insert(SqlClient tx, List<NewComment> batch, Map<Long, Row> posts,
                                                         Map<Long, Row> parents) {
    List<Future<JsonObject>> outcomes = new ArrayList<>(batch.size());
    List<Valid> valid = new ArrayList<>();
    for (NewComment c : batch) {
      try {
        if (!posts.containsKey(c.postId())) {
          throw Failure.notFound("post " + c.postId() + " does not exist");
        }
        valid.add(new Valid(outcomes.size(), c, parent(c.postId(), c.parentId(), parents.get(c.parentId()))));
        outcomes.add(null);
      } catch (ReplyException e) {
        outcomes.add(Future.failedFuture(e));
      }
    }
    if (valid.isEmpty()) {
      return Future.succeededFuture(outcomes);
    }
    List<Tuple> rows = valid.stream().map(v -> Tuple.of(v.comment().postId(), v.comment().authorId(),
        v.comment().parentId(), v.parent() == null ? null : v.parent().rootId(),
        v.parent() == null ? 0 : v.parent().depth() + 1, v.comment().content(), v.comment().html())).toList();
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
          List<JsonObject> events = new ArrayList<>(rows.size());
          if (created.size() != byId.size()) {
            throw new IllegalStateException("inserted " + byId.size() + " comments, read back " + created.size());
          }
          for (Row row : created) { // in the order of their ids, which is the order they were inserted in
            Valid v = byId.get(row.getLong("id"));
            if (v.comment().authorId() != row.getLong("author_id") || v.comment().postId() != row.getLong("post_id")) {
              throw new IllegalStateException("comment " + row.getLong("id") + " is not the one inserted with that id");
            }
            JsonObject comment = json(row);
            JsonObject event = event(row)
                .put("rootId", row.getLong("root_id"))
                .put("depth", row.getInteger("depth"))
                .put("parentAuthorId", v.parent() == null ? null : v.parent().authorId())
                .put("authorName", row.getString("author_name"))
                .put("excerpt", excerpt(v.comment().content()))
                .put(Field.CONTENT, v.comment().content())
                .put("contentHtml", v.comment().html())
                .put(Field.CREATED_AT, comment.getString(Field.CREATED_AT))
                .put("commentCount", counts.merge(row.getLong("post_id"), 1L, Long::sum));
            events.add(Outbox.event(Address.COMMENT_CREATED, event));
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
              JsonObject event = event(row)
                  .put("editorId", actor.id())
                  .put("excerpt", excerpt(content))
                  .put(Field.CONTENT, content)
                  .put("contentHtml", html)
                  .put("editedAt", comment.getString("editedAt"));
              return Outbox.record(tx, Address.COMMENT_UPDATED, event).map(comment);
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
                .compose(row -> Outbox.record(tx, Address.COMMENT_DELETED, event(row)
                    .put("deletedBy", actor.id())
                    .put("commentCount", row.getLong("post_comment_count")))
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
   * Where a reply goes: its parent ({@code row}, null when there is no such comment) must be a live
   * comment of the same post. Null for a root comment.
   */
  private static Parent parent(long postId, Long parentId, Row row) {
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
    return new Parent(root == null ? parentId : root, row.getInteger("depth"), row.getLong("author_id"));
  }

  private record Parent(long rootId, int depth, long authorId) {}

  /**
   * Flattens roots and their replies depth-first. A deleted comment is kept (as a placeholder) only
   * when some reply below it is not deleted; otherwise it and its (all deleted) replies are left out.
   * Replies come ordered by id, so siblings are oldest first. Iterative: a thread may be deep.
   */
  static JsonArray thread(List<Row> roots, List<Row> replies) {
    Map<Long, List<Row>> children = new HashMap<>();
    for (Row reply : replies) {
      children.computeIfAbsent(reply.getLong("parent_id"), k -> new ArrayList<>()).add(reply);
    }
    List<Row> order = new ArrayList<>(roots.size() + replies.size());
    Deque<Row> stack = new ArrayDeque<>();
    for (Row root : roots) {
      stack.push(root);
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
      if (node.getLocalDateTime("deleted_at") == null || hasVisibleReply.contains(id)) {
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
        .put("deleted", deleted);
  }

  /** The ids every comment event carries. */
  private static JsonObject event(Row row) {
    return new JsonObject()
        .put(Field.COMMENT_ID, row.getLong("id"))
        .put(Field.POST_ID, row.getLong("post_id"))
        .put(Field.PARENT_ID, row.getLong("parent_id"))
        .put(Field.AUTHOR_ID, row.getLong("author_id"))
        .put("postAuthorId", row.getLong("post_author_id"));
  }

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
    NotificationService.requireMentionsAtMost("comment", text, mentionsPerText);
    return text;
  }
}
