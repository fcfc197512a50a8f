package dev.liveforum.bus;

/**
 * Every event-bus address but the domain events', in one place. Commands are {@code <service>.<verb>}:
 * request/reply, point to point. A few addresses are published to every node instead (said where they
 * are): notices between roles, not domain events. Domain events, what they carry and who listens to
 * them are in {@link dev.liveforum.event.Events}.
 */
public final class Address {
  private Address() {}

  public static final String USER_REGISTER = "persistence.user.register";
  public static final String USER_LOGIN = "persistence.user.login";
  public static final String USER_GET = "persistence.user.get";
  public static final String USER_UPDATE = "persistence.user.update";
  public static final String TOKEN_REFRESH = "persistence.token.refresh";
  public static final String TOKEN_REVOKE = "persistence.token.revoke";
  /**
   * Whether an access token's session ({@link Field#USER_ID}, {@link Field#SESSION_ID}) is still signed in:
   * replies the account's current {@link Field#ROLE}, or fails 401.
   */
  public static final String SESSION_CHECK = "persistence.session.check";
  /**
   * Published when sessions end (logout, password change): {@link Field#USER_ID} and either the ended
   * {@link Field#SESSION_ID} or {@link Field#KEPT_SESSION_ID}, the one session of the user that goes on.
   * Every bridge ends the private subscriptions held with them.
   */
  public static final String SESSIONS_ENDED = "auth.sessions.ended";
  public static final String PERSISTENCE_HEALTH = "persistence.health";

  // boards
  public static final String BOARD_LIST = "persistence.board.list";
  public static final String BOARD_GET = "persistence.board.get";
  public static final String BOARD_CREATE = "persistence.board.create";
  public static final String BOARD_UPDATE = "persistence.board.update";
  public static final String BOARD_DELETE = "persistence.board.delete";

  // posts
  public static final String POST_CREATE = "persistence.post.create";
  public static final String POST_GET = "persistence.post.get";
  public static final String POST_UPDATE = "persistence.post.update";
  public static final String POST_DELETE = "persistence.post.delete";
  public static final String POST_LIST = "persistence.post.list";
  public static final String POST_LIKED = "persistence.post.liked";
  /** Renders {@code content} as a post or comment would be stored: {@code {html}}. Writes nothing. */
  public static final String MARKDOWN_PREVIEW = "persistence.markdown.preview";

  // comments
  public static final String COMMENT_LIST = "persistence.comment.list";
  /** A page of one root comment's replies. */
  public static final String COMMENT_REPLIES = "persistence.comment.replies";
  public static final String COMMENT_CREATE = "persistence.comment.create";
  public static final String COMMENT_UPDATE = "persistence.comment.update";
  public static final String COMMENT_DELETE = "persistence.comment.delete";

  // likes
  public static final String LIKE_ADD = "persistence.like.add";
  public static final String LIKE_REMOVE = "persistence.like.remove";

  // views, search, profiles
  /** Counts a view of a post once per viewer per UTC day; replies with the post's views not yet in the database. */
  public static final String VIEW_RECORD = "cache.view.record";
  public static final String VIEW_RECORD_BATCH = "cache.view.recordBatch";
  /** Views not yet in the database, for a list of post ids. */
  public static final String VIEW_PENDING = "cache.view.pending";
  /** Adds a batch of buffered views to the posts' counts, once per batch id. */
  public static final String POST_ADD_VIEWS = "persistence.post.addViews";
  /** MariaDB FULLTEXT search: what answers when no search role is ready (see search/). */
  public static final String POST_SEARCH = "persistence.post.search";
  /** Posts as list items, by id: {@code {ids, actorId?}} → {@code {items}} (those that exist, any order). */
  public static final String POST_CARDS = "persistence.post.cards";
  /**
   * Posts or comments for building a search index, oldest first: {@code {type: posts|comments, after, limit}}
   * → {@code {items}}, each with its text, board, author and creation time; deleted comments left out.
   */
  public static final String SEARCH_FEED = "persistence.search.feed";
  /** A search on a node's index: served only by search roles whose index is built. */
  public static final String SEARCH_QUERY = "search.query";
  /**
   * One node's search role, addressed per node: {@code search.query.<nodeId>}, as {@link #SEARCH_QUERY}. For
   * comparing nodes' indexes (each node keeps its own).
   */
  public static String searchQueryOn(String nodeId) {
    return SEARCH_QUERY + "." + nodeId;
  }

  /** Title suggestions as one types: {@code {q, boardId?}} → {@code {items: [{id, title}]}}. */
  public static final String SEARCH_SUGGEST = "search.suggest";
  /** An admin asks for every search node's index to be rebuilt from the database. */
  public static final String SEARCH_REBUILD = "search.rebuild";
  /** Published to every search node: rebuild your index (while still answering from the old). */
  public static final String SEARCH_REBUILD_ALL = "search.rebuild.all";
  public static final String USER_PROFILE = "persistence.user.profile";
  public static final String USER_POSTS = "persistence.user.posts";
  public static final String USER_COMMENTS = "persistence.user.comments";

  // images
  public static final String IMAGE_UPLOAD = "persistence.image.upload";
  public static final String IMAGE_GET = "persistence.image.get";

  public static final String RATE_LIMIT_HIT = "cache.ratelimit.hit";
  public static final String RATE_LIMIT_CHECK = "cache.ratelimit.check";
  public static final String CACHE_HEALTH = "cache.health";
  public static final String CACHE_POST_GET = "cache.post.get";
  public static final String CACHE_POST_PUT = "cache.post.put";
  public static final String CACHE_LIST_GET = "cache.list.get";
  public static final String CACHE_LIST_PUT = "cache.list.put";
  public static final String CACHE_INVALIDATE = "cache.invalidate";
  /** Each HTTP node's in-memory post cache, addressed per node: {@code http.near.invalidate.<nodeId>}. */
  public static final String NEAR_INVALIDATE = "http.near.invalidate";

  // notifications
  /** Takes a batch of outbox events not yet handed to the notification job queue (a lease, not a removal). */
  public static final String NOTIFICATION_CLAIM_EVENTS = "persistence.notification.claimEvents";
  /** Outbox events are in the job queue now: leased for as long as their jobs may take. */
  public static final String NOTIFICATION_EVENTS_FED = "persistence.notification.eventsFed";
  /** Marks outbox events done for notifications: they need no job, or their job was given up. */
  public static final String NOTIFICATION_EVENTS_DONE = "persistence.notification.eventsDone";
  /** Gives back leases of events not handed to the job queue, or (no ids) of every event in a lost queue. */
  public static final String NOTIFICATION_RELEASE_EVENTS = "persistence.notification.releaseEvents";
  /** Applies one notification job (a domain event) by the rules, once per event id. */
  public static final String NOTIFICATION_APPLY = "persistence.notification.apply";
  public static final String NOTIFICATION_LIST = "persistence.notification.list";
  public static final String NOTIFICATION_UNREAD_COUNT = "persistence.notification.unreadCount";
  public static final String NOTIFICATION_READ_ONE = "persistence.notification.read";
  public static final String NOTIFICATION_READ_ALL = "persistence.notification.readAll";
  /** The dead-lettered jobs, for admins. */
  public static final String NOTIFICATION_DEAD_JOBS = "notification.jobs.dead";

  // realtime
  /** The events of a channel after a sequence number, for a client catching up. */
  public static final String REALTIME_SINCE = "persistence.realtime.since";
  /** A channel's current sequence number. */
  public static final String REALTIME_SEQ = "persistence.realtime.seq";
  /** Published to every bridge: someone is typing on a post. */
  public static final String BRIDGE_TYPING = "bridge.typing";
  /** Published to every bridge: one bridge's viewer counts per post. */
  public static final String BRIDGE_PRESENCE = "bridge.presence";

  // statistics
  /** A range of UTC days' figures computed from the tables, with what a rebuild needs (see stats/Rebuilds). */
  public static final String PERSISTENCE_STATS_DAYS = "persistence.stats.days";
  /** All-time totals from the tables, and a day's top posts. */
  public static final String PERSISTENCE_STATS_SUMMARY = "persistence.stats.summary";
  public static final String STATS_DAILY = "stats.daily";
  public static final String STATS_SUMMARY = "stats.summary";
  /** Today's figures, for an admin who starts watching the {@code stats} channel. */
  public static final String STATS_TODAY = "stats.today";
  public static final String STATS_REBUILD = "stats.rebuild";
  /** Published to every bridge: today's figures, for admins watching the {@code stats} channel. */
  public static final String BRIDGE_STATS = "bridge.stats";
}
