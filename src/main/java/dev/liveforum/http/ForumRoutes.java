package dev.liveforum.http;

import dev.liveforum.auth.RateLimits.Count;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/boards and /api/posts: the edge of the board and post aggregates. */
final class ForumRoutes {
  private final Edge edge;
  private final CachedReads cache;
  private final ViewCounts views;

  ForumRoutes(Edge edge, CachedReads cache, ViewCounts views) {
    this.edge = edge;
    this.cache = cache;
    this.views = views;
  }

  void listBoards(RoutingContext rc) {
    edge.relay(rc, Address.BOARD_LIST, new JsonObject(), 200);
  }

  void getBoard(RoutingContext rc) {
    edge.relay(rc, Address.BOARD_GET, new JsonObject().put(Field.ID, Edge.id(rc)), 200);
  }

  /** Boards are listed on every list page: a change to one drops the rendered lists before it is answered. */
  void createBoard(RoutingContext rc) {
    created(rc, Address.BOARD_CREATE, Edge.body(rc), "/api/boards/");
  }

  void updateBoard(RoutingContext rc) {
    changeBoard(rc, Address.BOARD_UPDATE, Edge.body(rc).put(Field.ID, Edge.id(rc)), 200);
  }

  void deleteBoard(RoutingContext rc) {
    changeBoard(rc, Address.BOARD_DELETE, new JsonObject().put(Field.ID, Edge.id(rc)), 204);
  }

  private void changeBoard(RoutingContext rc, String address, JsonObject command, int status) {
    edge.withActor(rc, command)
        .compose(c -> edge.ask(rc, address, c))
        .compose(reply -> cache.invalidate(rc).map(reply))
        .onSuccess(reply -> Edge.answer(rc, status, reply));
  }

  void listPosts(RoutingContext rc) {
    edge.withActor(rc, Edge.params(rc, Field.BOARD_ID, Field.SORT, Field.PERIOD, Field.CURSOR, Field.LIMIT))
        .compose(query -> cache.list(rc, query))
        .compose(page -> views.addPending(rc, page))
        .onSuccess(page -> Edge.json(rc, 200, page));
  }

  /** Reading a post counts a view (in Redis: it never writes the database or invalidates a cache). */
  void getPost(RoutingContext rc) {
    edge.withActor(rc, new JsonObject().put(Field.ID, Edge.id(rc)))
        .compose(command -> cache.post(rc, command).compose(post -> views.recordRead(rc, command, post)))
        .onSuccess(post -> Edge.json(rc, 200, post));
  }

  void createPost(RoutingContext rc) {
    edge.limitedWrite(rc, Edge.body(rc), Count.of(edge.limits().post()))
        .compose(c -> edge.ask(rc, Address.POST_CREATE, c))
        .compose(post -> cache.invalidate(rc).map(post))
        .onSuccess(post -> {
          rc.response().putHeader("Location", "/api/posts/" + post.getLong(Field.ID));
          Edge.json(rc, 201, post);
        });
  }

  void updatePost(RoutingContext rc) {
    long id = Edge.id(rc);
    edge.limitedWrite(rc, Edge.body(rc).put(Field.ID, id), Count.of(edge.limits().edit()))
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

  /** The HTML a post or comment with this content would show, rendered as it would be stored. */
  void preview(RoutingContext rc) {
    edge.ask(rc, Address.MARKDOWN_PREVIEW, Edge.body(rc)).onSuccess(html -> Edge.json(rc, 200, html));
  }

  private void created(RoutingContext rc, String address, JsonObject command, String location) {
    edge.withActor(rc, command)
        .compose(c -> edge.ask(rc, address, c))
        .compose(reply -> cache.invalidate(rc).map(reply))
        .onSuccess(reply -> {
          rc.response().putHeader("Location", location + reply.getLong(Field.ID));
          Edge.json(rc, 201, reply);
        });
  }
}
