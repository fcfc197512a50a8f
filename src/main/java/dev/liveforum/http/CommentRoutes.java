package dev.liveforum.http;

import dev.liveforum.auth.RateLimits.Count;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/posts/{id}/comments, /api/comments/{id} and the like endpoints: the edge of comments and likes. */
final class CommentRoutes {
  private final Edge edge;
  private final CachedReads cache;

  CommentRoutes(Edge edge, CachedReads cache) {
    this.edge = edge;
    this.cache = cache;
  }

  void listComments(RoutingContext rc) {
    JsonObject query = new JsonObject()
        .put(Field.POST_ID, Edge.id(rc))
        .put(Field.CURSOR, Edge.param(rc, Field.CURSOR))
        .put(Field.LIMIT, Edge.param(rc, Field.LIMIT));
    query.getMap().values().removeIf(v -> v == null);
    edge.relay(rc, Address.COMMENT_LIST, query, 200);
  }

  /** The rest of a root comment's replies, a page at a time, after those its thread page showed. */
  void listReplies(RoutingContext rc) {
    edge.relay(rc, Address.COMMENT_REPLIES, Edge.params(rc, Field.CURSOR, Field.LIMIT).put(Field.ID, Edge.id(rc)), 200);
  }

  /** A new or deleted comment changes its post's comment count: the cached post goes. */
  void createComment(RoutingContext rc) {
    long postId = Edge.id(rc);
    changePost(rc, Address.COMMENT_CREATE, Edge.body(rc).put(Field.POST_ID, postId), 201,
        Count.of(edge.limits().comment()));
  }

  /** An edited comment changes its post's page (kept rendered on every node): that goes before the answer. */
  void updateComment(RoutingContext rc) {
    changePost(rc, Address.COMMENT_UPDATE, Edge.body(rc).put(Field.ID, Edge.id(rc)), 200,
        Count.of(edge.limits().edit()));
  }

  void deleteComment(RoutingContext rc) {
    changePost(rc, Address.COMMENT_DELETE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
  }

  void likePost(RoutingContext rc) {
    like(rc, Address.LIKE_ADD, "post");
  }

  /** Whether the caller likes the post, with its like count: what a page needs to show its like button. */
  void postLikeState(RoutingContext rc) {
    edge.withActor(rc, new JsonObject().put(Field.ID, Edge.id(rc)))
        .compose(c -> edge.ask(rc, Address.POST_LIKED, c))
        .onSuccess(r -> Edge.json(rc, 200, new JsonObject().put(Field.LIKED, r.getBoolean("likedByMe"))
            .put(Field.LIKE_COUNT, r.getLong(Field.LIKE_COUNT))));
  }

  void unlikePost(RoutingContext rc) {
    like(rc, Address.LIKE_REMOVE, "post");
  }

  void likeComment(RoutingContext rc) {
    like(rc, Address.LIKE_ADD, "comment");
  }

  void unlikeComment(RoutingContext rc) {
    like(rc, Address.LIKE_REMOVE, "comment");
  }

  /**
   * A post's like count is part of the cached post; a comment's is not. Every like or unlike counts, overall
   * and on its target: toggling one like again and again cannot fill its post's catch-up backlog.
   */
  private void like(RoutingContext rc, String address, String targetType) {
    JsonObject command = new JsonObject().put(Field.TARGET_TYPE, targetType).put(Field.TARGET_ID, Edge.id(rc));
    Count[] counts = {Count.of(edge.limits().like()), new Count(edge.limits().likeTarget(), targetType + ":" + Edge.id(rc))};
    if (targetType.equals("post")) {
      changePost(rc, address, command.put(Field.POST_ID, Edge.id(rc)), 200, counts);
    } else {
      edge.limitedWrite(rc, command, counts)
          .compose(c -> edge.ask(rc, address, c))
          .onSuccess(reply -> Edge.answer(rc, 200, reply));
    }
  }

  /** Relays a write whose reply names the post it changed, and drops that post from the caches first. */
  private void changePost(RoutingContext rc, String address, JsonObject command, int status, Count... counts) {
    edge.limitedWrite(rc, command, counts)
        .compose(c -> edge.ask(rc, address, c))
        .compose(reply -> cache.invalidate(rc, reply.getLong(Field.POST_ID, command.getLong(Field.POST_ID))).map(reply))
        .onSuccess(reply -> Edge.answer(rc, status, reply));
  }
}
