package dev.liveforum.auth;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts what people do against the named limits ({@link Config.Limits}), through the cache role's
 * fixed-window counters in Redis ({@link Address#RATE_LIMIT_HIT}), so a limit holds across every node. The
 * edges (HTTP, bridge) ask before they forward an action. Limits fail open: when the limiter cannot be
 * reached the action is allowed and a warning logged, as for logins; writes never depend on Redis.
 */
public final class RateLimits {
  private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

  /** Who acts: a user (null for a guest) with the time their account was made (null: unknown), from a client IP (null: not counted by IP). */
  public record Who(Long userId, Long joinedAtMs, String ip) {}

  /** One limit to count, for one {@code target} (e.g. {@code post:7}; empty for the action as a whole). */
  public record Count(Config.Limit limit, String target) {
    public static Count of(Config.Limit limit) {
      return new Count(limit, "");
    }
  }

  /** A refusal: what was limited, when to try again, in words a person can act on. */
  public record Refusal(String action, long retryAfterSeconds, String detail) {}

  private final Vertx vertx;
  private final Config.Limits limits;
  private final int newAccountHours;
  private final long timeoutMs;

  public RateLimits(Vertx vertx, Config.Limits limits, long timeoutMs) {
    this.vertx = vertx;
    this.limits = limits;
    this.newAccountHours = limits.newAccountHours();
    this.timeoutMs = timeoutMs;
  }

  /** The limits counted. */
  public Config.Limits limits() {
    return limits;
  }

  /**
   * Counts one action by {@code who} against each of {@code counts}, per user and per IP: the refusal with
   * the longest wait when any limit is over, else null. With several counters, each is first only read
   * ({@link Address#RATE_LIMIT_CHECK}): an action refused by one counts on none, so a user who keeps trying
   * past their own limit does not use up their address's (shared by everyone behind one NAT). Then all are
   * counted; a request that raced others past a limit between the two is refused then.
   */
  public Future<Refusal> count(Who who, String requestId, List<Count> counts) {
    List<Counter> counters = counters(who, counts);
    Future<Refusal> checked = counters.size() < 2 ? Future.succeededFuture()
        : longest(counters.stream().map(c -> ask(Address.RATE_LIMIT_CHECK, c, requestId)).toList());
    return checked.compose(refusal -> refusal != null ? Future.succeededFuture(refusal)
        : longest(counters.stream().map(c -> ask(Address.RATE_LIMIT_HIT, c, requestId)).toList()));
  }

  /** One Redis counter of a limit: its key, how many it allows and who that is said of. */
  private record Counter(Config.Limit limit, String key, int allowed, String whom) {}

  private List<Counter> counters(Who who, List<Count> counts) {
    boolean isNew = isNew(who);
    List<Counter> counters = new ArrayList<>();
    for (Count c : counts) {
      Config.Limit limit = c.limit();
      String key = "w:" + limit.action() + (c.target().isEmpty() ? "" : ":" + c.target());
      if (who.userId() != null) {
        boolean stricter = isNew && limit.newAccount() < limit.perUser();
        counters.add(new Counter(limit, key + ":u:" + who.userId(), isNew ? limit.newAccount() : limit.perUser(),
            stricter ? "for an account younger than " + newAccountHours + (newAccountHours == 1 ? " hour" : " hours")
                : "for each user"));
      }
      if (who.ip() != null && limit.perIp() > 0) {
        counters.add(new Counter(limit, key + ":ip:" + who.ip(), limit.perIp(), "from one address"));
      }
    }
    return counters;
  }

  private static Future<Refusal> longest(List<Future<Refusal>> answers) {
    return Future.join(answers).transform(ar -> {
      Refusal longest = null;
      for (Future<Refusal> answer : answers) {
        Refusal r = answer.result();
        if (r != null && (longest == null || r.retryAfterSeconds() > longest.retryAfterSeconds())) {
          longest = r;
        }
      }
      return Future.succeededFuture(longest);
    });
  }

  private boolean isNew(Who who) {
    return who.joinedAtMs() != null && System.currentTimeMillis() - who.joinedAtMs() < newAccountHours * 3_600_000L;
  }

  /** Counts ({@code RATE_LIMIT_HIT}) or reads ({@code RATE_LIMIT_CHECK}) one counter; a failure to ask allows. */
  private Future<Refusal> ask(String address, Counter c, String requestId) {
    Config.Limit limit = c.limit();
    JsonObject ask = new JsonObject().put(Field.KEY, c.key()).put(Field.LIMIT, c.allowed())
        .put(Field.WINDOW_SECONDS, limit.windowSeconds());
    return Bus.request(vertx, address, ask, requestId, timeoutMs).transform(ar -> {
      if (ar.failed()) {
        log.warn("{} rate limit not applied: {} [request {}]", limit.action(), ar.cause().getMessage(), requestId);
        return Future.succeededFuture();
      }
      if (ar.result().getBoolean(Field.ALLOWED)) {
        return Future.succeededFuture();
      }
      long retry = ar.result().getLong(Field.RETRY_AFTER);
      return Future.succeededFuture(new Refusal(limit.action(), retry, "too many " + limit.what() + ": at most "
          + c.allowed() + " every " + limit.windowSeconds() + " seconds " + c.whom() + "; try again in " + retry
          + " seconds"));
    });
  }
}
