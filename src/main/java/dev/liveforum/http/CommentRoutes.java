package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/posts/{id}/comments, /api/comments/{id} and the like endpoints: the edge of comments and likes. */
final class CommentRoutes {
  private final Edge edge;

  CommentRoutes(Edge edge) {
    this.edge = edge;
  }

  void listComments(RoutingContext rc) {
    JsonObject query = new JsonObject()
        .put(Field.POST_ID, Edge.id(rc))
        .put(Field.CURSOR, Edge.param(rc, Field.CURSOR))
        .put(Field.LIMIT, Edge.param(rc, Field.LIMIT));
    query.getMap().values().removeIf(v -> v == null);
    ask(rc, Address.COMMENT_LIST, query, 200);
  }

  void createComment(RoutingContext rc) {
    ask(rc, Address.COMMENT_CREATE, Edge.body(rc).put(Field.POST_ID, Edge.id(rc)), 201);
  }

  void updateComment(RoutingContext rc) {
    ask(rc, Address.COMMENT_UPDATE, Edge.body(rc).put(Field.ID, Edge.id(rc)), 200);
  }

  void deleteComment(RoutingContext rc) {
    ask(rc, Address.COMMENT_DELETE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
  }

  void likePost(RoutingContext rc) {
    like(rc, Address.LIKE_ADD, "post");
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

  private void like(RoutingContext rc, String address, String targetType) {
    ask(rc, address, new JsonObject().put(Field.TARGET_TYPE, targetType).put(Field.TARGET_ID, Edge.id(rc)), 200);
  }

  private void ask(RoutingContext rc, String address, JsonObject command, int status) {
    edge.withActor(rc, command)
        .compose(c -> edge.ask(rc, address, c))
        .onSuccess(reply -> {
          if (status == 204) {
            Edge.noContent(rc);
          } else {
            Edge.json(rc, status, reply);
          }
        });
  }
}
