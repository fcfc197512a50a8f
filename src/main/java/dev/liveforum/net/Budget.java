package dev.liveforum.net;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

import java.util.HashMap;
import java.util.Map;

/**
 * An amount in use (connections, bytes) per client and in all, with a cap on each, shared by every
 * verticle instance of one node: each instance serves its own share of a port's connections, and a cap
 * per node that each counted apart would be as many caps as there are instances.
 */
public final class Budget implements Shareable {
  /** What {@link #take} decided. */
  public enum Verdict { TAKEN, OVER_CLIENT, OVER_TOTAL }

  private final long perClient;
  private final long total;
  private final Map<String, Long> used = new HashMap<>();
  private long inUse;

  private Budget(long perClient, long total) {
    this.perClient = perClient;
    this.total = total;
  }

  /** The node's budget called {@code name}: made with these caps by the first instance that asks. */
  public static Budget of(Vertx vertx, String name, long perClient, long total) {
    Budget made = new Budget(perClient, total);
    Budget existing = vertx.sharedData().<String, Budget>getLocalMap("liveforum.budgets").putIfAbsent(name, made);
    return existing != null ? existing : made;
  }

  /** Takes {@code amount} for {@code client}, or for no client in particular when it is null (only the total counts). */
  public synchronized Verdict take(String client, long amount) {
    long mine = client == null ? 0 : used.getOrDefault(client, 0L);
    if (client != null && mine + amount > perClient) {
      return Verdict.OVER_CLIENT;
    }
    if (inUse + amount > total) {
      return Verdict.OVER_TOTAL;
    }
    if (client != null) {
      used.put(client, mine + amount);
    }
    inUse += amount;
    return Verdict.TAKEN;
  }

  /** Gives back what {@link #take} took. */
  public synchronized void give(String client, long amount) {
    inUse -= amount;
    if (client != null) {
      used.computeIfPresent(client, (k, mine) -> mine > amount ? mine - amount : null);
    }
  }

  public long perClient() {
    return perClient;
  }

  public long total() {
    return total;
  }
}
