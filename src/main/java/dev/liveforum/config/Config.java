package dev.liveforum.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The node's settings, read once: {@code conf/config.json}, then environment variables, then defaults
 * (see {@link Setting}). Verticles receive {@link #json()} as their deployment config and read it back
 * with {@link #from(JsonObject)}, so every role on every node sees the same typed values.
 */
public final class Config {

  /**
   * The signing secret earlier versions used in {@code dev}, published in their source: anyone can sign
   * tokens with it, so no node starts with it on a real database or Redis, nor in {@code prod}.
   */
  public static final String PUBLISHED_DEV_SECRET = "liveforum-development-secret-do-not-use-in-production";

  public record Http(String host, int port, int instances, int bodyLimitBytes, int uploadLimitBytes,
                     List<String> corsOrigins, int headerTimeoutSeconds, int idleTimeoutSeconds, int bodyTimeoutSeconds,
                     int maxConnectionsPerIp, int maxConnections, int maxPendingUploadBytesPerIp,
                     int maxPendingUploadBytes) {}

  /** What the browser pages need to know about where they are served. */
  public record Pages(String publicUrl, List<String> bridgeUrls) {}

  public record Db(String url, String user, String password, int poolSize) {}

  public record Redis(String url, String keyPrefix) {
    /**
     * A role's own client pool on this Redis: {@code poolSize} connections, up to 1000 requests
     * waiting for one (a burst waits rather than fails), idle connections recycled after 15 s.
     */
    public RedisOptions clientOptions(int poolSize) {
      return new RedisOptions().setConnectionString(url).setMaxPoolSize(poolSize).setMaxPoolWaiting(1000)
          .setPoolRecycleTimeout(15_000);
    }
  }

  public record Auth(String jwtSecret, int accessTtlSeconds, int refreshTtlDays, int bcryptCost,
                     int bcryptThreads, int bcryptQueue,
                     int loginLimitPerIp, int loginLimitPerAccount, int loginWindowSeconds,
                     int registerLimitPerIp, int registerWindowSeconds) {
    /** Empty only where nothing set it (the launcher fills it in for {@code dev}): an empty key signs for anyone. */
    @Override
    public String jwtSecret() {
      if (jwtSecret.isEmpty()) {
        throw new ConfigException("Missing setting " + Setting.JWT_SECRET.named() + ": a random secret of at least 32 bytes");
      }
      return jwtSecret;
    }
  }

  public record Bridge(String host, int port, List<String> origins, int maxHandlersPerSocket, int maxFrameBytes,
      int messagesPerSecond, int pingTimeoutSeconds, int typingIntervalMs, int presenceIntervalMs,
      int maxSocketsPerIp, int idleTimeoutSeconds, int maxConnectionsPerIp, int maxConnections) {}

  public record Realtime(int backlogSize, int backlogTtlSeconds) {}

  /** How much of a thread one page holds, and how deep replies go. */
  public record Comments(int repliesPerRoot, int maxDepth) {}

  public record Notifications(int maxAttempts, int retryDelayMs, int claimTimeoutMs, int groupWindowSeconds,
      int feedIntervalMs) {}

  /**
   * How often one action may be done, cluster-wide: at most {@code perUser} per signed-in user
   * ({@code newAccount} for an account younger than {@link Limits#newAccountHours}) and {@code perIp} per client
   * IP, in fixed windows of {@code windowSeconds}. {@code action} names it in Redis keys, {@code what} in refusals.
   */
  public record Limit(String action, String what, int perUser, int newAccount, int perIp, int windowSeconds) {}

  /** The limits on what people do (see README "Limits"), and what one text or one user may hold. */
  public record Limits(int newAccountHours, Limit post, Limit comment, Limit edit, Limit like, Limit likeTarget,
      Limit upload, Limit search, Limit suggest, Limit typing, int mentionsPerText, long imageQuotaBytes) {}

  public record Cluster(boolean enabled, String name, String host, int port, List<String> members, String configFile) {}

  private final JsonObject json;

  private Config(JsonObject json) {
    this.json = json;
  }

  /** Reads {@code file} (if it exists), applies the environment and checks every value. */
  public static Config load(Path file, Map<String, String> env) {
    JsonObject json = new JsonObject();
    if (file != null && Files.exists(file)) {
      try {
        json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      } catch (Exception e) {
        throw new ConfigException("Cannot read " + file + ": " + e.getMessage());
      }
    }
    for (Setting s : Setting.values()) {
      String value = env.get(s.env());
      if (value != null) {
        put(json, s, value);
      }
    }
    return from(json);
  }

  /** Checks and normalises a (possibly partial) settings object; missing values take their defaults. */
  public static Config from(JsonObject source) {
    JsonObject json = new JsonObject();
    for (Setting s : Setting.values()) {
      put(json, s, normalise(s, get(source, s)));
    }
    Config config = new Config(json);
    config.check();
    return config;
  }

  /** A copy with some settings replaced, e.g. the address of an embedded database. */
  public Config with(Setting setting, Object value) {
    JsonObject copy = json.copy();
    put(copy, setting, value);
    return from(copy);
  }

  public JsonObject json() {
    return json.copy();
  }

  public boolean production() {
    return "prod".equals(string(Setting.PROFILE));
  }

  /** The roles this node runs, as named; none named means every role (the launcher knows them). */
  public List<String> roles() {
    return list(Setting.ROLES);
  }

  public long busTimeoutMs() {
    return integer(Setting.BUS_TIMEOUT);
  }

  public int idempotencyKeepHours() {
    return integer(Setting.IDEMPOTENCY_KEEP_HOURS);
  }

  public long viewsFlushIntervalMs() {
    return integer(Setting.VIEWS_FLUSH_INTERVAL);
  }

  public String searchDir() {
    return string(Setting.SEARCH_DIR);
  }

  public String devDataDir() {
    return string(Setting.DEV_DATA_DIR);
  }

  public Http http() {
    return new Http(host(Setting.HTTP_HOST), integer(Setting.HTTP_PORT), integer(Setting.HTTP_INSTANCES),
        integer(Setting.HTTP_BODY_LIMIT), integer(Setting.HTTP_UPLOAD_LIMIT), list(Setting.HTTP_CORS_ORIGINS),
        integer(Setting.HTTP_HEADER_TIMEOUT), integer(Setting.HTTP_IDLE_TIMEOUT), integer(Setting.HTTP_BODY_TIMEOUT),
        integer(Setting.HTTP_MAX_CONNECTIONS_PER_IP), integer(Setting.HTTP_MAX_CONNECTIONS),
        integer(Setting.HTTP_MAX_PENDING_UPLOAD_PER_IP), integer(Setting.HTTP_MAX_PENDING_UPLOAD));
  }

  /** Who the client is behind proxies, on the HTTP and bridge ports. */
  public TrustedProxies trustedProxies() {
    return TrustedProxies.of(list(Setting.HTTP_TRUSTED_PROXIES));
  }

  /** Cleartext HTTP/2 on the HTTP port. */
  public boolean h2c() {
    return bool(Setting.HTTP_H2C);
  }

  /** Hosts whose images posts may show (see {@link Setting#MARKDOWN_IMAGE_HOSTS}). */
  public List<String> markdownImageHosts() {
    return list(Setting.MARKDOWN_IMAGE_HOSTS);
  }

  public Pages pages() {
    return new Pages(string(Setting.PAGES_PUBLIC_URL), list(Setting.PAGES_BRIDGE_URLS));
  }

  public Bridge bridge() {
    return new Bridge(host(Setting.BRIDGE_HOST), integer(Setting.BRIDGE_PORT), list(Setting.BRIDGE_ORIGINS),
        integer(Setting.BRIDGE_MAX_HANDLERS), integer(Setting.BRIDGE_MAX_FRAME), integer(Setting.BRIDGE_MESSAGE_RATE),
        integer(Setting.BRIDGE_PING_TIMEOUT), integer(Setting.BRIDGE_TYPING_INTERVAL),
        integer(Setting.BRIDGE_PRESENCE_INTERVAL), integer(Setting.BRIDGE_MAX_SOCKETS_PER_IP),
        integer(Setting.BRIDGE_IDLE_TIMEOUT), integer(Setting.BRIDGE_MAX_CONNECTIONS_PER_IP),
        integer(Setting.BRIDGE_MAX_CONNECTIONS));
  }

  public Realtime realtime() {
    return new Realtime(integer(Setting.REALTIME_BACKLOG), integer(Setting.REALTIME_BACKLOG_TTL));
  }

  public Comments comments() {
    return new Comments(integer(Setting.COMMENTS_REPLIES_PER_ROOT), integer(Setting.COMMENTS_MAX_DEPTH));
  }

  public Notifications notifications() {
    return new Notifications(integer(Setting.NOTIFY_MAX_ATTEMPTS), integer(Setting.NOTIFY_RETRY_DELAY),
        integer(Setting.NOTIFY_CLAIM_TIMEOUT), integer(Setting.NOTIFY_LIKE_GROUP), integer(Setting.NOTIFY_FEED_INTERVAL));
  }

  public Db db() {
    return new Db(string(Setting.DB_URL), string(Setting.DB_USER), string(Setting.DB_PASSWORD),
        integer(Setting.DB_POOL_SIZE));
  }

  public Redis redis() {
    return new Redis(string(Setting.REDIS_URL), string(Setting.REDIS_KEY_PREFIX));
  }

  /** An address to bind: as set, else loopback in {@code dev}, every interface in {@code prod}. */
  private String host(Setting s) {
    String host = string(s);
    return !host.isEmpty() ? host : production() ? "0.0.0.0" : "127.0.0.1";
  }

  public boolean jwtSecretSet() {
    return !string(Setting.JWT_SECRET).isEmpty();
  }

  public Auth auth() {
    return new Auth(string(Setting.JWT_SECRET), integer(Setting.ACCESS_TTL),
        integer(Setting.REFRESH_TTL), integer(Setting.BCRYPT_COST),
        integer(Setting.BCRYPT_THREADS) > 0 ? integer(Setting.BCRYPT_THREADS)
            : Math.max(2, Runtime.getRuntime().availableProcessors()),
        integer(Setting.BCRYPT_QUEUE), integer(Setting.LOGIN_LIMIT_IP),
        integer(Setting.LOGIN_LIMIT_ACCOUNT), integer(Setting.LOGIN_WINDOW),
        integer(Setting.REGISTER_LIMIT_IP), integer(Setting.REGISTER_WINDOW));
  }

  public Limits limits() {
    return new Limits(integer(Setting.LIMITS_NEW_ACCOUNT_HOURS),
        limit("post", "posts", Setting.LIMIT_POST_PER_USER, Setting.LIMIT_POST_NEW_ACCOUNT, Setting.LIMIT_POST_PER_IP,
            Setting.LIMIT_POST_WINDOW),
        limit("comment", "comments", Setting.LIMIT_COMMENT_PER_USER, Setting.LIMIT_COMMENT_NEW_ACCOUNT,
            Setting.LIMIT_COMMENT_PER_IP, Setting.LIMIT_COMMENT_WINDOW),
        limit("edit", "edits", Setting.LIMIT_EDIT_PER_USER, Setting.LIMIT_EDIT_NEW_ACCOUNT, Setting.LIMIT_EDIT_PER_IP,
            Setting.LIMIT_EDIT_WINDOW),
        limit("like", "likes and unlikes", Setting.LIMIT_LIKE_PER_USER, Setting.LIMIT_LIKE_NEW_ACCOUNT,
            Setting.LIMIT_LIKE_PER_IP, Setting.LIMIT_LIKE_WINDOW),
        // Per user and target (the key names the target); a client IP is bounded by the like limit.
        new Limit("likeTarget", "likes and unlikes of one post or comment", integer(Setting.LIMIT_LIKE_TARGET_PER_USER),
            integer(Setting.LIMIT_LIKE_TARGET_PER_USER), 0, integer(Setting.LIMIT_LIKE_TARGET_WINDOW)),
        limit("upload", "image uploads", Setting.LIMIT_UPLOAD_PER_USER, Setting.LIMIT_UPLOAD_NEW_ACCOUNT,
            Setting.LIMIT_UPLOAD_PER_IP, Setting.LIMIT_UPLOAD_WINDOW),
        limit("search", "searches", Setting.LIMIT_SEARCH_PER_USER, Setting.LIMIT_SEARCH_NEW_ACCOUNT,
            Setting.LIMIT_SEARCH_PER_IP, Setting.LIMIT_SEARCH_WINDOW),
        limit("suggest", "title suggestions", Setting.LIMIT_SUGGEST_PER_USER, Setting.LIMIT_SUGGEST_NEW_ACCOUNT,
            Setting.LIMIT_SUGGEST_PER_IP, Setting.LIMIT_SUGGEST_WINDOW),
        limit("typing", "typing signals", Setting.LIMIT_TYPING_PER_USER, Setting.LIMIT_TYPING_NEW_ACCOUNT,
            Setting.LIMIT_TYPING_PER_IP, Setting.LIMIT_TYPING_WINDOW),
        integer(Setting.LIMITS_MENTIONS_PER_TEXT), integer(Setting.LIMITS_IMAGE_QUOTA_KIB) * 1024L);
  }

  private Limit limit(String action, String what, Setting perUser, Setting newAccount, Setting perIp, Setting window) {
    return new Limit(action, what, integer(perUser), integer(newAccount), integer(perIp), integer(window));
  }

  public Cluster cluster() {
    return new Cluster(bool(Setting.CLUSTER_ENABLED), string(Setting.CLUSTER_NAME), string(Setting.CLUSTER_HOST),
        integer(Setting.CLUSTER_PORT), list(Setting.CLUSTER_MEMBERS), string(Setting.CLUSTER_CONFIG));
  }

  /**
   * What {@code prod} needs before it may start: real connection settings and a real secret. Embedded
   * services are never started in production, so a missing URL is an error, not a fallback.
   */
  public void requireProduction() {
    if (string(Setting.DB_URL).isEmpty()) {
      throw missing(Setting.DB_URL, "the database URL, e.g. mysql://db.example:3306/liveforum");
    }
    if (string(Setting.REDIS_URL).isEmpty()) {
      throw missing(Setting.REDIS_URL, "the Redis URL, e.g. redis://cache.example:6379");
    }
    String secret = string(Setting.JWT_SECRET);
    if (secret.isEmpty() || secret.equals(PUBLISHED_DEV_SECRET)) {
      throw missing(Setting.JWT_SECRET, "a random secret of at least 32 bytes");
    }
  }

  /**
   * {@code dev} on a real database or Redis (set, not embedded) is reachable data: the secret published in
   * the source may not sign its tokens.
   */
  public void refusePublishedSecret() {
    boolean real = !string(Setting.DB_URL).isEmpty() || !string(Setting.REDIS_URL).isEmpty();
    if (real && string(Setting.JWT_SECRET).equals(PUBLISHED_DEV_SECRET)) {
      throw new ConfigException("The development JWT secret published in LiveForum's source may not sign tokens for"
          + " a real database or Redis: set " + Setting.JWT_SECRET.named() + " to a random secret of at least 32"
          + " bytes, or leave it empty for one kept in " + Setting.DEV_DATA_DIR.named());
    }
  }

  private void check() {
    String profile = string(Setting.PROFILE);
    if (!profile.equals("dev") && !profile.equals("prod")) {
      throw invalid(Setting.PROFILE, "expected dev or prod", profile);
    }
    String secret = string(Setting.JWT_SECRET);
    if (!secret.isEmpty() && secret.getBytes(StandardCharsets.UTF_8).length < 32) {
      throw invalid(Setting.JWT_SECRET, "must be at least 32 bytes long", secret.length() + " characters");
    }
    try {
      trustedProxies();
    } catch (IllegalArgumentException e) {
      throw invalid(Setting.HTTP_TRUSTED_PROXIES, "expected a comma list of IP addresses and CIDR blocks", e.getMessage());
    }
    String db = string(Setting.DB_URL);
    if (!db.isEmpty() && !db.matches("(mysql|mariadb)://[^/]+/[A-Za-z0-9_]+")) {
      throw invalid(Setting.DB_URL, "expected mysql://host:port/database", db);
    }
    String publicUrl = string(Setting.PAGES_PUBLIC_URL);
    if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^/\\s]+")) {
      throw invalid(Setting.PAGES_PUBLIC_URL, "expected http(s)://host[:port] without a path", publicUrl);
    }
    for (String host : list(Setting.MARKDOWN_IMAGE_HOSTS)) {
      // Each goes into the pages' Content-Security-Policy: nothing but a host name may pass.
      if (!host.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?(?::[0-9]{1,5})?")) {
        throw invalid(Setting.MARKDOWN_IMAGE_HOSTS, "expected host names (or host:port), without scheme or path", host);
      }
    }
    for (String url : list(Setting.PAGES_BRIDGE_URLS)) {
      if (!url.matches("https?://[^/\\s]+(/\\S*)?")) {
        throw invalid(Setting.PAGES_BRIDGE_URLS, "expected a comma list of http(s) URLs", url);
      }
    }
    String redis = string(Setting.REDIS_URL);
    if (!redis.isEmpty() && !redis.matches("rediss?://.+")) {
      throw invalid(Setting.REDIS_URL, "expected redis://host:port", redis);
    }
    range(Setting.HTTP_PORT, 0, 65535);
    range(Setting.HTTP_INSTANCES, 1, 64);
    range(Setting.HTTP_BODY_LIMIT, 1024, 64 * 1024 * 1024);
    range(Setting.HTTP_UPLOAD_LIMIT, 1024, 64 * 1024 * 1024);
    range(Setting.HTTP_HEADER_TIMEOUT, 1, 3600);
    range(Setting.HTTP_IDLE_TIMEOUT, 1, 86_400);
    range(Setting.HTTP_BODY_TIMEOUT, 1, 3600);
    range(Setting.HTTP_MAX_CONNECTIONS_PER_IP, 1, 1_000_000);
    range(Setting.HTTP_MAX_CONNECTIONS, 1, 1_000_000);
    range(Setting.HTTP_MAX_PENDING_UPLOAD_PER_IP, 1024, Integer.MAX_VALUE);
    range(Setting.HTTP_MAX_PENDING_UPLOAD, 1024, Integer.MAX_VALUE);
    range(Setting.BRIDGE_IDLE_TIMEOUT, 1, 86_400);
    range(Setting.BRIDGE_MAX_CONNECTIONS_PER_IP, 1, 1_000_000);
    range(Setting.BRIDGE_MAX_CONNECTIONS, 1, 1_000_000);
    range(Setting.DB_POOL_SIZE, 1, 200);
    range(Setting.ACCESS_TTL, 10, 86_400);
    range(Setting.REFRESH_TTL, 1, 3650);
    range(Setting.BCRYPT_COST, 4, 31);
    range(Setting.LOGIN_LIMIT_IP, 1, 1_000_000);
    range(Setting.LOGIN_LIMIT_ACCOUNT, 1, 1_000_000);
    range(Setting.LOGIN_WINDOW, 1, 86_400);
    range(Setting.BCRYPT_THREADS, 0, 256);
    range(Setting.BCRYPT_QUEUE, 0, 100_000);
    range(Setting.REGISTER_LIMIT_IP, 1, 1_000_000);
    range(Setting.REGISTER_WINDOW, 1, 7 * 86_400);
    range(Setting.BUS_TIMEOUT, 100, 600_000);
    range(Setting.LIMITS_NEW_ACCOUNT_HOURS, 0, 87_600);
    for (Setting s : Setting.values()) {
      // Every count of a named limit (limits.<action>.perUser, .newAccount, .perIp) and its window.
      if (s.key.matches("limits\\.[A-Za-z]+\\.(perUser|newAccount|perIp)")) {
        range(s, 1, 100_000_000);
      } else if (s.key.matches("limits\\.[A-Za-z]+\\.windowSeconds")) {
        range(s, 1, 30 * 86_400);
      }
    }
    range(Setting.LIMITS_MENTIONS_PER_TEXT, 0, 1000);
    range(Setting.LIMITS_IMAGE_QUOTA_KIB, 0, Integer.MAX_VALUE);
    range(Setting.VIEWS_FLUSH_INTERVAL, 10, 3_600_000);
    range(Setting.IDEMPOTENCY_KEEP_HOURS, 1, 720);
    range(Setting.CLUSTER_PORT, 1, 65535);
    range(Setting.BRIDGE_PORT, 0, 65535);
    range(Setting.BRIDGE_MAX_HANDLERS, 1, 10_000);
    range(Setting.BRIDGE_MAX_FRAME, 256, 1024 * 1024);
    range(Setting.BRIDGE_MESSAGE_RATE, 1, 100_000);
    range(Setting.BRIDGE_PING_TIMEOUT, 5, 86_400);
    range(Setting.BRIDGE_TYPING_INTERVAL, 0, 600_000);
    range(Setting.BRIDGE_PRESENCE_INTERVAL, 50, 60_000);
    range(Setting.REALTIME_BACKLOG, 1, 100_000);
    range(Setting.COMMENTS_REPLIES_PER_ROOT, 0, 100);
    range(Setting.COMMENTS_MAX_DEPTH, 1, 100);
    range(Setting.REALTIME_BACKLOG_TTL, 1, 30 * 86_400);
    range(Setting.NOTIFY_MAX_ATTEMPTS, 1, 100);
    range(Setting.NOTIFY_RETRY_DELAY, 10, 3_600_000);
    range(Setting.NOTIFY_CLAIM_TIMEOUT, 100, 3_600_000);
    range(Setting.NOTIFY_LIKE_GROUP, 0, 30 * 86_400);
    range(Setting.NOTIFY_FEED_INTERVAL, 10, 600_000);
  }

  private void range(Setting s, int min, int max) {
    int v = integer(s);
    if (v < min || v > max) {
      throw invalid(s, "expected a number from " + min + " to " + max, String.valueOf(v));
    }
  }

  private static Object normalise(Setting s, Object raw) {
    if (raw == null) {
      raw = s.defaultValue;
    }
    String text = raw instanceof JsonArray a ? String.join(",", a.stream().map(String::valueOf).toList())
        : String.valueOf(raw).trim();
    switch (s.type) {
      case INT:
        try {
          return Integer.parseInt(text);
        } catch (NumberFormatException e) {
          throw invalid(s, "expected a whole number", text);
        }
      case BOOL:
        if (!text.equals("true") && !text.equals("false")) {
          throw invalid(s, "expected true or false", text);
        }
        return Boolean.parseBoolean(text);
      case LIST:
        return new JsonArray(Arrays.stream(text.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList());
      default:
        return raw instanceof String str ? str : text;
    }
  }

  private static Object get(JsonObject json, Setting s) {
    JsonObject node = json;
    List<String> path = s.path();
    for (int i = 0; i < path.size() - 1; i++) {
      Object next = node.getValue(path.get(i));
      if (!(next instanceof JsonObject obj)) {
        return null;
      }
      node = obj;
    }
    return node.getValue(path.get(path.size() - 1));
  }

  private static void put(JsonObject json, Setting s, Object value) {
    JsonObject node = json;
    List<String> path = s.path();
    for (int i = 0; i < path.size() - 1; i++) {
      Object next = node.getValue(path.get(i));
      if (!(next instanceof JsonObject)) {
        next = new JsonObject();
        node.put(path.get(i), next);
      }
      node = (JsonObject) next;
    }
    node.put(path.get(path.size() - 1), value);
  }

  private String string(Setting s) {
    return (String) get(json, s);
  }

  private int integer(Setting s) {
    return (Integer) get(json, s);
  }

  private boolean bool(Setting s) {
    return (Boolean) get(json, s);
  }

  private List<String> list(Setting s) {
    return ((JsonArray) get(json, s)).stream().map(String::valueOf).toList();
  }

  /** The one line that refuses a value of {@code s}: what it expects, and what it got. */
  public static ConfigException invalid(Setting s, String expected, String got) {
    // A secret's value is never echoed: callers describe it instead (e.g. its length).
    String shown = s.type == Setting.Type.SECRET ? got : "'" + got + "'";
    return new ConfigException("Invalid setting " + s.named() + ": " + expected + ", got " + shown);
  }

  private static ConfigException missing(Setting s, String what) {
    return new ConfigException("Missing setting " + s.named() + ": production needs " + what);
  }

  /**
   * A setting that stops start-up, or a check at start-up that failed (see {@code StartupChecks}): its
   * message is the one line the operator sees, saying what is wrong and which setting to look at.
   */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
