package dev.liveforum.http;

import dev.liveforum.auth.RateLimits.Count;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** /api/search and the public profiles under /api/users/{id}: reads anyone may make. */
final class ReadRoutes {
  private final Edge edge;
  private final ViewCounts views;

  ReadRoutes(Edge edge, ViewCounts views) {
    this.edge = edge;
    this.views = views;
  }

  /**
   * Searches are counted: per user when signed in, per client IP for guests. A search node answers from
   * its index; with none ready, the database answers by FULLTEXT.
   */
  void search(RoutingContext rc) {
    search(rc, Edge.params(rc, Field.QUERY, Field.BOARD_ID, Field.AUTHOR_ID, Field.FROM, Field.TO, Field.CURSOR,
        Field.LIMIT)).onSuccess(page -> Edge.json(rc, 200, page));
  }

  /** A search as the API and the search page make it: counted, asked, its items' views brought up to date. */
  Future<JsonObject> search(RoutingContext rc, JsonObject query) {
    return edge.limitedRead(rc, query, Count.of(edge.limits().search()))
        .compose(command -> edge.askOr(rc, Address.SEARCH_QUERY, Address.POST_SEARCH, command))
        .compose(page -> views.addPending(rc, page));
  }

  /** Titles as one types; counted apart from searches, as a search box asks at every keystroke. */
  void suggest(RoutingContext rc) {
    edge.limitedRead(rc, Edge.params(rc, Field.QUERY, Field.BOARD_ID), Count.of(edge.limits().suggest()))
        .compose(command -> edge.ask(rc, Address.SEARCH_SUGGEST, command))
        .onSuccess(reply -> Edge.json(rc, 200, reply));
  }

  /** An admin has every search node rebuild its index from the database, each answering from its old one meanwhile. */
  void rebuildIndex(RoutingContext rc) {
    edge.relay(rc, Address.SEARCH_REBUILD, new JsonObject(), 202);
  }

  void getUser(RoutingContext rc) {
    answer(rc, Address.USER_PROFILE, new JsonObject().put(Field.ID, Edge.id(rc)));
  }

  void userPosts(RoutingContext rc) {
    postPage(rc, Address.USER_POSTS,
        edge.withActor(rc, Edge.params(rc, Field.CURSOR, Field.LIMIT).put(Field.ID, Edge.id(rc))));
  }

  void userComments(RoutingContext rc) {
    answer(rc, Address.USER_COMMENTS, Edge.params(rc, Field.CURSOR, Field.LIMIT).put(Field.ID, Edge.id(rc)));
  }

  private void answer(RoutingContext rc, String address, JsonObject query) {
    edge.withActor(rc, query)
        .compose(command -> edge.ask(rc, address, command))
        .onSuccess(reply -> Edge.json(rc, 200, reply));
  }

  /** A page of post list items, with the views not yet flushed in their counts. */
  private void postPage(RoutingContext rc, String address, Future<JsonObject> query) {
    query.compose(command -> edge.ask(rc, address, command))
        .compose(page -> views.addPending(rc, page))
        .onSuccess(page -> Edge.json(rc, 200, page));
  }
}
