package dev.liveforum.http;

import dev.liveforum.auth.RateLimits.Count;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Channel;
import dev.liveforum.bus.Field;
import dev.liveforum.http.page.Fmt;
import dev.liveforum.http.page.Layout;
import dev.liveforum.http.page.Origins;
import dev.liveforum.http.page.Site;
import dev.liveforum.http.page.Templates;
import dev.liveforum.http.page.Thread;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pages people read, rendered on the server from the same bus replies the API relays, so the
 * HTML holds the whole content for readers without JavaScript and for crawlers. Every page reads
 * the same for everyone: who is signed in is the page script's business, which keeps a post's page
 * one cached string per node (for the site address it names: the request's own unless
 * {@code pages.publicUrl} is set). Failures are answered by {@link Problems}, as HTML pages here.
 */
final class PageRoutes {
  static final Set<String> SORTS = Set.of("latest", "hot", "top");
  static final Set<String> PERIODS = Set.of("day", "week", "month", "all");
  /** Root comments on one page of a post (the API's largest page). */
  static final int COMMENT_PAGE = 50;
  /** Replies on one page of {@code /comments/{id}} (the API's largest page). */
  static final int REPLY_PAGE = 50;
  /** Stands where the view count goes while a post page is rendered for the cache. */
  private static final String VIEWS = "\u0000" + java.util.UUID.randomUUID() + "\u0000";

  private final Edge edge;
  private final ReadRoutes reads;
  private final CachedReads cache;
  private final ViewCounts views;
  private final NearCache near;
  private final Origins origins;

  PageRoutes(Edge edge, CachedReads cache, ViewCounts views, NearCache near, Origins origins, ReadRoutes reads) {
    this.edge = edge;
    this.reads = reads;
    this.cache = cache;
    this.views = views;
    this.near = near;
    this.origins = origins;
  }

  void mount(Router router) {
    Assets.mount(router);
    router.get("/").handler(rc -> list(rc, null));
    router.get("/boards/:id").handler(rc -> withId(rc, id -> list(rc, id)));
    router.get("/posts/:id/edit").handler(rc -> withId(rc, id -> edit(rc, id)));
    router.get("/posts/:id").handler(rc -> withId(rc, id -> post(rc, id)));
    router.get("/posts/:id/:slug").handler(rc -> withId(rc, id -> post(rc, id)));
    router.get("/comments/:id").handler(rc -> withId(rc, id -> replies(rc, id)));
    router.get("/users/:id").handler(rc -> withId(rc, id -> user(rc, id)));
    router.get("/search").handler(this::search);
    router.get("/login").handler(rc -> form(rc, "login.jte", "Sign in", "Sign in to LiveForum."));
    router.get("/register").handler(rc -> form(rc, "register.jte", "Register", "Create a LiveForum account."));
    router.get("/settings").handler(rc -> form(rc, "settings.jte", "Settings", "Change your username or password."));
    router.get("/notifications").handler(rc -> form(rc, "notifications.jte", "Notifications", "Your notifications."));
    router.get("/admin").handler(rc -> form(rc, "admin.jte", "Administration", "Boards, statistics and jobs."));
    router.get("/new").handler(this::compose);
  }

  /** {@code /} and {@code /boards/{id}}: a page of posts with the sort tabs. */
  private void list(RoutingContext rc, Long boardId) {
    String sort = choice(rc, Field.SORT, SORTS, "latest");
    String period = choice(rc, Field.PERIOD, PERIODS, "week");
    String cursor = cursor(rc, Field.CURSOR);
    if (sort == null || period == null || cursor == null) {
      return;
    }
    JsonObject query = new JsonObject().put(Field.SORT, sort).put(Field.PERIOD, period);
    if (!cursor.isEmpty()) {
      query.put(Field.CURSOR, cursor);
    }
    if (boardId != null) {
      query.put(Field.BOARD_ID, boardId);
    }
    // The first pages are the same for every reader: kept rendered for a few seconds (NearCache).
    String key = cursor.isEmpty() ? (boardId == null ? "/" : "/boards/" + boardId) + "?" + sort + "&" + period + " "
        + addresses(rc) : null;
    Buffer kept = key == null ? null : near.list(key);
    if (kept != null) {
      html(rc, 200, kept);
      return;
    }
    long readStarted = near.epoch();
    Future<JsonObject> board = boardId == null ? Future.succeededFuture()
        : edge.ask(rc, Address.BOARD_GET, new JsonObject().put(Field.ID, boardId));
    Future<JsonObject> boards = edge.ask(rc, Address.BOARD_LIST, new JsonObject());
    Future<JsonObject> posts = board.compose(b -> cache.list(rc, query)).compose(p -> views.addPending(rc, p));
    Future.all(boards, posts).onSuccess(all -> {
      String path = boardId == null ? "/" : "/boards/" + boardId;
      String here = path + "?sort=" + sort + (sort.equals("top") ? "&period=" + period : "");
      String next = posts.result().getString("nextCursor");
      JsonObject b = board.result();
      String title = b == null ? Site.NAME : b.getString("name");
      String description = b == null ? "Boards and the latest posts of this forum." : Fmt.cut(b.getString("description"), 160);
      Map<String, Object> params = params(rc, new Layout(title, description, canonical(rc, cursor.isEmpty() ? here
              : here + "&cursor=" + Fmt.q(cursor)), null, next == null ? null : here + "&cursor=" + Fmt.q(next),
          bridge(rc), List.of("list"), ""));
      params.put("board", b);
      params.put("boards", boards.result().getJsonArray("items", new JsonArray()));
      params.put("posts", posts.result());
      params.put("sort", sort);
      params.put("period", period);
      params.put("path", path);
      params.put("firstPage", cursor.isEmpty());
      params.put("channels", channels(b, boards.result(), posts.result()));
      Buffer page = Buffer.buffer(Templates.render("posts.jte", params));
      if (key != null) {
        near.putList(key, page, readStarted);
      }
      html(rc, 200, page);
    });
  }

  /**
   * The channels whose new posts the list offers to show: {@code board.<id>:<seq>} for a board (its
   * first page carries the seq it was read at), every board from its next event for the whole forum.
   */
  private static String channels(JsonObject board, JsonObject boards, JsonObject posts) {
    if (board != null) {
      Long seq = posts.getLong(Field.SEQ);
      return Channel.board(board.getLong(Field.ID)) + (seq == null ? "" : ":" + seq);
    }
    return String.join(" ", boards.getJsonArray("items", new JsonArray()).stream()
        .map(b -> Channel.board(((JsonObject) b).getLong(Field.ID))).toList());
  }

  /**
   * A post with the first page of its thread. The rendered page is kept in the node's memory and
   * served to every reader; only the view count, which moves without a write, is put in per request.
   */
  private void post(RoutingContext rc, long id) {
    String cursor = cursor(rc, Field.CURSOR);
    if (cursor == null) {
      return;
    }
    JsonObject command = new JsonObject().put(Field.ID, id);
    String pageOrigins = addresses(rc);
    NearCache.Page kept = cursor.isEmpty() ? near.page(id) : null;
    if (kept != null && kept.origins().equals(pageOrigins)) {
      JsonObject counts = new JsonObject().put(Field.ID, id).put(Field.VIEW_COUNT, kept.viewCount());
      views.recordRead(rc, command, counts).onSuccess(c -> html(rc, kept, c.getLong(Field.VIEW_COUNT)));
      return;
    }
    long readStarted = near.epoch();
    JsonObject listQuery = new JsonObject().put(Field.POST_ID, id).put(Field.LIMIT, COMMENT_PAGE);
    if (!cursor.isEmpty()) {
      listQuery.put(Field.CURSOR, cursor);
    }
    cache.post(rc, command).compose(post -> {
      long stored = post.getLong(Field.VIEW_COUNT, 0L);
      return edge.ask(rc, Address.COMMENT_LIST, listQuery).compose(comments -> {
        String path = Fmt.postPath(post);
        String next = comments.getString("nextCursor");
        Map<String, Object> params = params(rc, new Layout(post.getString("title"),
            Fmt.cut(post.getString("content"), 160), canonical(rc, cursor.isEmpty() ? path : path + "?cursor=" + Fmt.q(cursor)),
            null, next == null ? null : path + "?cursor=" + Fmt.q(next), bridge(rc), List.of("post"), ""));
        params.put("post", post);
        params.put("thread", Thread.of(comments.getJsonArray("items", new JsonArray())));
        params.put("firstPage", cursor.isEmpty());
        params.put("viewCount", VIEWS);
        String[] parts = Templates.render("post.jte", params).split(VIEWS, 2);
        NearCache.Page page = new NearCache.Page(Buffer.buffer(parts[0]), Buffer.buffer(parts[1]), stored, pageOrigins);
        if (cursor.isEmpty()) {
          near.putPage(id, page, readStarted);
        }
        return views.recordRead(rc, command, post).map(counted -> {
          html(rc, page, counted.getLong(Field.VIEW_COUNT));
          return page;
        });
      });
    });
  }

  /**
   * {@code /comments/{id}}: a root comment with its replies, {@link #REPLY_PAGE} at a time, oldest first.
   * The post page's "Show n more replies" leads here for readers without JavaScript (its script loads
   * them in place instead). A reply whose parent was on an earlier page stands directly under the root.
   */
  private void replies(RoutingContext rc, long id) {
    String cursor = cursor(rc, Field.CURSOR);
    if (cursor == null) {
      return;
    }
    JsonObject query = paged(new JsonObject().put(Field.ID, id).put(Field.LIMIT, REPLY_PAGE), cursor);
    edge.ask(rc, Address.COMMENT_REPLIES, query).compose(replies -> {
      JsonObject root = replies.getJsonObject("root");
      return cache.post(rc, new JsonObject().put(Field.ID, root.getLong(Field.POST_ID))).onSuccess(post -> {
        String path = "/comments/" + id;
        String next = replies.getString("nextCursor");
        String name = Fmt.name(root.getJsonObject("author"));
        Map<String, Object> params = params(rc, new Layout("Replies to " + name + ": " + post.getString("title"),
            Fmt.cut(root.getString("content"), 160), canonical(rc, cursor.isEmpty() ? path : path + "?cursor=" + Fmt.q(cursor)),
            null, next == null ? null : path + "?cursor=" + Fmt.q(next), bridge(rc), List.of(), ""));
        params.put("post", post);
        params.put("root", new Thread(root, Thread.of(replies.getJsonArray("items", new JsonArray()))));
        params.put("firstPage", cursor.isEmpty());
        html(rc, 200, Templates.render("replies.jte", params));
      });
    });
  }

  private void user(RoutingContext rc, long id) {
    String postsCursor = cursor(rc, "posts");
    String commentsCursor = cursor(rc, "comments");
    if (postsCursor == null || commentsCursor == null) {
      return;
    }
    JsonObject byId = new JsonObject().put(Field.ID, id);
    Future<JsonObject> profile = edge.ask(rc, Address.USER_PROFILE, byId);
    Future<JsonObject> posts = profile.compose(p -> edge.ask(rc, Address.USER_POSTS, paged(byId, postsCursor)))
        .compose(p -> views.addPending(rc, p));
    Future<JsonObject> comments = profile.compose(p -> edge.ask(rc, Address.USER_COMMENTS, paged(byId, commentsCursor)));
    Future.all(posts, comments).onSuccess(all -> {
      String name = profile.result().getString(Field.USERNAME);
      String path = "/users/" + id;
      String nextPosts = posts.result().getString("nextCursor");
      String nextComments = comments.result().getString("nextCursor");
      Map<String, Object> params = params(rc, new Layout(name, name + "'s posts and comments on " + Site.NAME + ".",
          canonical(rc, path), null, nextPosts == null ? null : path + "?posts=" + Fmt.q(nextPosts), bridge(rc), List.of(), ""));
      params.put("profile", profile.result());
      params.put("posts", posts.result());
      params.put("comments", comments.result());
      params.put("nextPosts", nextPosts == null ? null : path + "?posts=" + Fmt.q(nextPosts));
      params.put("nextComments", nextComments == null ? null : path + "?comments=" + Fmt.q(nextComments));
      html(rc, 200, Templates.render("user.jte", params));
    });
  }

  private void search(RoutingContext rc) {
    String given = rc.queryParams().get("q");
    String q = given == null ? "" : given.strip();
    String cursor = cursor(rc, Field.CURSOR);
    if (cursor == null) {
      return;
    }
    if (q.length() > 200) {
      Problems.send(rc, 400, "a search is at most 200 characters long");
      return;
    }
    String query = q;
    String here = "/search?q=" + Fmt.q(q);
    Future<JsonObject> hits = q.isEmpty() ? Future.succeededFuture(new JsonObject().put("items", new JsonArray()))
        // A guest's search, per client IP, as the API's: the page is the same for everyone.
        : reads.search(rc, paged(new JsonObject().put(Field.QUERY, q), cursor));
    hits.onSuccess(page -> {
      String next = page.getString("nextCursor");
      Map<String, Object> params = params(rc, new Layout(q.isEmpty() ? "Search" : "Search: " + q,
          "Posts matching " + q, canonical(rc, here), null, next == null ? null : here + "&cursor=" + Fmt.q(next),
          bridge(rc), List.of(), query));
      params.put("q", query);
      params.put("hits", page);
      html(rc, 200, Templates.render("search.jte", params));
    });
  }

  /** The compose page: the boards to post in. */
  private void compose(RoutingContext rc) {
    edge.ask(rc, Address.BOARD_LIST, new JsonObject()).onSuccess(boards -> {
      Map<String, Object> params = params(rc, layout(rc, "New post", "Start a post.", List.of("compose")));
      params.put("boards", boards.getJsonArray("items", new JsonArray()));
      params.put("post", null);
      html(rc, 200, Templates.render("compose.jte", params));
    });
  }

  /** Editing a post starts from what anyone can read of it; the server checks who may save it. */
  private void edit(RoutingContext rc, long id) {
    Future<JsonObject> boards = edge.ask(rc, Address.BOARD_LIST, new JsonObject());
    Future<JsonObject> post = edge.ask(rc, Address.POST_GET, new JsonObject().put(Field.ID, id));
    Future.all(boards, post).onSuccess(all -> {
      Map<String, Object> params = params(rc, layout(rc, "Edit: " + post.result().getString("title"), "Edit a post.",
          List.of("compose")));
      params.put("boards", boards.result().getJsonArray("items", new JsonArray()));
      params.put("post", post.result());
      html(rc, 200, Templates.render("compose.jte", params));
    });
  }

  /** Pages whose content is the signed-in user's own, filled by their script. */
  private void form(RoutingContext rc, String template, String title, String description) {
    String module = template.substring(0, template.indexOf('.'));
    html(rc, 200, Templates.render(template, params(rc, layout(rc, title, description, List.of(module)))));
  }

  private Layout layout(RoutingContext rc, String title, String description, List<String> modules) {
    return new Layout(title, description, canonical(rc, rc.request().path()), null, null, bridge(rc), modules, "");
  }

  private static Map<String, Object> params(RoutingContext rc, Layout layout) {
    Map<String, Object> params = new HashMap<>();
    params.put("page", layout);
    return params;
  }

  private List<String> bridge(RoutingContext rc) {
    return origins.bridge(rc.request());
  }

  /** The site and bridge addresses a page written for this request names: part of what a kept page is kept for. */
  private String addresses(RoutingContext rc) {
    return canonical(rc, "") + " " + bridge(rc);
  }

  private String canonical(RoutingContext rc, String path) {
    return origins.site(rc.request()) + path;
  }

  static void html(RoutingContext rc, int status, String html) {
    html(rc, status, Buffer.buffer(html));
  }

  /**
   * A kept post page with its view count, written as its three parts: the parts are shared by every
   * request and never copied (a 40 KB copy per request cost more than the rest of the answer).
   */
  private static void html(RoutingContext rc, NearCache.Page page, long viewCount) {
    String views = Long.toString(viewCount);
    HttpServerResponse response = rc.response().setStatusCode(200)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Length", String.valueOf(page.before().length() + views.length() + page.after().length()));
    response.write(page.before());
    response.write(views);
    response.end(page.after());
  }

  static void html(RoutingContext rc, int status, Buffer html) {
    rc.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(html);
  }

  private static JsonObject paged(JsonObject query, String cursor) {
    return cursor.isEmpty() ? query.copy() : query.copy().put(Field.CURSOR, cursor);
  }

  private static void withId(RoutingContext rc, java.util.function.LongConsumer page) {
    String raw = rc.pathParam("id");
    if (raw == null || !raw.matches("[1-9][0-9]{0,15}")) {
      Problems.send(rc, 404, "there is nothing at " + rc.request().path());
      return;
    }
    page.accept(Long.parseLong(raw));
  }

  /** A query parameter that must be one of {@code allowed}; null (after answering 400) when it is not. */
  private static String choice(RoutingContext rc, String name, Set<String> allowed, String otherwise) {
    String value = rc.queryParams().get(name);
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    if (!allowed.contains(value)) {
      Problems.send(rc, 400, name + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
      return null;
    }
    return value;
  }

  /** A paging cursor as given ("" when absent); null (after answering 400) when it cannot be one. */
  private static String cursor(RoutingContext rc, String name) {
    String value = rc.queryParams().get(name);
    if (value == null) {
      return "";
    }
    if (value.isEmpty() || value.length() > 1000) {
      Problems.send(rc, 400, "this page's " + name + " link is damaged: go back to the first page");
      return null;
    }
    return value;
  }

  /** An error as a page: what went wrong, in the site's layout. */
  static void error(RoutingContext rc, int status, String detail) {
    Map<String, Object> params = params(rc, new Layout(status == 404 ? "Not found" : "Error " + status, detail,
        rc.request().path(), null, null, List.of(), List.of(), ""));
    params.put("status", status);
    params.put("message", detail);
    html(rc, status, Templates.render("error.jte", params));
  }
}
