package dev.liveforum.support;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A browser's side of the bridge played by the official {@code @vertx/eventbus-bridge-client.js} over
 * sockjs-client, in a Node.js process running {@code src/test/js/bridge-client.js}: commands go to its
 * stdin, and each thing the client saw comes back as one JSON line ({@code on}: open, message, failure,
 * error, close).
 */
public final class JsBridgeClient implements AutoCloseable {
  private static final Path DIR = Path.of("src/test/js");
  private static final Path NPM_LOG = Path.of("target/npm-ci.log");
  /** Generous: starting Node and settling a SockJS transport can take seconds on a busy machine. */
  private static final long WAIT_SECONDS = 30;
  private static String missing;
  private static boolean installed;

  private final Process process;
  private final Writer commands;
  private final LinkedBlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
  private final StringBuffer stderr = new StringBuffer();
  private String transport;

  private JsBridgeClient(Process process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pump(process.inputReader(StandardCharsets.UTF_8), line -> lines.add(parse(line)));
    pump(process.errorReader(StandardCharsets.UTF_8), line -> stderr.append(line).append('\n'));
  }

  /**
   * What keeps the official client from running here (no node or npm on the PATH), or null when it can
   * run; the first call installs the client's packages with {@code npm ci} when they are missing or older
   * than {@code package-lock.json}.
   */
  public static synchronized String unavailable() {
    if (installed || missing != null) {
      return missing;
    }
    for (String tool : List.of("node", "npm")) {
      if (!runs(tool, "--version")) {
        missing = tool + " is not on the PATH: the official JS bridge client needs Node.js 18+ and npm";
        return missing;
      }
    }
    try {
      Path marker = DIR.resolve("node_modules/.package-lock.json");
      if (!Files.exists(marker) || Files.getLastModifiedTime(marker)
          .compareTo(Files.getLastModifiedTime(DIR.resolve("package-lock.json"))) < 0) {
        Files.createDirectories(NPM_LOG.getParent());
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(NPM_LOG.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
          npm.destroyForcibly();
          fail("npm ci in " + DIR + " failed:\n" + Files.readString(NPM_LOG));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    installed = true;
    return null;
  }

  /**
   * Starts the client against the bridge's SockJS endpoint; {@code token} (or null for a guest) becomes its
   * {@code defaultHeaders}, {@code transport} (or null for sockjs-client's own choice) the only transport
   * it may use, and it pings every {@code pingMs} (-1: never). Waits until the connection is open.
   */
  public static JsBridgeClient connect(int bridgePort, String token, String transport, int pingMs) {
    JsBridgeClient client;
    try {
      client = new JsBridgeClient(new ProcessBuilder("node", "bridge-client.js",
          "http://127.0.0.1:" + bridgePort + "/eventbus", token == null ? "-" : token,
          transport == null ? "-" : transport, Integer.toString(pingMs)).directory(DIR.toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      client.transport = client.await("open", l -> "open".equals(l.getString("on"))).getString("transport");
    } catch (AssertionError e) {
      client.close();
      throw e;
    }
    return client;
  }

  /** The SockJS transport the connection opened with (websocket, xhr-streaming...). */
  public String transport() {
    return transport;
  }

  /** Registers a handler with the default headers, or with these per-call headers when not null. */
  public void register(String address, JsonObject headers) {
    command(new JsonObject().put("op", "register").put("address", address).put("headers", headers));
  }

  public void unregister(String address) {
    command(new JsonObject().put("op", "unregister").put("address", address));
  }

  /** Registers on {@code channel} and returns the {@code subscribed} frame its handler received. */
  public JsonObject subscribe(String channel) {
    register(channel, null);
    return event(channel, "subscribed");
  }

  public void send(String address, JsonObject body, JsonObject headers) {
    command(new JsonObject().put("op", "send").put("address", address).put("body", body).put("headers", headers));
  }

  /** The body of the next message of {@code type} that the handler of {@code channel} received. */
  public JsonObject event(String channel, String type) {
    return await(type + " on " + channel, l -> "message".equals(l.getString("on"))
        && channel.equals(l.getString("address"))
        && type.equals(l.getJsonObject("frame").getJsonObject("body").getString("type")))
        .getJsonObject("frame").getJsonObject("body");
  }

  /** The error the handler of {@code address} received ({@code failureCode, failureType, message}). */
  public JsonObject failure(String address) {
    return await("failure for " + address, l -> "failure".equals(l.getString("on"))
        && address.equals(l.getString("address"))).getJsonObject("failure");
  }

  /** The next error frame that reached {@code eb.onerror}, as the client passed it. */
  public JsonObject error() {
    return await("error", l -> "error".equals(l.getString("on"))).getJsonObject("frame");
  }

  /** Waits until the connection closes. */
  public JsonObject closed() {
    return await("close", l -> "close".equals(l.getString("on")));
  }

  /** The next line matching {@code what}, skipping others; fails the test with the client's stderr. */
  public JsonObject await(String description, Predicate<JsonObject> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    List<JsonObject> skipped = new ArrayList<>();
    try {
      while (System.nanoTime() < deadline) {
        JsonObject line = lines.poll(50, TimeUnit.MILLISECONDS);
        if (line != null && what.test(line)) {
          return line;
        }
        if (line != null) {
          skipped.add(line);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return fail("the JS client saw no " + description + " within " + WAIT_SECONDS + " s; it saw " + skipped
        + (stderr.isEmpty() ? "" : "; its stderr:\n" + stderr));
  }

  private void command(JsonObject command) {
    try {
      commands.write(command.encode() + "\n");
      commands.flush();
    } catch (IOException e) {
      fail("the JS client is gone: " + e + (stderr.isEmpty() ? "" : "; its stderr:\n" + stderr));
    }
  }

  @Override
  public void close() {
    try {
      commands.close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static JsonObject parse(String line) {
    try {
      return new JsonObject(line);
    } catch (io.vertx.core.json.DecodeException e) {
      return new JsonObject().put("on", "unparsed").put("text", line);
    }
  }

  private static boolean runs(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void pump(BufferedReader reader, java.util.function.Consumer<String> sink) {
    Thread t = new Thread(() -> {
      try (reader) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "js-bridge-client");
    t.setDaemon(true);
    t.start();
  }
}
