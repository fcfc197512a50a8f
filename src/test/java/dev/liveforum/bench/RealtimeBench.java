package dev.liveforum.bench;

import dev.liveforum.bus.Channel;
import dev.liveforum.config.Config;
import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.TestServices;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * LiveForum's realtime load tool. Starts LiveForum nodes as JVMs of their own, seeds users and posts
 * through the API, and measures three things: delivery (N subscribers of one post, comments through REST
 * at a fixed rate: loss and REST-to-delivery latency, on one node and on two), saturation (comments as
 * fast as the bridge delivers them, against Vert.x's bare SockJS bridge publishing to as many sockets in
 * the same run), and idle capacity (one node's heap with N idle authenticated connections, and after
 * they close). It reports and never judges: a completed run exits 0.
 *
 * <pre>./mvnw -q test-compile exec:java@bench-realtime -Dexec.args="--subscribers 1000"</pre>
 */
public final class RealtimeBench {
  private static final String HOST = "127.0.0.1";
  private static final String BARE_ADDRESS = "bench.bare";
  private static final String PLACEHOLDER = "@@MARK@@";
  /** How long after the last event its stragglers are waited for before they count as lost. */
  private static final Duration GRACE = Duration.ofSeconds(10);

  private final RealtimeOptions options;
  private final PrintStream out = System.out;
  private final int cores = Runtime.getRuntime().availableProcessors();
  private final Path work;
  private Seed seed;
  private int nextPost;

  private RealtimeBench(RealtimeOptions options, Path work) {
    this.options = options;
    this.work = work;
  }

  public static void main(String[] args) {
    RealtimeOptions options;
    try {
      options = RealtimeOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + RealtimeOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(RealtimeOptions.USAGE);
      return;
    }
    int status = 0;
    try {
      new RealtimeBench(options, Files.createDirectories(Path.of("target", "rtbench"))).run();
    } catch (Config.ConfigException e) {
      System.err.println(e.getMessage());
      status = 2;
    } catch (Exception e) {
      System.err.println("The realtime bench could not complete: " + e);
      e.printStackTrace();
      status = 1;
    } finally {
      TestServices.cleanUp();
    }
    System.exit(status);
  }

  private void run() throws Exception {
    // Every simulated client connects from this machine: one IP, so no per-IP socket cap.
    Config base = TestServices.config().with(Setting.HTTP_INSTANCES, cores).with(Setting.ACCESS_TTL, 86_400)
        .with(Setting.BRIDGE_MAX_SOCKETS_PER_IP, Integer.MAX_VALUE)
        .with(Setting.BRIDGE_MAX_CONNECTIONS_PER_IP, 1_000_000).with(Setting.BRIDGE_MAX_CONNECTIONS, 1_000_000)
        .with(Setting.HTTP_MAX_CONNECTIONS_PER_IP, 1_000_000).with(Setting.HTTP_MAX_CONNECTIONS, 1_000_000);
    for (Map.Entry<Setting, String> s : options.settings().entrySet()) {
      base = base.with(s.getKey(), s.getValue());
    }
    out.printf("%nLiveForum realtime bench: %d cores; open files per process %s (soft and hard limit);"
            + " local ports %s; server JVMs -Xmx%s, logs in %s%n", cores, openFileLimit(),
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().replace('\t', '-'),
        options.serverHeap(), work.toAbsolutePath());
    List<Integer> counts = options.subscribers().stream().filter(n -> n > 0).toList();
    for (int nodes : options.nodes()) {
      boolean saturate = nodes == 1 && options.saturate() > 0;
      if (counts.isEmpty() && !saturate) {
        continue;
      }
      try (ServerProcesses servers = ServerProcesses.start(nodes, base, saturate, options.serverHeap(), work)) {
        seedOnce(servers, base);
        if (!counts.isEmpty()) {
          deliveryHeader(nodes);
        }
        for (int subscribers : counts) {
          delivery(servers, subscribers);
        }
        if (saturate) {
          saturation(servers, options.saturate());
        }
      }
    }
    if (options.idle() > 0) {
      try (ServerProcesses server = ServerProcesses.start(1, base, false, options.serverHeap(), work)) {
        seedOnce(server, base);
        idle(server, options.idle());
      }
    }
  }

  private void deliveryHeader(int nodes) {
    out.printf("%nDelivery, %d node%s (%s): %d comments/s through REST (to the nodes in turn) for %d s after %d s"
            + " of warm-up; subscribers spread over the nodes%n", nodes, nodes == 1 ? "" : "s",
        nodes == 1 ? "every role" : "node a every role, node b HTTP and bridge only", options.rate(),
        options.duration(), options.warmup());
    out.printf(DELIVERY_ROW, "subscribers", "open s", "comments", "deliveries/s", "lost", "dup", "p50 ms",
        "p99 ms", "max ms", "REST p50", "REST p99", "REST non-2xx, errors");
  }

  private void seedOnce(ServerProcesses servers, Config base) {
    if (seed == null) {
      seed = Seed.create(new Api(HOST, servers.httpPorts.get(0)), base);
    }
  }

  /** A post nobody watched before, so each run's channel starts empty. */
  private long freshPost() {
    return seed.posts().get(nextPost++ % seed.posts().size());
  }

  private static final String DELIVERY_ROW = "%11s %7s %9s %13s %7s %5s %8s %8s %8s %9s %9s  %s%n";

  /** N subscribers of one post; comments at the fixed rate; every subscriber must get every comment. */
  private void delivery(ServerProcesses servers, int subscribers) throws Exception {
    long post = freshPost();
    try (Subscribers sockets = new Subscribers(cores)) {
      Subscribers.Opened opened = sockets.open(HOST, servers.bridgePorts, subscribers, Channel.post(post),
          seed.userTokens());
      int warm = options.rate() * options.warmup();
      int events = warm + options.rate() * options.duration();
      Deliveries deliveries = new Deliveries(subscribers, events, null);
      sockets.countInto(deliveries);
      Tally rest = new Tally();
      IntConsumer comment = comments(servers, post, rest, deliveries);
      long period = TimeUnit.SECONDS.toNanos(1) / options.rate();
      long start = System.nanoTime();
      long measuredStart = 0;
      long deliveredBefore = 0;
      for (int e = 0; e < events; e++) {
        LockSupport.parkNanos(start + e * period - System.nanoTime());
        if (e == warm) {
          deliveries.measureFrom(warm);
          measuredStart = System.nanoTime();
          deliveredBefore = deliveries.delivered();
        }
        deliveries.sending(e);
        comment.accept(e);
      }
      LockSupport.parkNanos(start + events * period - System.nanoTime());
      double rate = (deliveries.delivered() - deliveredBefore) / ((System.nanoTime() - measuredStart) / 1e9);
      awaitStragglers(deliveries, rest, events);
      Histogram latency = deliveries.latency();
      Tally.Summary answers = rest.summary();
      out.printf(DELIVERY_ROW, String.format("%,d", subscribers), seconds(opened.millis()), String.format("%,d", events),
          String.format("%,.0f", rate), String.format("%,d", deliveries.lost()), deliveries.duplicated(),
          ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)), ms(latency.getMaxValue()),
          String.format("%.2f", answers.millisAt(50)), String.format("%.2f", answers.millisAt(99)),
          problems(answers, opened, sockets));
    }
  }

  /**
   * The same N subscribers and the same generator against our bridge and against the bare one, each
   * driven as fast as it delivers: at most {@code window} events in flight, the next sent when one has
   * reached every subscriber. Ours produces each event with a REST comment (database write, outbox, relay,
   * numbering in Redis, fan-out); the bare bridge with a publish frame from one more socket, whose body is
   * a copy of one of our events, so both write frames of the same size.
   */
  private void saturation(ServerProcesses servers, int subscribers) throws Exception {
    out.printf("%nSaturation, 1 node, %,d subscribers, %d events in flight, %d s after %d s of warm-up%n",
        subscribers, options.window(), options.duration(), options.warmup());
    out.printf(SATURATION_ROW, "bridge", "events/s", "deliveries/s", "lost", "dup", "p50 ms", "p99 ms", "max ms",
        "stalls", "server µs/dlv", "problems");
    long post = freshPost();
    String sample;
    Saturated ours;
    try (Subscribers sockets = new Subscribers(cores)) {
      Subscribers.Opened opened = sockets.open(HOST, servers.bridgePorts, subscribers, Channel.post(post),
          seed.userTokens());
      Tally rest = new Tally();
      Saturated run = saturate(servers.first(), sockets, subscribers,
          deliveries -> comments(servers, post, rest, deliveries));
      awaitStragglers(run.deliveries, rest, run.deliveries.sent());
      sample = run.deliveries.sample();
      ours = run;
      saturationRow("LiveForum", run, problems(rest.summary(), opened, sockets));
    }
    if (sample == null) {
      out.println("bare bridge not run: no event of ours arrived to copy");
      return;
    }
    try (Subscribers sockets = new Subscribers(cores)) {
      Subscribers.Opened opened = sockets.open(HOST, List.of(servers.barePort), subscribers, BARE_ADDRESS, List.of());
      WebSocket publisher = sockets.publisher(HOST, servers.barePort);
      String body = new JsonObject(sample).getJsonObject("body").encode().replaceAll("#rtb\\d+#", PLACEHOLDER);
      String frame = "{\"type\":\"publish\",\"address\":\"" + BARE_ADDRESS + "\",\"body\":" + body + "}";
      IntConsumer publish = e -> publisher.writeTextMessage(frame.replace(PLACEHOLDER, Deliveries.mark(e)));
      awaitRegistered(sockets, subscribers, publish);
      Saturated run = saturate(servers.first(), sockets, subscribers, deliveries -> publish);
      awaitStragglers(run.deliveries, null, 0);
      saturationRow("bare Vert.x", run, problems(null, opened, sockets));
      out.printf("LiveForum / bare = %.2f (deliveries/s); server CPU per delivery: LiveForum / bare = %.2f%n",
          ours.deliveriesPerSecond / run.deliveriesPerSecond,
          ours.serverMicrosPerDelivery / run.serverMicrosPerDelivery);
      publisher.close();
    }
  }

  private static final String SATURATION_ROW = "%-12s %9s %13s %7s %5s %8s %8s %8s %7s %13s  %s%n";

  /** {@code serverMicrosPerDelivery}: CPU time of the server JVM over the measurement, per delivery. */
  private record Saturated(Deliveries deliveries, double eventsPerSecond, double deliveriesPerSecond, int stalls,
                           double serverMicrosPerDelivery) {}

  private Saturated saturate(ChildJvm server, Subscribers sockets, int subscribers,
                             Function<Deliveries, IntConsumer> producer) throws Exception {
    Semaphore window = new Semaphore(options.window());
    Deliveries deliveries = new Deliveries(subscribers, 2_000_000, window);
    IntConsumer produce = producer.apply(deliveries);
    sockets.countInto(deliveries);
    long start = System.nanoTime();
    long warmEnd = start + TimeUnit.SECONDS.toNanos(options.warmup());
    long end = warmEnd + TimeUnit.SECONDS.toNanos(options.duration());
    long deliveredBefore = 0;
    long cpuBefore = 0;
    int firstMeasured = -1;
    int stalls = 0;
    int e = 0;
    while (System.nanoTime() < end && e < deliveries.capacity()) {
      // An event that never reaches everyone keeps its permit: after a second the run goes on without it.
      if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
        stalls++;
      }
      if (firstMeasured < 0 && System.nanoTime() >= warmEnd) {
        firstMeasured = e;
        deliveries.measureFrom(e);
        deliveredBefore = deliveries.delivered();
        cpuBefore = server.cpuMillis();
        warmEnd = System.nanoTime();
      }
      deliveries.sending(e);
      produce.accept(e++);
    }
    double seconds = (System.nanoTime() - warmEnd) / 1e9;
    long delivered = deliveries.delivered() - deliveredBefore;
    return new Saturated(deliveries, (e - Math.max(firstMeasured, 0)) / seconds, delivered / seconds, stalls,
        (server.cpuMillis() - cpuBefore) * 1000.0 / Math.max(1, delivered));
  }

  private void saturationRow(String bridge, Saturated run, String problems) {
    Histogram latency = run.deliveries.latency();
    out.printf(SATURATION_ROW, bridge, String.format("%,.0f", run.eventsPerSecond),
        String.format("%,.0f", run.deliveriesPerSecond), String.format("%,d", run.deliveries.lost()),
        run.deliveries.duplicated(), ms(latency.getValueAtPercentile(50)), ms(latency.getValueAtPercentile(99)),
        ms(latency.getMaxValue()), run.stalls, String.format("%.2f", run.serverMicrosPerDelivery), problems);
  }

  /** The bare bridge confirms no registration: probe events go out until one reaches every socket. */
  private void awaitRegistered(Subscribers sockets, int subscribers, IntConsumer publish) throws InterruptedException {
    for (int attempt = 0; attempt < 20; attempt++) {
      Deliveries probe = new Deliveries(subscribers, 1, null);
      sockets.countInto(probe);
      probe.sending(0);
      publish.accept(0);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      while (!probe.complete() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      if (probe.complete()) {
        return;
      }
    }
    throw new IllegalStateException("the bare bridge's sockets never all received a probe");
  }

  /** Waits until every event reached every subscriber and every REST call was answered, or {@link #GRACE}. */
  private static void awaitStragglers(Deliveries deliveries, Tally rest, int requests) throws InterruptedException {
    long deadline = System.nanoTime() + GRACE.toNanos();
    while (System.nanoTime() < deadline && !(deliveries.complete() && (rest == null || rest.count() >= requests))) {
      Thread.sleep(20);
    }
  }

  /** Comment {@code e} on {@code post}, by the seeded users in turn, through the nodes' REST APIs in turn. */
  private IntConsumer comments(ServerProcesses servers, long post, Tally rest, Deliveries deliveries) {
    List<Api> apis = new ArrayList<>();
    servers.httpPorts.forEach(port -> apis.add(new Api(HOST, port)));
    List<String> tokens = seed.userTokens();
    String path = "/api/posts/" + post + "/comments";
    return e -> {
      long start = System.nanoTime();
      apis.get(e % apis.size()).sendAsync(HttpMethod.POST, path, tokens.get(e % tokens.size()), null,
              new JsonObject().put("content", "Realtime benchmark comment " + Deliveries.mark(e)).toBuffer())
          .onComplete(r -> {
            if (r.succeeded()) {
              rest.answered(r.result().status(), System.nanoTime() - start);
            } else {
              rest.failed(r.cause());
            }
            if (r.failed() || r.result().status() / 100 != 2) {
              deliveries.failed(e);
            }
          });
    };
  }

  /**
   * One node holding N idle authenticated connections (opened by client JVMs of their own, as one process
   * may not hold them all): the time to open and subscribe them, and the server's heap after a full
   * collection before, with them open, and after they closed.
   */
  private void idle(ServerProcesses server, int connections) throws Exception {
    ChildJvm node = server.first();
    long post = freshPost();
    Path tokens = work.resolve("tokens.txt");
    Files.write(tokens, seed.userTokens());
    long filesBefore = node.openFiles();
    long heapBefore = node.heapUsedAfterGc();
    List<ChildJvm> clients = new ArrayList<>();
    try {
      int processes = (connections + options.idlePerProcess() - 1) / options.idlePerProcess();
      for (int i = 0; i < processes; i++) {
        int count = connections / processes + (i < connections % processes ? 1 : 0);
        ChildJvm client = ChildJvm.start("idle-clients-" + i, work, List.of("-Xmx1g", "-XX:+UseSerialGC"),
            IdleClients.class, List.of(HOST, Integer.toString(server.bridgePorts.get(0)), Channel.post(post),
                Integer.toString(count), tokens.toString()));
        clients.add(client);
        client.await("READY", Duration.ofMinutes(1));
      }
      long start = System.nanoTime();
      clients.forEach(c -> c.tell("OPEN"));
      long subscribed = 0;
      long failed = 0;
      long errors = 0;
      for (ChildJvm client : clients) {
        String[] answer = client.await("OPENED", Duration.ofMinutes(15)).split(" ", 5);
        subscribed += Long.parseLong(answer[0]) - Long.parseLong(answer[1]);
        failed += Long.parseLong(answer[1]);
        errors += Long.parseLong(answer[3]);
        if (answer.length > 4) {
          out.println(client.name + ": first failure: " + answer[4]);
        }
      }
      long openMillis = (System.nanoTime() - start) / 1_000_000;
      long filesOpen = node.openFiles();
      long heapOpen = node.heapUsedAfterGc();
      Files.writeString(work.resolve("idle-heap-open.txt"), node.heapHistogram(400));
      clients.forEach(c -> c.tell("CLOSE"));
      long closedByServer = 0;
      for (ChildJvm client : clients) {
        closedByServer += Long.parseLong(client.await("CLOSED", Duration.ofMinutes(5)).split(" ")[1]);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (node.openFiles() > filesBefore + 20 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String viewers = viewersSeenByNewcomer(server, post);
      long filesAfter = node.openFiles();
      long heapAfter = node.heapUsedAfterGc();
      Thread.sleep(30_000);
      long heapLater = node.heapUsedAfterGc();
      Path histogram = work.resolve("idle-heap-after-close.txt");
      Files.writeString(histogram, node.heapHistogram(400));
      double perConnection = (heapOpen - heapBefore) / (double) Math.max(1, subscribed);
      out.printf("%nIdle connections, 1 node (every role), %d client JVMs: %s%n", processes,
          ChildJvm.describe(clients));
      out.printf("  opened and subscribed %,d of %,d in %.1f s (%,.0f/s); %,d failed, %,d error frames%n",
          subscribed, connections, openMillis / 1000.0, subscribed / (openMillis / 1000.0), failed, errors);
      out.printf("  %,d of them were closed by the server before the clients closed them%n", closedByServer);
      out.printf("  a socket subscribing after they closed is told: %s%n", viewers);
      out.printf("  server heap after full GC: %s before, %s with them open, %s after they closed, %s 30 s later%n",
          mib(heapBefore), mib(heapOpen), mib(heapAfter), mib(heapLater));
      out.printf("  per connection %.1f KiB; extrapolated to 20,000 connections: %s (not measured)%n",
          perConnection / 1024, mib(heapBefore + (long) (perConnection * 20_000)));
      out.printf("  server open files: %,d before, %,d with them open, %,d after; heap histogram after: %s%n",
          filesBefore, filesOpen, filesAfter, histogram);
    } finally {
      for (ChildJvm client : clients) {
        client.close();
      }
    }
  }

  /** What the presence count says to one new watcher of {@code post}: the server's idea of who still watches. */
  private String viewersSeenByNewcomer(ServerProcesses server, long post) throws InterruptedException {
    try (Subscribers newcomer = new Subscribers(1)) {
      newcomer.open(HOST, server.bridgePorts, 1, Channel.post(post), seed.userTokens());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (newcomer.lastPresence() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      String presence = newcomer.lastPresence();
      return presence == null ? "no presence frame within 5 s"
          : new JsonObject(presence).getJsonObject("body").getJsonObject("data").encode();
    }
  }

  private static String problems(Tally.Summary rest, Subscribers.Opened opened, Subscribers sockets) {
    List<String> found = new ArrayList<>();
    if (rest != null) {
      rest.statuses().forEach((status, n) -> {
        if (status < 200 || status > 299) {
          found.add(status + ":" + n);
        }
      });
      rest.errors().forEach((kind, n) -> found.add(kind + ":" + n));
    }
    if (opened.failed() > 0) {
      found.add(opened.failed() + " sockets failed to open (" + opened.firstFailure() + ")");
    }
    if (sockets.errorFrames() > 0) {
      found.add(sockets.errorFrames() + " error frames, first " + sockets.firstError());
    }
    if (sockets.closedByServer() > 0) {
      found.add(sockets.closedByServer() + " sockets closed by the server");
    }
    return found.isEmpty() ? "-" : String.join(", ", found);
  }

  private static String openFileLimit() {
    try {
      return Files.readAllLines(Path.of("/proc/self/limits")).stream().filter(l -> l.startsWith("Max open files"))
          .map(l -> l.replaceAll("Max open files\\s+(\\S+)\\s+(\\S+).*", "$1/$2")).findFirst().orElse("?");
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static String ms(long micros) {
    return String.format("%.2f", micros / 1000.0);
  }

  private static String seconds(long millis) {
    return String.format("%.1f", millis / 1000.0);
  }

  private static String mib(long bytes) {
    return String.format("%,.1f MiB", bytes / (1024.0 * 1024));
  }
}
