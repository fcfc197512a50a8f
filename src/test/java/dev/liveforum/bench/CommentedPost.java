package dev.liveforum.bench;

import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;

/**
 * The post the {@code post-page} scenario reads, with a thread of {@link #COMMENTS} comments made
 * through the API by the seeded users in turn: {@link #ROOTS} top-level comments, every second one
 * followed by a chain of {@link #CHAIN} replies (a reply, a reply to it, and one to that). Comments are
 * made in the order the page shows them (depth-first), so the last one made is the page's last.
 */
record CommentedPost(long id, String title, String lastComment) {
  static final int ROOTS = 20;
  static final int CHAIN = 3;
  static final int COMMENTS = ROOTS + ROOTS / 2 * CHAIN;

  static CommentedPost create(Api api, Seed seed) {
    String title = "Benchmark thread with " + COMMENTS + " comments";
    Forum forum = new Forum(api);
    long post = forum.postId(seed.userTokens().get(0), seed.board(), title,
        "A post the benchmark reads as a page, with its whole thread of comments and replies below it.");
    int made = 0;
    String last = null;
    for (int root = 0; root < ROOTS; root++) {
      Long parent = null;
      for (int depth = 0; depth <= (root % 2 == 1 ? CHAIN : 0); depth++) {
        last = text(++made);
        parent = forum.commentId(seed.userTokens().get(made % seed.userTokens().size()), post, parent, last);
      }
    }
    return new CommentedPost(post, title, last);
  }

  private static String text(int n) {
    return "Comment " + n + " of " + COMMENTS + " in the benchmark thread: about as long as what people write,"
        + " a sentence or two that answers the post or the comment above it.";
  }

  /** Makes one comment (a reply when {@code parent} is set); returns its id. */
}
