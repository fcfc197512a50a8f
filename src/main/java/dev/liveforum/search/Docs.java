package dev.liveforum.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;

/**
 * One indexed text, a post (title and body) or a comment, and how it is laid out in Lucene fields.
 * A comment is filed under its post's board, so a board filter finds it too.
 *
 * @param comment   whether this is a comment (else a post)
 * @param id        the post's or the comment's id
 * @param title     the post's title; empty for a comment (its post's title is read from the database)
 * @param createdAt epoch milliseconds
 */
record Docs(boolean comment, long id, long postId, long boardId, long authorId, String authorName, String title,
            String text, long createdAt) {
  static final String KEY = "key";
  static final String KIND = "kind";
  static final String POST_ID = "postId";
  static final String BOARD_ID = "boardId";
  static final String AUTHOR_ID = "authorId";
  static final String AUTHOR_NAME = "authorName";
  static final String CREATED_AT = "createdAt";
  /** Unique and numeric, for the last tie-break of the sort: a post's id × 2, a comment's id × 2 + 1. */
  static final String UID = "uid";
  static final String ID = "id";
  static final String TITLE = "title";
  static final String TEXT = "text";
  static final String TITLE_KO = "title_ko";
  static final String TITLE_EN = "title_en";
  static final String TEXT_KO = "text_ko";
  static final String TEXT_EN = "text_en";
  static final String TITLE_WORDS = "title_words";
  static final String POST = "post";
  static final String COMMENT = "comment";

  static Term keyOfPost(long id) {
    return new Term(KEY, "p" + id);
  }

  static Term keyOfComment(long id) {
    return new Term(KEY, "c" + id);
  }

  static Term postAndComments(long postId) {
    return new Term(POST_ID, Long.toString(postId));
  }

  Term key() {
    return comment ? keyOfComment(id) : keyOfPost(id);
  }

  long uid() {
    return id * 2 + (comment ? 1 : 0);
  }

  Docs withText(String newText) {
    return new Docs(comment, id, postId, boardId, authorId, authorName, title, newText, createdAt);
  }

  Docs withBoard(long board) {
    return new Docs(comment, id, postId, board, authorId, authorName, title, text, createdAt);
  }

  Document document() {
    Document d = new Document();
    d.add(new StringField(KEY, key().text(), Field.Store.NO));
    d.add(new StringField(KIND, comment ? COMMENT : POST, Field.Store.YES));
    d.add(new StringField(POST_ID, Long.toString(postId), Field.Store.YES));
    d.add(new StoredField(ID, id));
    d.add(new NumericDocValuesField(UID, uid()));
    d.add(new LongPoint(BOARD_ID, boardId));
    d.add(new StoredField(BOARD_ID, boardId));
    d.add(new LongPoint(AUTHOR_ID, authorId));
    d.add(new StoredField(AUTHOR_ID, authorId));
    d.add(new StoredField(AUTHOR_NAME, authorName));
    d.add(new LongPoint(CREATED_AT, createdAt));
    d.add(new NumericDocValuesField(CREATED_AT, createdAt));
    d.add(new StoredField(CREATED_AT, createdAt));
    if (!comment) {
      d.add(new StoredField(TITLE, title));
      d.add(new TextField(TITLE_KO, title, Field.Store.NO));
      d.add(new TextField(TITLE_EN, title, Field.Store.NO));
      d.add(new TextField(TITLE_WORDS, title, Field.Store.NO));
    }
    d.add(new StoredField(TEXT, text));
    d.add(new TextField(TEXT_KO, text, Field.Store.NO));
    d.add(new TextField(TEXT_EN, text, Field.Store.NO));
    return d;
  }

  static Docs of(Document d) {
    String title = d.get(TITLE);
    return new Docs(COMMENT.equals(d.get(KIND)), d.getField(ID).numericValue().longValue(),
        Long.parseLong(d.get(POST_ID)), d.getField(BOARD_ID).numericValue().longValue(),
        d.getField(AUTHOR_ID).numericValue().longValue(), d.get(AUTHOR_NAME), title == null ? "" : title,
        d.get(TEXT), d.getField(CREATED_AT).numericValue().longValue());
  }
}
