package dev.liveforum.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Redis server of one test's own (the machine's {@code /usr/bin/redis-server}) on a free port, without
 * persistence, that the test may kill and start again empty: a Redis lost, as the shared one never may be.
 */
public final class PrivateRedis implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/bin/redis-server");
  public final int port;
  private Process process;

  private PrivateRedis(int port) {
    this.port = port;
  }

  /** Starts one; fails the test, saying why, on a machine without redis-server. */
  public static PrivateRedis start() {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is needed to start a Redis of the test's own (apt-get install redis-server)");
    }
    PrivateRedis redis = new PrivateRedis(TestNode.freePort());
    redis.startAgain();
    return redis;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Kills the server at once (SIGKILL): whatever it held is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server (again, empty) on its port and waits until it answers. */
  public void startAgain() {
    try {
      process = new ProcessBuilder(BINARY.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no", "--dir", Files.createTempDirectory("private-redis").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "private-redis-reaper"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + BINARY, e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answers()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("redis-server on port " + port + " did not answer within 10 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean answers() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[7];
      return s.getInputStream().read(reply) > 0 && new String(reply, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
