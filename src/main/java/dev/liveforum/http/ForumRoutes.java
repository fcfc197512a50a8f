package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/boards and /api/posts: the edge of the board and post aggregates. */
final class ForumRoutes {
  private final Edge edge;
  private final ViewCounts views;

  ForumRoutes(Edge edge, ViewCounts views) {
    this.edge = edge;
    this.views = views;
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
    edge.withActor(rc, Edge.params(rc, Field.BOARD_ID, Field.SORT, Field.PERIOD, Field.CURSOR, Field.LIMIT))
        .compose(command -> edge.ask(rc, Address.POST_LIST, command))
        .compose(page -> views.addPending(rc, page))
        .onSuccess(page -> Edge.json(rc, 200, page));
  }

  /** Reading a post counts a view (in Redis: it never writes the database or invalidates a cache). */
  void getPost(RoutingContext rc) {
    edge.withActor(rc, new JsonObject().put(Field.ID, Edge.id(rc)))
        .compose(command -> edge.ask(rc, Address.POST_GET, command)
            .compose(post -> views.recordRead(rc, command, post)))
        .onSuccess(post -> Edge.json(rc, 200, post));
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
