package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.support.Api;
import dev.liveforum.support.Eventually;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import java.util.List;

/**
 * LiveForum's load tool. Starts a node in this JVM (or loads a running one), a bare Vert.x JSON
 * endpoint as the baseline, seeds data through the API, then runs each scenario for a fixed time and
 * prints requests per second, latency percentiles, non-2xx answers and errors, and for writes whether
 * every 2xx left its row. It reports and never judges: a completed run exits 0.
 *
 * <pre>./mvnw -q test-compile exec:java@bench -Dexec.args="--duration 10"</pre>
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    int status = 0;
    try {
      run(options);
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      status = 2;
    } catch (Exception e) {
      System.err.println("The bench could not complete: " + e);
      e.printStackTrace();
      status = 1;
    } finally {
      TestServices.cleanUp();
    }
    // The test client and the embedded servers keep threads alive; nothing is left to wait for.
    System.exit(status);
  }

  /**
   * Writes {@code count} posts into the database, has the search role rebuild its index and waits until
   * the last post is found; prints how long each took and the size of the new index (of a node the bench
   * started; a --target's index is on its own disk).
   */
  private static void seedForSearch(Api api, Target target, Seed seed, int count) throws Exception {
    String marker = "benchmarker" + Long.toString(System.nanoTime(), 36);
    long started = System.nanoTime();
    long author = TestDb.count(target.config.db(), "SELECT author_id FROM posts WHERE board_id = ? LIMIT 1", seed.board());
    SearchCorpus.write(target.config.db(), seed.board(), author, count, marker);
    System.out.printf("%n%,d posts written to the database in %.1f s%n", count, (System.nanoTime() - started) / 1e9);
    started = System.nanoTime();
    Api.Response r = api.send(HttpMethod.POST, "/api/admin/search/rebuild", seed.adminToken(), null);
    if (r.status() == 503) {
      System.out.println("no search node: MariaDB FULLTEXT answers searches");
      return;
    }
    if (r.status() != 202) {
      throw new IllegalStateException("POST /api/admin/search/rebuild: " + r);
    }
    Eventually.eventually("the search index has the posts written", Duration.ofMinutes(20),
        () -> api.get("/api/search?q=" + marker).text().contains(marker), () -> "");
    System.out.printf("search index rebuilt from the database (until the last post is found) in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
    Path dir = target.searchDir();
    if (dir != null) {
      // Beside the new index, the old one until it is deleted: the newest generation is the one in use.
      Path newest;
      try (Stream<Path> generations = Files.list(dir)) {
        newest = generations.filter(p -> p.getFileName().toString().startsWith("gen-"))
            .max(java.util.Comparator.comparing(p -> p.getFileName().toString())).orElseThrow();
      }
      try (Stream<Path> files = Files.walk(newest)) {
        long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        System.out.printf("search index size: %.1f MiB (%s)%n", bytes / 1048576.0, newest);
      }
    }
  }

  /**
   * How soon a post written through the API is found by search, and how soon it is gone after its
   * deletion: {@code samples} posts with a word of their own, each searched for every 5 ms from its
   * 201 (or 204) on. Prints the 50th, 90th percentile and the longest of each.
   */
  private static void searchFreshness(Api api, Seed seed, int samples) throws Exception {
    List<Long> found = new java.util.ArrayList<>();
    List<Long> gone = new java.util.ArrayList<>();
    for (int i = 0; i < samples; i++) {
      String word = "fresh" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "q");
      Api.Response created = api.send(HttpMethod.POST, "/api/posts", seed.adminToken(),
          new io.vertx.core.json.JsonObject().put("boardId", seed.board()).put("title", "Freshness " + i)
              .put("content", "새 글 " + word + " 입니다"));
      if (created.status() != 201) {
        throw new IllegalStateException("POST /api/posts: " + created);
      }
      long written = System.nanoTime();
      String id = "\"id\":" + created.json().getLong("id") + ",";
      found.add(untilSearch(api, seed, word, text -> text.contains(id), written));
      Api.Response deleted = api.send(HttpMethod.DELETE, "/api/posts/" + created.json().getLong("id"),
          seed.adminToken(), null);
      if (deleted.status() != 204) {
        throw new IllegalStateException("DELETE /api/posts/{id}: " + deleted);
      }
      gone.add(untilSearch(api, seed, word, text -> !text.contains(id), System.nanoTime()));
    }
    System.out.printf("search freshness over %d posts: found after p50 %d ms, p90 %d ms, max %d ms;"
        + " gone after deletion p50 %d ms, p90 %d ms, max %d ms%n", samples, percentile(found, 50),
        percentile(found, 90), percentile(found, 100), percentile(gone, 50), percentile(gone, 90), percentile(gone, 100));
  }

  /** Milliseconds from {@code since} until a search for {@code word} answers as {@code done} wants (at most 30 s). */
  private static long untilSearch(Api api, Seed seed, String word, java.util.function.Predicate<String> done,
                                  long since) throws InterruptedException {
    while (System.nanoTime() - since < 30_000_000_000L) {
      Api.Response r = api.get("/api/search?q=" + word, seed.adminToken());
      if (r.status() == 200 && r.text().contains("\"engine\":\"index\"") && done.test(r.text())) {
        return (System.nanoTime() - since) / 1_000_000;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("search for " + word + " did not change within 30 s");
  }

  private static long percentile(List<Long> values, int p) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static void run(BenchOptions options) throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    try (Target target = options.target() == null
             ? Target.inProcess(cores, options.settings()) : Target.remote(options.target());
         BareServer bare = BareServer.start(cores);
         LoadGenerator load = new LoadGenerator(options.connections(), options.clientLoops(), options.idempotencyKeys())) {
      Api api = new Api(target.server.host(), target.server.port());
      Seed seed = Seed.create(api, target.config);
      if (options.seedPosts() > 0) {
        seedForSearch(api, target, seed, options.seedPosts());
        searchFreshness(api, seed, 20);
      }
      Scenarios scenarios = new Scenarios(bare.server, target.server, api, seed, new WriteChecks(target.config),
          options.connections());
      Report report = new Report(System.out);
      report.header(String.format("LiveForum bench: %s; bare endpoint: %d instances; %d cores;"
              + " %d connections, %d client event loops; %d s warm-up, %d s measured per scenario",
          target.description, cores, cores, options.connections(), options.clientLoops(),
          options.warmup().toSeconds(), options.duration().toSeconds()));
      for (String name : options.scenarios()) {
        Scenario scenario = scenarios.create(name);
        Scenario.After after = scenario.check().begin();
        Outcome outcome = load.run(scenario, options.warmup(), options.duration());
        report.scenario(outcome, outcome.available() ? after.lines(outcome) : List.of());
      }
      report.ratio();
    }
  }
}
