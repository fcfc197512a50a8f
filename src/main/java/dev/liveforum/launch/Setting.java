package dev.liveforum.launch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Every setting LiveForum reads: its key in {@code conf/config.json}, the environment variable that
 * overrides it, its default and what it means. The README's settings table is checked against this
 * list by a test, so the two cannot drift.
 */
public enum Setting {
  PROFILE("profile", Type.STRING, "dev",
      "`dev` starts embedded MariaDB/Redis when none is configured; `prod` never does and requires every connection setting"),
  ROLES("roles", Type.LIST, "http,persistence,cache,bridge,notification,stats",
      "verticle roles this node runs (comma list of `http`, `persistence`, `cache`, `bridge`, `notification`, `stats`)"),
  HTTP_HOST("http.host", Type.STRING, "",
      "address the HTTP server binds; empty: `127.0.0.1` in `dev` (reachable from this machine only), `0.0.0.0` in `prod`"),
  HTTP_PORT("http.port", Type.INT, "8080", "HTTP port"),
  HTTP_INSTANCES("http.instances", Type.INT, "2", "HTTP verticle instances (event loops serving HTTP)"),
  HTTP_BODY_LIMIT("http.bodyLimitBytes", Type.INT, "65536", "largest accepted request body; larger gets 413"),
  HTTP_UPLOAD_LIMIT("http.uploadLimitBytes", Type.INT, "5308416",
      "largest accepted image upload request (a 5 MiB image plus 64 KiB of multipart framing); larger gets 413"),
  HTTP_HEADER_TIMEOUT("http.headerTimeoutSeconds", Type.INT, "20",
      "a connection to the HTTP or bridge port must send its first request's complete headers within this many seconds, or it is closed without an answer (trickled header lines do not extend it)"),
  HTTP_IDLE_TIMEOUT("http.idleTimeoutSeconds", Type.INT, "60",
      "an HTTP connection with no traffic either way this long is closed, and a kept-alive one must send its next request's complete headers within this time of the last answer; keep it above `bus.timeoutMs`"),
  HTTP_BODY_TIMEOUT("http.bodyTimeoutSeconds", Type.INT, "20",
      "an upload whose body stops arriving for this long is answered 408 and its connection closed; what had arrived is dropped"),
  HTTP_MAX_CONNECTIONS_PER_IP("http.maxConnectionsPerIp", Type.INT, "128",
      "open connections one client IP may hold to the HTTP port of one node; the next is closed at once (a trusted proxy's count only toward `http.maxConnections`)"),
  HTTP_MAX_CONNECTIONS("http.maxConnections", Type.INT, "10000",
      "open connections to the HTTP port of one node, from everyone; the next is closed at once"),
  HTTP_MAX_PENDING_UPLOAD_PER_IP("http.maxPendingUploadBytesPerIp", Type.INT, "16777216",
      "bytes of uploads one client IP (see `http.trustedProxies`) may have in flight on one node, counted by `Content-Length` (`http.uploadLimitBytes` when chunked); one more is refused with 429 before its body is read"),
  HTTP_MAX_PENDING_UPLOAD("http.maxPendingUploadBytes", Type.INT, "100663296",
      "bytes of uploads in flight on one node, from everyone; one more is refused with 503 before its body is read"),
  HTTP_CORS_ORIGINS("http.corsOrigins", Type.LIST, "",
      "origins allowed to call the API from a browser (comma list); empty allows same-origin only"),
  HTTP_TRUSTED_PROXIES("http.trustedProxies", Type.LIST, "",
      "proxies (comma list of addresses and CIDR blocks) whose `X-Forwarded-For` or `Forwarded` names the client, on the HTTP and bridge ports; empty: the peer is the client"),
  HTTP_H2C("http.h2c", Type.BOOL, "false",
      "accept cleartext HTTP/2 (h2c) on the HTTP port; off, HTTP/2 is for a TLS proxy in front to speak"),
  PAGES_PUBLIC_URL("pages.publicUrl", Type.STRING, "",
      "the forum's public address for canonical and Open Graph links (e.g. `https://forum.example`); empty uses the request's own"),
  PAGES_BRIDGE_URLS("pages.bridgeUrls", Type.LIST, "",
      "SockJS addresses of the realtime bridge the pages connect to, tried in turn (comma list, e.g. `https://forum.example/eventbus`); empty: the page's host on `bridge.port`"),
  MARKDOWN_IMAGE_HOSTS("markdown.imageHosts", Type.LIST, "",
      "hosts (`host` or `host:port`, comma list) whose images posts may show; an image elsewhere is shown as a link, so no reader's browser calls a host nobody allowed"),
  BRIDGE_HOST("bridge.host", Type.STRING, "",
      "address the realtime bridge (SockJS and raw WebSocket) binds; empty: `127.0.0.1` in `dev`, `0.0.0.0` in `prod`"),
  BRIDGE_PORT("bridge.port", Type.INT, "8081", "realtime bridge port: `/eventbus` (SockJS) and `/eventbus/websocket`"),
  BRIDGE_ORIGINS("bridge.origins", Type.LIST, "",
      "page origins allowed to open the bridge (comma list); empty allows `pages.publicUrl`, the bridge's own origin and its host on `http.port`"),
  BRIDGE_MAX_HANDLERS("bridge.maxHandlersPerSocket", Type.INT, "32", "channels one socket may watch at once"),
  BRIDGE_MAX_SOCKETS_PER_IP("bridge.maxSocketsPerIp", Type.INT, "64",
      "sockets one client IP (see `http.trustedProxies`) may hold open on one bridge node; the next is refused with a `too_many_sockets` error frame"),
  BRIDGE_IDLE_TIMEOUT("bridge.idleTimeoutSeconds", Type.INT, "60",
      "a connection to the bridge port that is not a bridge socket must send its next request's complete headers within this time of the last answer, or it is closed"),
  BRIDGE_MAX_CONNECTIONS_PER_IP("bridge.maxConnectionsPerIp", Type.INT, "128",
      "open TCP connections one client IP may hold to the bridge port of one node, sockets or not; the next is closed at once (a trusted proxy's count only toward `bridge.maxConnections`)"),
  BRIDGE_MAX_CONNECTIONS("bridge.maxConnections", Type.INT, "10000",
      "open TCP connections to the bridge port of one node, from everyone; the next is closed at once"),
  BRIDGE_MAX_FRAME("bridge.maxFrameBytes", Type.INT, "8192",
      "largest frame a client may send; a larger one gets an error frame and the socket is closed"),
  BRIDGE_MESSAGE_RATE("bridge.messagesPerSecond", Type.INT, "20",
      "frames a socket may send per second (bursts of twice that); a faster sender is disconnected"),
  BRIDGE_PING_TIMEOUT("bridge.pingTimeoutSeconds", Type.INT, "150",
      "a socket silent this long is closed (browsers slow a background tab's timers to once a minute); so is any bridge-port connection with no traffic either way for this long"),
  BRIDGE_TYPING_INTERVAL("bridge.typingIntervalMs", Type.INT, "2000", "least time between one socket's typing signals on a post"),
  BRIDGE_PRESENCE_INTERVAL("bridge.presenceIntervalMs", Type.INT, "1000",
      "how often viewer counts are exchanged between nodes and pushed to watchers"),
  REALTIME_BACKLOG("realtime.backlogSize", Type.INT, "200",
      "most events a client catching up on a channel is sent; one further behind reloads"),
  REALTIME_BACKLOG_TTL("realtime.backlogTtlSeconds", Type.INT, "86400",
      "how long each channel's numbered events are kept in the database for catching up"),
  NOTIFY_MAX_ATTEMPTS("notifications.maxAttempts", Type.INT, "5",
      "tries of a notification job before it is dead-lettered (kept for admins to see)"),
  NOTIFY_RETRY_DELAY("notifications.retryDelayMs", Type.INT, "1000",
      "wait before a failed notification job's first retry; doubles with each further try"),
  NOTIFY_CLAIM_TIMEOUT("notifications.claimTimeoutMs", Type.INT, "30000",
      "a job taken by a node that has not finished it by then (the node died) is taken over by another"),
  NOTIFY_LIKE_GROUP("notifications.likeGroupSeconds", Type.INT, "3600",
      "likes of one target within this time join one unread notification (\"alice and 3 others\")"),
  NOTIFY_FEED_INTERVAL("notifications.feedIntervalMs", Type.INT, "1000",
      "how often pending events are looked for besides when one is published"),
  DB_URL("db.url", Type.STRING, "",
      "MariaDB/MySQL as `mysql://host:port/database`; empty in `dev` starts embedded MariaDB"),
  DB_USER("db.user", Type.STRING, "liveforum", "database user"),
  DB_PASSWORD("db.password", Type.SECRET, "", "database password"),
  DB_POOL_SIZE("db.poolSize", Type.INT, "8", "database connections per persistence verticle"),
  REDIS_URL("redis.url", Type.STRING, "",
      "Redis as `redis://[:password@]host:port[/db]`; empty in `dev` starts embedded Redis"),
  REDIS_KEY_PREFIX("redis.keyPrefix", Type.STRING, "lf:", "prefix of every Redis key LiveForum writes"),
  JWT_SECRET("jwt.secret", Type.SECRET, "",
      "HS256 signing secret, at least 32 bytes; required in `prod`; empty in `dev`: a random one made on the first run and kept in `dev.dataDir`"),
  ACCESS_TTL("auth.accessTtlSeconds", Type.INT, "900", "lifetime of an access token"),
  REFRESH_TTL("auth.refreshTtlDays", Type.INT, "30", "lifetime of a refresh token"),
  BCRYPT_COST("auth.bcryptCost", Type.INT, "12", "bcrypt work factor (4–31)"),
  LOGIN_LIMIT_IP("auth.loginLimitPerIp", Type.INT, "30", "login attempts allowed per client IP per window"),
  LOGIN_LIMIT_ACCOUNT("auth.loginLimitPerAccount", Type.INT, "5", "failed logins allowed per account per window"),
  LOGIN_WINDOW("auth.loginWindowSeconds", Type.INT, "900", "login rate-limit window"),
  BUS_TIMEOUT("bus.timeoutMs", Type.INT, "5000",
      "how long a request waits for another verticle's reply: then a read is answered 503, a write 504 (its outcome is unknown)"),
  IDEMPOTENCY_KEEP_HOURS("idempotency.keepHours", Type.INT, "24",
      "how long a write's `Idempotency-Key` is remembered: a repeat within this time gets the first answer (older keys are purged hourly)"),
  VIEWS_FLUSH_INTERVAL("views.flushIntervalMs", Type.INT, "5000",
      "how often post views buffered in Redis are added to the database (by one node at a time)"),
  CLUSTER_ENABLED("cluster.enabled", Type.BOOL, "false", "join a Hazelcast cluster of LiveForum nodes"),
  CLUSTER_NAME("cluster.name", Type.STRING, "liveforum", "Hazelcast cluster name; nodes join only their own cluster"),
  CLUSTER_HOST("cluster.host", Type.STRING, "127.0.0.1", "address this node's Hazelcast and event bus listen on"),
  CLUSTER_PORT("cluster.port", Type.INT, "15701", "first Hazelcast port tried (the next ones are tried if taken)"),
  CLUSTER_MEMBERS("cluster.members", Type.LIST, "127.0.0.1",
      "where to find other members (comma list of `host` or `host:port`)"),
  CLUSTER_CONFIG("cluster.configFile", Type.STRING, "cluster.xml",
      "Hazelcast XML file; the copy inside the jar is used when the file does not exist"),
  DEV_DATA_DIR("dev.dataDir", Type.STRING, "data", "where `dev` keeps the embedded MariaDB's data and its JWT secret (`jwt-secret`) between runs");

  public enum Type { STRING, SECRET, INT, BOOL, LIST }

  public final String key;
  public final Type type;
  public final String defaultValue;
  public final String description;

  Setting(String key, Type type, String defaultValue, String description) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** {@code http.bodyLimitBytes} is overridden by {@code LIVEFORUM_HTTP_BODY_LIMIT_BYTES}. */
  public String env() {
    return "LIVEFORUM_" + key.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /** How a message names it: {@code db.url (LIVEFORUM_DB_URL)}. */
  public String named() {
    return key + " (" + env() + ")";
  }

  public List<String> path() {
    return Arrays.asList(key.split("\\."));
  }
}
