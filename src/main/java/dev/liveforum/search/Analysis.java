package dev.liveforum.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.DelegatingAnalyzerWrapper;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.ko.KoreanPartOfSpeechStopFilter;
import org.apache.lucene.analysis.ko.KoreanReadingFormFilter;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.apache.lucene.analysis.ko.POS;
import org.apache.lucene.analysis.miscellaneous.LimitTokenCountFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * How text becomes terms. Every text is indexed twice: once read as Korean (Nori's morphology: nouns
 * without their particles, compounds as a whole and in parts) and once as English (words, stemmed); a
 * word matches when either reading has it. Measured on the words of issue 14: the Korean reading alone
 * finds 댓글, 알림, 후기, 웹소켓 (in 웹소켓으로) and 편하네요 but not {@code comment} in
 * {@code comments}; the English reading alone finds the English words but no Korean word with a
 * particle. The Korean reading drops Latin words and numbers (the English one has them), so an English
 * stopword is not found through it.
 */
final class Analysis {
  /** A post's body is at most 40,000 characters; past this many terms a text adds no more. */
  private static final int MAX_TOKENS = 20_000;

  private static final Set<POS.Tag> KOREAN_STOP_TAGS = stopTags();

  private Analysis() {}

  /** Nori, compounds kept whole and split ({@code MIXED}), particles, endings and Latin words dropped. */
  static Analyzer korean() {
    return korean(KoreanTokenizer.DecompoundMode.MIXED);
  }

  /**
   * As {@link #korean()}, compounds kept whole only: a query word that this reads as one token is in the
   * index as that token (MIXED indexes the whole compound too), so it is one term to look up rather than
   * the compound's graph (댓글 | 댓 글), whose phrase half made common Korean words cost several times
   * an English one (measured: 10 ms against 1.8 ms on 20,000 posts).
   */
  static Analyzer koreanWhole() {
    return korean(KoreanTokenizer.DecompoundMode.NONE);
  }

  private static Analyzer korean(KoreanTokenizer.DecompoundMode mode) {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer tokenizer = new KoreanTokenizer(TokenStream.DEFAULT_TOKEN_ATTRIBUTE_FACTORY, null, mode, false);
        TokenStream stream = new KoreanPartOfSpeechStopFilter(tokenizer, KOREAN_STOP_TAGS);
        stream = new KoreanReadingFormFilter(stream);
        stream = new LowerCaseFilter(stream);
        return new TokenStreamComponents(tokenizer, new LimitTokenCountFilter(stream, MAX_TOKENS));
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
  }

  /** Unicode words, lower case, English stopwords dropped, Porter-stemmed (EnglishAnalyzer's chain). Other scripts are found as words. */
  static Analyzer english() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer tokenizer = new StandardTokenizer();
        TokenStream stream = new EnglishPossessiveFilter(tokenizer);
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(tokenizer, new LimitTokenCountFilter(stream, MAX_TOKENS));
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
  }

  /** Words as written, lower case: what a title suggestion matches the typed prefix against. */
  static Analyzer words() {
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String field) {
        Tokenizer tokenizer = new StandardTokenizer();
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(tokenizer));
      }

      @Override
      protected TokenStream normalize(String field, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
  }

  /** The analyzer of each field (see {@link Docs}): a text field's name ends with its reading. */
  static Analyzer perField() {
    Analyzer korean = korean();
    Analyzer english = english();
    Analyzer words = words();
    Map<String, Analyzer> byField = Map.of(
        Docs.TITLE_KO, korean, Docs.TEXT_KO, korean,
        Docs.TITLE_EN, english, Docs.TEXT_EN, english,
        Docs.TITLE_WORDS, words);
    return new DelegatingAnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
      @Override
      protected Analyzer getWrappedAnalyzer(String field) {
        return byField.getOrDefault(field, words);
      }
    };
  }

  /** Whether {@code field} is read as Korean (else as English). */
  static boolean isKorean(String field) {
    return field.endsWith("_ko");
  }

  private static Set<POS.Tag> stopTags() {
    Set<POS.Tag> tags = EnumSet.copyOf(KoreanPartOfSpeechStopFilter.DEFAULT_STOP_TAGS);
    tags.add(POS.Tag.SL); // foreign (Latin) words: the English reading has them, stemmed
    tags.add(POS.Tag.SN); // numbers: likewise
    return tags;
  }
}
