package dev.liveforum.stats;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Bus;
import dev.liveforum.bus.Endpoints;
import dev.liveforum.bus.StoreGate;
import dev.liveforum.config.Config;
import dev.liveforum.event.Events;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * Daily statistics: counts the domain events into Redis as they happen, rebuilds a day from the
 * database when Redis lacks it, serves the {@code stats.*} commands and pushes today's figures live.
 */
public class StatsVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(StatsVerticle.class);
  private static final long RETRY_MS = 5000;
  private static final long RUNNING_MS = 60_000;

  private Redis client;
  private StoreGate gate;
  private LiveFigures live;
  /** Redis answers a PING in well under a millisecond, even busy. */
  private static final long REDIS_PROBE_TIMEOUT_MS = 1000;
  private long retryTimer;
  private boolean caughtUp;
  private long runningSaidAt;

  @Override
  public Future<?> start() {
    Config config = Config.from(config());
    client = Redis.createClient(vertx, config.redis().clientOptions(4));
    DailyStore store = new DailyStore(client, config.redis().keyPrefix());
    Function<String, Function<JsonObject, Future<JsonObject>>> persistence =
        address -> body -> Bus.request(vertx, address, body, null, config.busTimeoutMs());
    Rebuilds rebuilds = new Rebuilds(vertx, store, persistence.apply(Address.PERSISTENCE_STATS_DAYS),
        config.busTimeoutMs());
    Statistics statistics = new Statistics(store, rebuilds, persistence.apply(Address.PERSISTENCE_STATS_SUMMARY));
    Endpoints endpoints = new Endpoints(vertx);
    // Served only while Redis answers: a stats node that lost it steps back (see StoreGate).
    RedisAPI redis = RedisAPI.api(client);
    gate = new StoreGate(vertx, "stats", () -> redis.ping(List.of()), REDIS_PROBE_TIMEOUT_MS);
    gate.serve(Address.STATS_DAILY, statistics::daily);
    gate.serve(Address.STATS_SUMMARY, statistics::summary);
    gate.serve(Address.STATS_REBUILD, statistics::rebuild);
    gate.serve(Address.STATS_TODAY, statistics::todayFor);

    live = new LiveFigures(vertx, store, statistics::today);
    live.start();
    EventCounting counting = new EventCounting(store, live);
    for (String type : Events.STATS) {
      endpoints.<JsonObject>listen(Events.address(type), msg -> counting.count(msg.body()));
    }
    retryTimer = vertx.setPeriodic(RETRY_MS, id -> {
      counting.retryIncomplete();
      catchUp(counting);
    });
    // Once every event from now on is counted here, the days nobody counted can be marked.
    return Future.all(endpoints.ready(), gate.start()).onSuccess(all -> catchUp(counting));
  }

  /** Until it has worked once (Redis may be down at start), then to keep saying that a stats node runs. */
  private void catchUp(EventCounting counting) {
    if (!caughtUp) {
      caughtUp = true;
      counting.catchUp().onFailure(t -> {
        caughtUp = false;
        log.warn("statistics could not check for days counted by nobody (will retry): {}", t.getMessage());
      });
    } else if (System.currentTimeMillis() - runningSaidAt > RUNNING_MS) {
      runningSaidAt = System.currentTimeMillis();
      counting.running();
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(retryTimer);
    gate.stop();
    live.stop();
    client.close();
    return Future.succeededFuture();
  }
}
