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

  public static final String KEY = "key";
  public static final String LIMIT = "limit";
  public static final String WINDOW_SECONDS = "windowSeconds";
  public static final String ALLOWED = "allowed";
  public static final String RETRY_AFTER = "retryAfterSeconds";
}
