package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import dev.liveforum.config.Setting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.liveforum.support.Forum.unique;
import static dev.liveforum.support.Pages.ids;
import static dev.liveforum.support.Pages.newestFirst;
import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Search over REST as MariaDB FULLTEXT answers it: on a node without the search role (SearchIndexTest has
 * the index). InnoDB indexes words of three letters or more and skips stopwords, so
 * the words searched for here are longer, rare, and used by no other test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Searching posts with no search node: MariaDB FULLTEXT answers")
class SearchTest {
  private static final String PASSWORD = "correct horse battery";

  private TestNode node;
  private Api api;
  private Forum forum;
  private String admin;
  private String authorToken;
  private String authorName;
  private long authorId;
  private long kitchen;
  private long garden;
  private long inTitle;
  private long inBody;
  private long everywhere;
  private long unrelated;

  @BeforeAll
  void start() {
    node = TestNode.start(TestServices.config().with(Setting.ROLES,
        new JsonArray(List.of("http", "persistence", "cache", "bridge", "notification", "stats"))));
    api = new Api(node.port);
    forum = new Forum(api);
    admin = forum.adminToken();
    kitchen = forum.board("Kitchen ");
    garden = forum.board("Garden ");
    authorName = unique("baker");
    Forum.Member author = forum.register(authorName);
    authorToken = author.token();
    authorId = author.id();
    inTitle = forum.postId(authorToken, kitchen, "Marzipan recipes", "Almonds, sugar and patience.");
    inBody = forum.postId(authorToken, kitchen, "Holiday baking", "Grandma's marzipan is legendary.");
    everywhere = forum.postId(authorToken, garden, "Marzipan, marzipan",
        "Marzipan pigs, marzipan fruit and more marzipan.");
    unrelated = forum.postId(authorToken, kitchen, "Sourdough", "Flour, water, salt and time.");
  }

  @AfterAll
  void stop() {
    node.close();
  }


  private Api.Response search(String query) {
    return api.get("/api/search?" + query);
  }

  private static String q(String words) {
    return "q=" + URLEncoder.encode(words, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("finds posts by a word of their title or of their body, the best match first, as list items with a score")
  void findsByTitleAndBody() {
    Api.Response r = search(q("marzipan"));
    assertEquals(List.of(everywhere, inTitle, inBody).size(), ids(r).size(), r.toString());
    assertEquals(everywhere, ids(r).get(0), "the post that says it most often comes first: " + r);
    assertTrue(ids(r).containsAll(List.of(inTitle, inBody)), r.toString());
    assertFalse(ids(r).contains(unrelated));

    JsonObject first = r.json().getJsonArray("items").getJsonObject(0);
    assertEquals("Marzipan, marzipan", first.getString("title"));
    assertEquals(authorName, first.getJsonObject("author").getString("username"));
    assertEquals(garden, first.getJsonObject("board").getLong("id"));
    assertTrue(first.getString("excerpt").startsWith("Marzipan pigs"), first.encode());
    assertNull(first.getString("content"), "list items carry an excerpt, not the body");
    assertTrue(first.getDouble("score") > r.json().getJsonArray("items").getJsonObject(2).getDouble("score"),
        r.toString());
    assertEquals(0, first.getLong("viewCount"));
    assertEquals("fulltext", r.json().getString("engine"));
    assertFalse(first.getBoolean("likedByMe"));
    assertNull(r.json().getString("nextCursor"));

    assertEquals(List.of(inBody), ids(search(q("legendary"))), "a word only in a body");
    assertEquals(List.of(inTitle), ids(search(q("RECIPES"))), "any letter case");
  }

  @Test
  @DisplayName("boardId keeps the search within one board")
  void withinABoard() {
    List<Long> found = ids(search(q("marzipan") + "&boardId=" + kitchen));
    assertEquals(Set.of(inTitle, inBody), new HashSet<>(found));
    assertEquals(List.of(everywhere), ids(search(q("marzipan") + "&boardId=" + garden)));
  }

  @Test
  @DisplayName("authorId, from and to (UTC days) filter as the index's search does")
  void authorAndDays() {
    Set<Long> marzipan = Set.of(everywhere, inTitle, inBody);
    assertEquals(marzipan, new HashSet<>(ids(search(q("marzipan") + "&authorId=" + authorId))));
    long other = forum.member("otherbaker").id();
    assertEquals(List.of(), ids(search(q("marzipan") + "&authorId=" + other)));
    java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
    assertEquals(marzipan, new HashSet<>(ids(search(q("marzipan") + "&from=" + today + "&to=" + today))));
    assertEquals(List.of(), ids(search(q("marzipan") + "&from=" + today.plusDays(1))));
    assertEquals(List.of(), ids(search(q("marzipan") + "&to=" + today.minusDays(1))));
  }

  @Test
  @DisplayName("any of several words matches; a word no post has, a too-short word or a stopword finds nothing")
  void severalWordsAndNothing() {
    assertEquals(Set.of(inBody, unrelated), new HashSet<>(ids(search(q("legendary sourdough")))));
    for (String none : List.of("xylophonic", "is", "about")) {
      Api.Response r = search(q(none));
      assertEquals(List.of(), ids(r), none);
      assertNull(r.json().getString("nextCursor"));
    }
  }

  @Test
  @DisplayName("search operators, quotes and SQL in q are plain text: they neither exclude, nor widen, nor break")
  void operatorsAndSqlAreInert() {
    Set<Long> marzipan = Set.of(everywhere, inTitle, inBody);
    assertEquals(marzipan, new HashSet<>(ids(search(q("-marzipan")))), "a minus does not exclude");
    assertEquals(marzipan, new HashSet<>(ids(search(q("marzipan' OR 1=1 -- ")))));
    assertEquals(marzipan, new HashSet<>(ids(search(q("\"marzipan pigs\" +zzz* (x) <y> ~w @2")))));
    // Within this test's board: other tests' posts may well say "drop table posts".
    assertEquals(Set.of(inBody), new HashSet<>(ids(search(q("legendary\\\"); DROP TABLE posts; --")
        + "&boardId=" + kitchen))));
  }

  @Test
  @DisplayName("q arrives as typed: a number, a lone quote, a percent sign or a plus are searched, not refused")
  void queryTextIsTakenAsTyped() {
    long orwell = forum.postId(authorToken, garden, "Reading 1984 again", "Orwell at 100% strength.");
    assertEquals(List.of(orwell), ids(search(q("1984"))));
    assertEquals(List.of(orwell), ids(search(q("1984\""))));
    assertEquals(List.of(orwell), ids(search(q("\"1984"))));
    assertEquals(List.of(orwell), ids(search(q("100% orwell"))));
    assertEquals(List.of(orwell), ids(search(q("orwell++"))));
    assertEquals(List.of(orwell), ids(search(q("true orwell"))));
  }

  @Test
  @DisplayName("pages follow each other without repeats or gaps, also among equal scores, and new posts do not shift them")
  void paginates() {
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(forum.postId(authorToken, kitchen, "Zeppelin log " + i, "The zeppelin flew over the bay."));
    }
    Set<Long> seen = new HashSet<>();
    List<Long> order = new ArrayList<>();
    Api.Response page = search(q("zeppelin") + "&limit=3");
    List<Integer> sizes = new ArrayList<>();
    while (true) {
      List<Long> ids = ids(page);
      sizes.add(ids.size());
      for (Long id : ids) {
        assertTrue(seen.add(id), "post " + id + " repeated: " + page);
      }
      order.addAll(ids);
      if (sizes.size() == 1) {
        // Created after the first page: not in this search's later pages.
        forum.postId(authorToken, kitchen, "Zeppelin zeppelin zeppelin", "zeppelin zeppelin");
      }
      String next = page.json().getString("nextCursor");
      if (next == null) {
        break;
      }
      page = search(q("zeppelin") + "&limit=3&cursor=" + next);
    }
    assertEquals(List.of(3, 3, 1), sizes);
    assertEquals(new HashSet<>(created), seen);
    assertEquals(newestFirst(created), order, "equal scores come newest first");
  }

  @Test
  @DisplayName("a cursor only continues its own search: another q or board, or a changed cursor, is a 400")
  void cursorsBelongToTheirSearch() {
    for (int i = 0; i < 3; i++) {
      forum.postId(authorToken, kitchen, "Quince jelly " + i, "Quince, sugar, lemon.");
    }
    String next = search(q("quince") + "&limit=2").json().getString("nextCursor");
    assertNotNull(next);
    assertEquals(200, search(q("quince") + "&limit=2&cursor=" + next).status());
    assertProblem(search(q("marzipan") + "&cursor=" + next), 400, "cursor belongs to another search");
    assertProblem(search(q("quince") + "&boardId=" + kitchen + "&cursor=" + next), 400,
        "cursor belongs to another search");
    String forged = (next.charAt(0) == 'A' ? 'B' : 'A') + next.substring(1);
    assertProblem(search(q("quince") + "&cursor=" + forged), 400, "cursor is not valid");
    String postList = api.get("/api/posts?limit=1").json().getString("nextCursor");
    assertProblem(search(q("quince") + "&cursor=" + postList), 400, "cursor belongs to another search");
  }

  @Test
  @DisplayName("a missing, empty, blank, too long or wordless q is a 400, as are a bad limit or boardId")
  void badRequests() {
    assertProblem(search(""), 400, "q");
    assertProblem(search("q="), 400, "q");
    assertProblem(search(q("   ")), 400, "q must be 1 to 200 characters");
    assertProblem(search(q("m".repeat(201))), 400, "q");
    assertEquals(200, search(q("m".repeat(200))).status());
    assertProblem(search(q("+-*\"()~<>@")), 400, "q must contain a word");
    assertProblem(search(q("marzipan") + "&limit=0"), 400, "limit");
    assertProblem(search(q("marzipan") + "&limit=51"), 400, "limit");
    assertProblem(search(q("marzipan") + "&boardId=0"), 400, "boardId");
    assertProblem(search(q("marzipan") + "&boardId=abc"), 400, "boardId");
  }

  @Test
  @DisplayName("anyone may search; a signed-in reader sees likedByMe, a broken token is a 401")
  void whoMaySearch() {
    Api.Response signedIn = api.get("/api/search?" + q("marzipan"), authorToken);
    assertEquals(200, signedIn.status(), signedIn.toString());
    assertProblem(api.get("/api/search?" + q("marzipan"), "not-a-token"), 401, "token");
  }

  @Test
  @DisplayName("the view counts in results include views not yet written to the database")
  void viewCountsIncludeUnflushedViews() {
    long post = forum.postId(authorToken, garden, "Persimmon season", "Persimmons ripen late.");
    assertEquals(200, api.get("/api/posts/" + post).status());
    JsonObject item = search(q("persimmon")).json().getJsonArray("items").getJsonObject(0);
    assertEquals(post, item.getLong("id"));
    assertEquals(1, item.getLong("viewCount"));
  }
}
