package dev.liveforum.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit in the application: writes that arrive while a transaction is in flight wait for it and
 * then go together into the next one, so many writes share one commit (one log flush) and one pass over
 * the locks they need. A write that arrives when nothing is in flight starts at once, alone: no timer,
 * no added latency when the server is quiet.
 *
 * <p>{@code commit} runs one transaction for a batch and returns one outcome per write, in order: a
 * write's own failure (a 404 for its missing post, say) fails only that write. When the transaction as a
 * whole fails, every write of the batch gets that failure. Outcomes are handed out only after the
 * transaction is over, so no caller is told of a write that was then rolled back.
 *
 * <p>The same shape serves any store that does better with one call for many requests: the cache
 * role invalidates the posts of every write waiting in one Redis script call.
 *
 * <p>Not thread-safe, and needs none: it is used from its verticle's event loop, where the SQL and
 * Redis clients also complete their futures.
 */
public final class GroupCommit<I, O> {
  /** At most this many writes per transaction, so that no batch makes its writers wait long. */
  public static final int MAX_BATCH = 128;
  /**
   * Transactions of one kind in flight at once. Two, so that the next batch is already doing its work
   * while the one before waits for its log flush; more would only queue on the same row locks.
   */
  public static final int MAX_IN_FLIGHT = 2;

  private final Function<List<I>, Future<List<Future<O>>>> commit;
  private final Deque<Waiting<I, O>> queue = new ArrayDeque<>();
  private int inFlight;

  public GroupCommit(Function<List<I>, Future<List<Future<O>>>> commit) {
    this.commit = commit;
  }

  public Future<O> submit(I write) {
    Promise<O> answer = Promise.promise();
    queue.add(new Waiting<>(write, answer));
    next();
    return answer.future();
  }

  private void next() {
    if (inFlight == MAX_IN_FLIGHT || queue.isEmpty()) {
      return;
    }
    List<Waiting<I, O>> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size()));
    while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
      batch.add(queue.poll());
    }
    inFlight++;
    Future<List<Future<O>>> done;
    try {
      done = commit.apply(batch.stream().map(Waiting::write).toList());
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> {
      inFlight--;
      for (int i = 0; i < batch.size(); i++) {
        Promise<O> answer = batch.get(i).answer();
        if (ar.succeeded()) {
          answer.handle(ar.result().get(i));
        } else {
          answer.fail(ar.cause());
        }
      }
      next();
    });
  }

  private record Waiting<I, O>(I write, Promise<O> answer) {}
}
