package dev.liveforum.search;

import org.apache.lucene.index.Term;

/** What one domain event changes in an index. {@link #key()} names the document it concerns. */
sealed interface Change {
  Term key();

  /** A post as it now reads (created or edited). */
  record PutPost(Docs post) implements Change {
    public Term key() {
      return post.key();
    }
  }

  /** A new comment; its board is its post's, looked up in the index. */
  record PutComment(Docs comment) implements Change {
    public Term key() {
      return comment.key();
    }
  }

  /** A comment's new text. */
  record EditComment(long id, String text) implements Change {
    public Term key() {
      return Docs.keyOfComment(id);
    }
  }

  /** A deleted post: it goes with its comments. */
  record DeletePost(long id) implements Change {
    public Term key() {
      return Docs.keyOfPost(id);
    }
  }

  record DeleteComment(long id) implements Change {
    public Term key() {
      return Docs.keyOfComment(id);
    }
  }
}
