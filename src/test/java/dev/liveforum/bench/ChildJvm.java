package dev.liveforum.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A bench process of its own (a server node, or a batch of idle clients), started with this JVM's class
 * path, so its heap and file descriptors are counted apart from the generator's. It is driven by lines:
 * commands on its stdin, answers on its stdout prefixed {@link #ANSWER}; everything else it prints goes to
 * its log file.
 */
final class ChildJvm implements AutoCloseable {
  static final String ANSWER = "@rtbench ";
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  final String name;
  final Path log;
  private final Process process;
  private final PrintWriter stdin;
  private final LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private ChildJvm(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
    this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readOutput, "child-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static ChildJvm start(String name, Path logDir, List<String> jvmOptions, Class<?> main, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(main.getName());
    command.addAll(args);
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    return new ChildJvm(name, log, process);
  }

  /** The class path this bench runs with: exec:java's own loader holds it, not java.class.path. */
  private static String classPath() {
    if (ChildJvm.class.getClassLoader() instanceof URLClassLoader loader) {
      List<String> entries = new ArrayList<>();
      for (URL url : loader.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException e) {
          throw new IllegalStateException(e);
        }
      }
      return String.join(java.io.File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path");
  }

  private void readOutput() {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
         Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(ANSWER)) {
          answers.add(line.substring(ANSWER.length()));
        } else {
          file.write(line + "\n");
          file.flush();
        }
      }
    } catch (IOException e) {
      answers.add("EXIT " + e);
    }
    answers.add("EXIT");
  }

  void tell(String command) {
    stdin.println(command);
  }

  /** The next answer, which must start with {@code word}; anything else (or an exit) fails the bench. */
  String await(String word, Duration timeout) throws InterruptedException {
    String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (answer == null || !answer.startsWith(word)) {
      throw new IllegalStateException(name + " answered " + (answer == null ? "nothing within " + timeout : answer)
          + " instead of " + word + "; see " + log);
    }
    return answer.substring(word.length()).trim();
  }

  long pid() {
    return process.pid();
  }

  /** Heap in use after a full collection, as the JVM's own diagnostic command reports it. */
  long heapUsedAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    if (!used.find()) {
      throw new IllegalStateException("jcmd GC.heap_info of " + name + " says no heap use");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  /** The classes holding most of the heap, as {@code jcmd GC.class_histogram} lists them (which runs a full GC). */
  String heapHistogram(int classes) throws IOException, InterruptedException {
    return jcmd("GC.class_histogram").lines().limit(classes + 3L).collect(Collectors.joining("\n", "", "\n"));
  }

  private String jcmd(String what) throws IOException, InterruptedException {
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid()), what).redirectErrorStream(true).start();
    String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (jcmd.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + what + " failed: " + out);
    }
    return out;
  }

  /** CPU time the process has used so far (user and system), from /proc; clock ticks are 1/100 s on Linux. */
  long cpuMillis() throws IOException {
    String stat = Files.readAllLines(Path.of("/proc", Long.toString(pid()), "stat")).get(0);
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  /** File descriptors the process holds (sockets included). */
  long openFiles() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
      return fds.count();
    }
  }

  /** Asks the process to stop and waits for it; a process that does not stop within 30 s is killed. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      tell("STOP");
      stdin.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Reads commands from stdin in a child: each line is handed to {@code handler}; STOP or the end of input ends. */
  static void serve(CommandHandler handler) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.equals("STOP"); ) {
      handler.handle(line.trim());
    }
  }

  static void answer(String line) {
    System.out.println(ANSWER + line);
    System.out.flush();
  }

  @FunctionalInterface
  interface CommandHandler {
    void handle(String command) throws Exception;
  }

  static String describe(List<ChildJvm> children) {
    return children.stream().map(c -> c.name + " (pid " + c.pid() + ")").collect(Collectors.joining(", "));
  }
}
