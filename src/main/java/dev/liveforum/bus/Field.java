package dev.liveforum.bus;

/** Message field and header names shared by more than one role. */
public final class Field {
  private Field() {}

  /** Event-bus header carrying the HTTP request id, so one request can be followed across nodes. */
  public static final String REQUEST_ID = "x-request-id";

  public static final String ID = "id";
  public static final String USER_ID = "userId";
  public static final String USERNAME = "username";
  public static final String EMAIL = "email";
  public static final String PASSWORD = "password";
  public static final String CURRENT_PASSWORD = "currentPassword";
  public static final String ROLE = "role";
  public static final String CREATED_AT = "createdAt";
  public static final String USER = "user";
  public static final String REFRESH_TOKEN = "refreshToken";
  public static final String SESSION_ID = "sessionId";
  public static final String KEPT_SESSION_ID = "keptSessionId";
  /**
   * How long the HTTP edge waits for the reply to an account write (ms): persistence refuses, writing
   * nothing, a write it could only make after that (see persistence/Deadline).
   */
  public static final String ANSWER_WITHIN_MS = "answerWithinMs";

  /** Who asks: set by the HTTP edge from the verified access token, never from the request body. */
  public static final String ACTOR_ID = "actorId";
  public static final String ACTOR_ROLE = "actorRole";
  /**
   * A write's Idempotency-Key, set by the HTTP edge: {@code {scope, key, digest}}, whose key it is
   * ({@code user:<id>}, or {@code guest:<address digest>}) and a digest of the request it came with.
   */
  public static final String IDEMPOTENCY = "idempotency";
  public static final String SCOPE = "scope";
  public static final String DIGEST = "digest";

  public static final String EVENT_ID = "eventId";
  public static final String TYPE = "type";
  public static final String AT = "at";
  public static final String DATA = "data";

  public static final String NAME = "name";
  public static final String DESCRIPTION = "description";
  public static final String BOARD_ID = "boardId";
  public static final String POST_ID = "postId";
  public static final String AUTHOR_ID = "authorId";
  public static final String TITLE = "title";
  public static final String CONTENT = "content";
  /** Content rendered from Markdown and sanitized. */
  public static final String HTML = "html";
  public static final String ITEMS = "items";
  public static final String CURSOR = "cursor";
  public static final String NEXT_CURSOR = "nextCursor";
  public static final String SORT = "sort";
  public static final String PERIOD = "period";
  public static final String COMMENT_ID = "commentId";
  public static final String PARENT_ID = "parentId";
  public static final String TARGET_TYPE = "targetType";
  public static final String TARGET_ID = "targetId";
  public static final String LIKED = "liked";
  public static final String LIKE_COUNT = "likeCount";

  public static final String GENERATION = "generation";
  public static final String VALUE = "value";
  public static final String POST_IDS = "postIds";
  public static final String IDS = "ids";

  public static final String VIEW_COUNT = "viewCount";
  /** Who viewed: {@code u:<user id>} for a signed-in reader, {@code ip:<address>} for a guest. */
  public static final String VIEWER = "viewer";
  public static final String VIEWS = "views";
  public static final String COUNTS = "counts";
  /** Post id (as a string key) to a number of views. */
  public static final String PENDING = "pending";
  /** Identifies a batch of views, so that applying it twice counts it once. */
  public static final String BATCH = "batch";
  public static final String QUERY = "q";

  public static final String TOTAL = "total";

  public static final String IMAGES = "images";
  public static final String CONTENT_TYPE = "contentType";
  public static final String SIZE = "size";
  public static final String SHA256 = "sha256";
  public static final String URL = "url";
  /** An image's bytes: a Buffer, which JSON carries as base64 between nodes. */
  public static final String BYTES = "bytes";
  /** The entity tags of an If-None-Match header, unquoted ({@code *} for any). */
  public static final String ETAGS = "etags";
  public static final String NOT_MODIFIED = "notModified";

  public static final String KEY = "key";
  public static final String LIMIT = "limit";
  public static final String WINDOW_SECONDS = "windowSeconds";
  public static final String ALLOWED = "allowed";
  public static final String RETRY_AFTER = "retryAfterSeconds";

  // realtime
  public static final String CHANNEL = "channel";
  public static final String EVENT = "event";
  public static final String SEQ = "seq";
  public static final String AFTER = "after";
  public static final String NODE_ID = "nodeId";

  // notifications
  public static final String UNREAD = "unread";
  public static final String COUNT = "count";

  // statistics
  /** A UTC day, {@code YYYY-MM-DD}. */
  public static final String DAY = "day";
  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String DAYS = "days";
  /** When a like was given: on a like event, and on the event of its withdrawal. */
  public static final String LIKED_AT = "likedAt";
  /** On post.deleted: per day, the posts, comments and likes the deletion took away. */
  public static final String REMOVED = "removed";
  public static final String USERS = "users";
  public static final String POSTS = "posts";
  public static final String COMMENTS = "comments";
  public static final String LIKES = "likes";
  public static final String ACTIVE_USERS = "activeUsers";
  public static final String ACTIVE_USER_IDS = "activeUserIds";
  /** Event ids a rebuild's snapshot already holds that may still be on their way to the stats role. */
  public static final String RECENT_EVENT_IDS = "recentEventIds";
  public static final String TOTALS = "totals";
  public static final String TODAY = "today";
  public static final String TOP_POSTS = "topPosts";
}
