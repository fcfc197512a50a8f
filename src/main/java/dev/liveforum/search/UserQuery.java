package dev.liveforum.search;

import dev.liveforum.bus.Failure;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a reader typed, read without any query syntax: text in double quotes is a phrase, every other
 * run of non-space characters a word. Nothing else means anything (no AND, OR, NOT, field:, wildcards or
 * escapes), so no text can make a query that throws or costs more than {@link #MAX_TERMS} words of at
 * most {@link #MAX_CHARS} characters in all. A word matches when any field has it in either reading
 * (titles count twice); any word may match, more matches rank higher; a phrase must match.
 *
 * @param words   at most {@link #MAX_TERMS}, with the phrases
 * @param phrases the quoted parts; an unclosed quote is no phrase, its words are words
 */
record UserQuery(List<String> words, List<String> phrases) {
  static final int MAX_CHARS = 200;
  static final int MAX_TERMS = 16;
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final Pattern HAS_WORD = Pattern.compile("[\\p{L}\\p{N}]");
  private static final float TITLE_BOOST = 2f;
  private static final Analyzer KOREAN_WHOLE = Analysis.koreanWhole();

  static UserQuery parse(String text) {
    String q = text == null ? "" : text.strip();
    if (q.isEmpty() || q.length() > MAX_CHARS) {
      throw Failure.badRequest("q must be 1 to " + MAX_CHARS + " characters");
    }
    if (!HAS_WORD.matcher(q).find()) {
      throw Failure.badRequest("q must contain a word (letters or digits) to search for");
    }
    List<String> words = new ArrayList<>();
    List<String> phrases = new ArrayList<>();
    String[] parts = q.split("\"", -1);
    for (int i = 0; i < parts.length; i++) {
      boolean quoted = i % 2 == 1 && i < parts.length - 1;
      String part = parts[i].strip();
      if (quoted && SPACE.matcher(part).find()) {
        phrases.add(part);
      } else if (!part.isEmpty()) {
        words.addAll(List.of(SPACE.split(part)));
      }
    }
    int room = Math.max(0, MAX_TERMS - phrases.size());
    return new UserQuery(words.size() > room ? List.copyOf(words.subList(0, room)) : words,
        phrases.size() > MAX_TERMS ? List.copyOf(phrases.subList(0, MAX_TERMS)) : phrases);
  }

  /** The Lucene query, or null when no word survives analysis (only stopwords or punctuation). */
  Query toLucene(QueryBuilder builder) {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    int clauses = 0;
    for (String word : words) {
      Query q = anyField(builder, word);
      if (q != null) {
        all.add(q, Occur.SHOULD);
        clauses++;
      }
    }
    for (String phrase : phrases) {
      Query q = anyField(builder, phrase);
      if (q != null) {
        all.add(q, Occur.MUST);
        clauses++;
      }
    }
    return clauses == 0 ? null : all.build();
  }

  /** The text's tokens in order, in any of the fields, either reading. */
  private static Query anyField(QueryBuilder builder, String text) {
    List<Query> alternatives = new ArrayList<>();
    List<String> whole = Tokens.of(KOREAN_WHOLE, text);
    for (String field : List.of(Docs.TITLE_KO, Docs.TITLE_EN, Docs.TEXT_KO, Docs.TEXT_EN)) {
      Query q = Analysis.isKorean(field) && whole.size() == 1 ? new TermQuery(new Term(field, whole.get(0)))
          : builder.createPhraseQuery(field, text);
      if (q != null) {
        alternatives.add(field.startsWith("title") ? new BoostQuery(q, TITLE_BOOST) : q);
      }
    }
    return alternatives.isEmpty() ? null : new DisjunctionMaxQuery(alternatives, 0.1f);
  }
}
