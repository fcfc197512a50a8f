package dev.liveforum.bench;

import dev.liveforum.config.Config;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;

import java.util.ArrayList;
import java.util.List;

/**
 * The bench's own data, made through the real API: an admin, one board, {@link #USERS} signed-in users
 * and {@link #POSTS} posts by them. The first {@link #FEW} posts are the ones read and commented on.
 */
record Seed(String adminToken, long board, List<String> userTokens, List<Long> posts) {
  static final int USERS = 200;
  static final int POSTS = 100;
  static final int FEW = 10;

  private static final String CONTENT = """
      A post the benchmark reads. It has **a little Markdown**, a [link](https://example.com) and a list:

      - one
      - two

      and enough text to look like a real first post in a thread, about the size of a short paragraph
      that someone would write when asking a question or starting a discussion on a forum.
      """;

  static Seed create(Api api, Config config) {
    Forum forum = new Forum(api, config);
    long board = forum.board("bench");
    List<String> users = new ArrayList<>();
    for (int i = 0; i < USERS; i++) {
      users.add(forum.user("bench"));
    }
    List<Long> posts = new ArrayList<>();
    for (int i = 0; i < POSTS; i++) {
      posts.add(forum.post(users.get(i % USERS), board, "Benchmark post " + i, CONTENT).getLong("id"));
    }
    return new Seed(forum.adminToken(), board, List.copyOf(users), List.copyOf(posts));
  }

  List<Long> few() {
    return posts.subList(0, FEW);
  }
}
