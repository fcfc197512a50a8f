package dev.liveforum.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Marks the words a query matched: the text is read again by both analyzers, and a word whose term
 * (in either reading) the query holds is wrapped in {@code <mark>}. Everything else is HTML-escaped, so
 * the result is safe to place in a page as it is.
 */
final class Highlights {
  /** The part of a long text read for the fragment: a match further in shows the text's start instead. */
  private static final int READ_CHARS = 4_000;
  private static final int BEFORE = 40;

  private final Analyzer korean;
  private final Analyzer english;
  private final Set<String> koreanTerms = new HashSet<>();
  private final Set<String> englishTerms = new HashSet<>();

  Highlights(Analyzer korean, Analyzer english, Query query) {
    this.korean = korean;
    this.english = english;
    Set<Term> terms = new HashSet<>();
    query.visit(QueryVisitor.termCollector(terms));
    for (Term t : terms) {
      (Analysis.isKorean(t.field()) ? koreanTerms : englishTerms).add(t.text());
    }
  }

  /** The whole of a short text (a title), its matches marked. */
  String whole(String text) {
    return render(text, matches(text), 0, text.length());
  }

  /** About {@code chars} characters of {@code text} around its first match, the matches marked. */
  String fragment(String text, int chars) {
    String read = text.length() > READ_CHARS ? text.substring(0, READ_CHARS) : text;
    List<int[]> spans = matches(read);
    int start = 0;
    if (!spans.isEmpty() && spans.get(0)[0] > BEFORE) {
      start = spans.get(0)[0] - BEFORE;
      int space = text.indexOf(' ', start);
      if (space >= 0 && space < spans.get(0)[0]) {
        start = space + 1;
      }
    }
    int end = Math.min(text.length(), start + chars);
    return (start > 0 ? "…" : "") + render(text, spans, start, end) + (end < text.length() ? "…" : "");
  }

  /** Character ranges of matched words, sorted and merged. */
  private List<int[]> matches(String text) {
    List<int[]> spans = new ArrayList<>();
    collect(korean, koreanTerms, text, spans);
    collect(english, englishTerms, text, spans);
    spans.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
    List<int[]> merged = new ArrayList<>();
    for (int[] s : spans) {
      int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && s[0] <= last[1]) {
        last[1] = Math.max(last[1], s[1]);
      } else {
        merged.add(new int[] {s[0], s[1]});
      }
    }
    return merged;
  }

  private static void collect(Analyzer analyzer, Set<String> terms, String text, List<int[]> spans) {
    if (terms.isEmpty()) {
      return;
    }
    try (TokenStream ts = analyzer.tokenStream("", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (terms.contains(term.toString())) {
          spans.add(new int[] {offset.startOffset(), offset.endOffset()});
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String render(String text, List<int[]> spans, int start, int end) {
    StringBuilder out = new StringBuilder(end - start + 32);
    int at = start;
    for (int[] s : spans) {
      int from = Math.max(s[0], start);
      int to = Math.min(s[1], end);
      if (from >= to || from < at) {
        continue;
      }
      escape(text, at, from, out);
      out.append("<mark>");
      escape(text, from, to, out);
      out.append("</mark>");
      at = to;
    }
    escape(text, at, end, out);
    return out.toString();
  }

  private static void escape(String text, int from, int to, StringBuilder out) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
  }
}
