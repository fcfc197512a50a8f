package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/boards and /api/posts: the edge of the board and post aggregates. */
final class ForumRoutes {
  private final Edge edge;
  private final CachedReads cache;

  ForumRoutes(Edge edge, CachedReads cache) {
    this.edge = edge;
    this.cache = cache;
  }

  void listBoards(RoutingContext rc) {
    edge.relay(rc, Address.BOARD_LIST, new JsonObject(), 200);
  }

  void getBoard(RoutingContext rc) {
    edge.relay(rc, Address.BOARD_GET, new JsonObject().put(Field.ID, Edge.id(rc)), 200);
  }

  void createBoard(RoutingContext rc) {
    created(rc, Address.BOARD_CREATE, Edge.body(rc), "/api/boards/");
  }

  void updateBoard(RoutingContext rc) {
    edge.relay(rc, Address.BOARD_UPDATE, Edge.body(rc).put(Field.ID, Edge.id(rc)), 200);
  }

  void deleteBoard(RoutingContext rc) {
    edge.relay(rc, Address.BOARD_DELETE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
  }

  void listPosts(RoutingContext rc) {
    JsonObject query = new JsonObject()
        .put(Field.BOARD_ID, Edge.param(rc, Field.BOARD_ID))
        .put(Field.SORT, Edge.param(rc, Field.SORT))
        .put(Field.PERIOD, Edge.param(rc, Field.PERIOD))
        .put(Field.CURSOR, Edge.param(rc, Field.CURSOR))
        .put(Field.LIMIT, Edge.param(rc, Field.LIMIT));
    query.getMap().values().removeIf(v -> v == null);
    edge.withActor(rc, query).compose(q -> cache.list(rc, q)).onSuccess(page -> Edge.json(rc, 200, page));
  }

  void getPost(RoutingContext rc) {
    edge.withActor(rc, new JsonObject().put(Field.ID, Edge.id(rc)))
        .compose(command -> cache.post(rc, command))
        .onSuccess(post -> Edge.json(rc, 200, post));
  }

  void createPost(RoutingContext rc) {
    edge.withActor(rc, Edge.body(rc))
        .compose(c -> edge.ask(rc, Address.POST_CREATE, c))
        .compose(post -> cache.invalidate(rc).map(post))
        .onSuccess(post -> {
          rc.response().putHeader("Location", "/api/posts/" + post.getLong(Field.ID));
          Edge.json(rc, 201, post);
        });
  }

  void updatePost(RoutingContext rc) {
    long id = Edge.id(rc);
    edge.withActor(rc, Edge.body(rc).put(Field.ID, id))
        .compose(c -> edge.ask(rc, Address.POST_UPDATE, c))
        .compose(post -> cache.invalidate(rc, id).map(post))
        .onSuccess(post -> Edge.json(rc, 200, post));
  }

  void deletePost(RoutingContext rc) {
    long id = Edge.id(rc);
    edge.withActor(rc, new JsonObject().put(Field.ID, id))
        .compose(c -> edge.ask(rc, Address.POST_DELETE, c))
        .compose(done -> cache.invalidate(rc, id))
        .onSuccess(done -> Edge.noContent(rc));
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
