package dev.liveforum.search;

import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * One Lucene index in one directory: a writer, and searchers that see its changes within
 * {@link #STALE_MS} (near-real-time, without a commit). Thread-safe; every method does IO, so callers
 * run them on worker threads.
 */
final class SearchIndex implements AutoCloseable {
  /** How old a searcher's view may get while changes wait: a post is found well within a second. */
  static final double STALE_MS = 200;

  final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;

  private SearchIndex(Path path) throws IOException {
    this.path = path;
    directory = FSDirectory.open(path);
    IndexWriterConfig config = new IndexWriterConfig(Analysis.perField())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setRAMBufferSizeMB(32);
    writer = new IndexWriter(directory, config);
    searchers = new SearcherManager(writer, new SearcherFactory());
    reopener = new ControlledRealTimeReopenThread<>(writer, searchers, STALE_MS / 1000, 0.01);
    reopener.setName("search-reopen-" + path.getFileName());
    reopener.setDaemon(true);
    reopener.start();
  }

  static SearchIndex open(Path path) {
    try {
      return new SearchIndex(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the search index in " + path, e);
    }
  }

  long docs() {
    return writer.getDocStats().numDocs;
  }

  void put(Docs doc) {
    call(() -> writer.updateDocument(doc.key(), doc.document()));
  }

  void delete(Term... terms) {
    call(() -> writer.deleteDocuments(terms));
  }

  /** The document under {@code key} as last seen by a searcher, or null. */
  Docs find(Term key) {
    return read(searcher -> {
      try {
        TopDocs top = searcher.search(new TermQuery(key), 1);
        if (top.scoreDocs.length == 0) {
          return null;
        }
        Document doc = searcher.storedFields().document(top.scoreDocs[0].doc);
        return Docs.of(doc);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Makes every change so far visible to the next search at once. */
  void refresh() {
    io(searchers::maybeRefreshBlocking);
  }

  void commit() {
    call(writer::commit);
  }

  <T> T read(Function<IndexSearcher, T> work) {
    IndexSearcher searcher = call(searchers::acquire);
    try {
      return work.apply(searcher);
    } finally {
      io(() -> searchers.release(searcher));
    }
  }

  @Override
  public void close() {
    reopener.close();
    io(() -> {
      searchers.close();
      writer.close();
      directory.close();
    });
  }

  private interface IoWork<T> {
    T run() throws IOException;
  }

  private interface IoStep {
    void run() throws IOException;
  }

  private static <T> T call(IoWork<T> work) {
    try {
      return work.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void io(IoStep step) {
    call(() -> {
      step.run();
      return null;
    });
  }
}
