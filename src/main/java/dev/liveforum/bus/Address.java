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

  public static final String RATE_LIMIT_HIT = "cache.ratelimit.hit";
  public static final String RATE_LIMIT_CHECK = "cache.ratelimit.check";
  public static final String CACHE_HEALTH = "cache.health";
}
