package dev.liveforum.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A batch of idle browsers in a JVM of their own, so that many batches together can hold more sockets
 * than one process may open ({@code ulimit -n}). Arguments: host, bridge port, channel, socket count and
 * a file of access tokens (one a line, used in turn). {@code OPEN} opens and subscribes them all and
 * answers {@code OPENED <count> <failed> <ms> <server-closed>}; {@code CLOSE} closes them and answers
 * {@code CLOSED <ms>}.
 */
public final class IdleClients {
  private IdleClients() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String channel = args[2];
    int count = Integer.parseInt(args[3]);
    List<String> tokens = Files.readAllLines(Path.of(args[4]));
    try (Subscribers subscribers = new Subscribers(1)) {
      ChildJvm.answer("READY");
      ChildJvm.serve(command -> {
        switch (command) {
          case "OPEN" -> {
            Subscribers.Opened opened = subscribers.open(host, List.of(port), count, channel, tokens);
            ChildJvm.answer("OPENED " + opened.count() + " " + opened.failed() + " " + opened.millis() + " "
                + subscribers.errorFrames() + (opened.firstFailure() == null ? "" : " " + opened.firstFailure()));
          }
          case "CLOSE" -> ChildJvm.answer("CLOSED " + subscribers.closeAll() + " " + subscribers.closedByServer());
          default -> ChildJvm.answer("UNKNOWN " + command);
        }
      });
    }
    System.exit(0);
  }
}
