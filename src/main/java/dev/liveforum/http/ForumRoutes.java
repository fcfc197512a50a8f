package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/boards and /api/posts: the edge of the board and post aggregates. */
final class ForumRoutes {
  private final Edge edge;

  ForumRoutes(Edge edge) {
    this.edge = edge;
  }

  void listBoards(RoutingContext rc) {
    ask(rc, Address.BOARD_LIST, new JsonObject(), 200);
  }

  void getBoard(RoutingContext rc) {
    ask(rc, Address.BOARD_GET, new JsonObject().put(Field.ID, Edge.id(rc)), 200);
  }

  void createBoard(RoutingContext rc) {
    created(rc, Address.BOARD_CREATE, Edge.body(rc), "/api/boards/");
  }

  void updateBoard(RoutingContext rc) {
    ask(rc, Address.BOARD_UPDATE, Edge.body(rc).put(Field.ID, Edge.id(rc)), 200);
  }

  void deleteBoard(RoutingContext rc) {
    ask(rc, Address.BOARD_DELETE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
  }

  void listPosts(RoutingContext rc) {
    JsonObject query = new JsonObject()
        .put(Field.BOARD_ID, Edge.param(rc, Field.BOARD_ID))
        .put(Field.SORT, Edge.param(rc, Field.SORT))
        .put(Field.PERIOD, Edge.param(rc, Field.PERIOD))
        .put(Field.CURSOR, Edge.param(rc, Field.CURSOR))
        .put(Field.LIMIT, Edge.param(rc, Field.LIMIT));
    query.getMap().values().removeIf(v -> v == null);
    ask(rc, Address.POST_LIST, query, 200);
  }

  void getPost(RoutingContext rc) {
    ask(rc, Address.POST_GET, new JsonObject().put(Field.ID, Edge.id(rc)), 200);
  }

  void createPost(RoutingContext rc) {
    created(rc, Address.POST_CREATE, Edge.body(rc), "/api/posts/");
  }

  void updatePost(RoutingContext rc) {
    ask(rc, Address.POST_UPDATE, Edge.body(rc).put(Field.ID, Edge.id(rc)), 200);
  }

  void deletePost(RoutingContext rc) {
    ask(rc, Address.POST_DELETE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
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

  private void created(RoutingContext rc, String address, JsonObject command, String location) {
    edge.withActor(rc, command)
        .compose(c -> edge.ask(rc, address, c))
        .onSuccess(reply -> {
          rc.response().putHeader("Location", location + reply.getLong(Field.ID));
          Edge.json(rc, 201, reply);
        });
  }
}
