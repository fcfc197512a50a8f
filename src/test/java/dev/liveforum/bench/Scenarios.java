package dev.liveforum.bench;

import dev.liveforum.support.Api;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** The scenarios the bench knows, built over its seeded data. */
final class Scenarios {
  static final String BARE = "bare";
  static final String READ_POST = "read-post";
  static final String HOT_LIST = "hot-list";
  static final String POST_PAGE = "post-page";
  static final String HOME_PAGE = "home-page";
  static final String COMMENT = "comment";
  static final String LIKE = "like";
  static final String SEARCH = "search";
  static final String SUGGEST = "suggest";
  static final List<String> ALL = List.of(BARE, READ_POST, HOT_LIST, POST_PAGE, HOME_PAGE, COMMENT, LIKE, SEARCH,
      SUGGEST);
  /** The reads whose rate the report gives as a fraction of the bare endpoint's. */
  static final List<String> RATIOS = List.of(READ_POST, POST_PAGE, HOME_PAGE, SEARCH, SUGGEST);

  private final HostAndPort bare;
  private final HostAndPort forum;
  private final Api api;
  private final Seed seed;
  private final WriteChecks checks;
  private final int connections;

  Scenarios(HostAndPort bare, HostAndPort forum, Api api, Seed seed, WriteChecks checks, int connections) {
    this.bare = bare;
    this.forum = forum;
    this.api = api;
    this.seed = seed;
    this.checks = checks;
    this.connections = connections;
  }

  Scenario create(String name) {
    return switch (name) {
      case BARE -> read(name, bare, n -> "/", Scenario.Expect.ANY);
      case READ_POST -> read(name, forum, n -> "/api/posts/" + pick(seed.few(), n), Scenario.Expect.ANY);
      case HOT_LIST -> read(name, forum, n -> "/api/posts?sort=hot", Scenario.Expect.ANY);
      case POST_PAGE -> postPage();
      case HOME_PAGE -> homePage();
      case COMMENT -> comment();
      case LIKE -> like();
      // A guest's search or suggestion, the words in turn (SearchCorpus); an answer from FULLTEXT, had no
      // search node been ready, would count as an error: the rate is the index's.
      case SEARCH -> read(name, forum, n -> "/api/search?q=" + query(SearchCorpus.QUERIES, n), fromIndex());
      case SUGGEST -> read(name, forum, n -> "/api/search/suggest?q=" + query(SearchCorpus.PREFIXES, n),
          Scenario.Expect.ANY);
      default -> throw new IllegalArgumentException("no scenario named " + name);
    };
  }

  /** A guest's GET; connections start at different places of the rotation. */
  private Scenario read(String name, HostAndPort server, LongFunction<String> path, Scenario.Expect expect) {
    return new Scenario(name, server, Request.get(path.apply(0)),
        (connection, n) -> Request.get(path.apply(connection + n)), expect, Scenario.Check.NONE);
  }

  /** A guest reading the page of a post with a thread of {@link CommentedPost#COMMENTS} comments, made now. */
  private Scenario postPage() {
    CommentedPost post = CommentedPost.create(api, seed);
    return read(POST_PAGE, forum, n -> "/posts/" + post.id(), html(Map.of("title", post.title(), "last-comment", post.lastComment())));
  }

  /** A guest reading the home page, which must show the newest post the API lists, as of now. */
  private Scenario homePage() {
    Api.Response latest = api.get("/api/posts?sort=latest");
    if (latest.status() != 200) {
      throw new IllegalStateException("GET /api/posts?sort=latest: " + latest);
    }
    String title = latest.json().getJsonArray("items").getJsonObject(0).getString("title");
    return read(HOME_PAGE, forum, n -> "/", html(Map.of("latest-post", title)));
  }

  /**
   * An HTML page holding each of {@code texts} (by what it is; texts that read the same escaped, as
   * the bench's do). A 2xx of another type is an error named {@code not-html}, one without a text
   * {@code lacks-<what>}.
   */
  private static Scenario.Expect html(Map<String, String> texts) {
    return (contentType, body) -> {
      if (contentType == null || !contentType.startsWith("text/html")) {
        return "not-html";
      }
      String page = body == null ? null : body.toString();
      return page == null ? null : texts.entrySet().stream().filter(t -> !page.contains(t.getValue()))
          .map(t -> "lacks-" + t.getKey()).findFirst().orElse(null);
    };
  }

  private static String query(List<String> words, long n) {
    return java.net.URLEncoder.encode(pick(words, n), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** A search answered from the index ({@code "engine":"index"}); else an error named {@code fulltext}. */
  private static Scenario.Expect fromIndex() {
    return (contentType, body) -> body == null || body.toString().contains("\"engine\":\"index\"") ? null : "fulltext";
  }

  /** Users take turns commenting on the few posts; each request is a new comment. */
  private Scenario comment() {
    Scenario.Requests requests = (connection, n) -> {
      long i = n * connections + connection;
      return Request.send(HttpMethod.POST, "/api/posts/" + pick(seed.few(), i) + "/comments", pick(seed.userTokens(), i),
          new JsonObject().put("content", "Benchmark comment " + connection + "." + n));
    };
    return new Scenario(COMMENT, forum, requests.next(0, 0), requests, Scenario.Expect.ANY, checks.comments(seed.few()));
  }

  /**
   * Every (user, post) pair belongs to one connection, which walks through its pairs liking them, then
   * through them again unliking them, and so on: each request changes a like, and no two requests for
   * one pair are ever in flight at once. The probe is the admin's, outside every connection's pairs.
   */
  private Scenario like() {
    int users = seed.userTokens().size();
    long pairs = (long) users * seed.posts().size();
    Scenario.Requests requests = (connection, n) -> {
      long owned = (pairs - connection + connections - 1) / connections;
      long pair = connection + (n % owned) * connections;
      HttpMethod method = (n / owned) % 2 == 0 ? HttpMethod.PUT : HttpMethod.DELETE;
      return likeOf(method, seed.posts().get((int) (pair / users)), seed.userTokens().get((int) (pair % users)));
    };
    return new Scenario(LIKE, forum, likeOf(HttpMethod.PUT, seed.posts().get(0), seed.adminToken()), requests,
        Scenario.Expect.ANY, checks.likes(seed.posts()));
  }

  private static Request likeOf(HttpMethod method, long post, String token) {
    return Request.send(method, "/api/posts/" + post + "/like", token, null);
  }

  private static <T> T pick(List<T> items, long n) {
    return items.get((int) (n % items.size()));
  }
}
