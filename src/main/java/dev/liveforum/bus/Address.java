package dev.liveforum.bus;

/** Every event-bus address, in one place. Commands are {@code <service>.<verb>}: request/reply, point to point. */
public final class Address {
  private Address() {}

  public static final String USER_REGISTER = "persistence.user.register";
  public static final String USER_LOGIN = "persistence.user.login";
  public static final String USER_GET = "persistence.user.get";
  public static final String USER_UPDATE = "persistence.user.update";
  public static final String TOKEN_REFRESH = "persistence.token.refresh";
  public static final String TOKEN_REVOKE = "persistence.token.revoke";
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

  // comments

  // likes

  // views, search, profiles

  // images
  public static final String IMAGE_UPLOAD = "persistence.image.upload";
  public static final String IMAGE_GET = "persistence.image.get";

  public static final String RATE_LIMIT_HIT = "cache.ratelimit.hit";
  public static final String RATE_LIMIT_CHECK = "cache.ratelimit.check";
  public static final String CACHE_HEALTH = "cache.health";

  /**
   * Domain events, published after commit by the outbox relay: {@code event.<aggregate>.<verb>}.
   * Each carries {@link Field#EVENT_ID}, {@link Field#TYPE}, {@link Field#AT} and {@link Field#DATA}.
   */
  public static String event(String type) {
    return EVENT_PREFIX + type;
  }

  public static final String EVENT_PREFIX = "event.";
  public static final String BOARD_CREATED = "board.created";
  public static final String BOARD_UPDATED = "board.updated";
  public static final String BOARD_DELETED = "board.deleted";
  public static final String POST_CREATED = "post.created";
  public static final String POST_UPDATED = "post.updated";
  public static final String POST_DELETED = "post.deleted";
  public static final String IMAGE_CREATED = "image.created";
}
