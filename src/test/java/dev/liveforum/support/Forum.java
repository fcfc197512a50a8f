package dev.liveforum.support;

import io.vertx.core.json.JsonObject;

/** Sets up what forum tests need: an admin, boards, users and posts, through the real API. */
public final class Forum {
  public static final String PASSWORD = "correct horse battery";
  private static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

  private final Api api;
  public final String adminToken;

  public Forum(Api api) {
    this(api, TestServices.config());
  }

  /** For nodes on a database of their own ({@code config}'s). */
  public Forum(Api api, dev.liveforum.config.Config config) {
    this.api = api;
    this.adminToken = Posts.admin(api, unique("admin"), PASSWORD, config.db());
  }

  /** A name no other test of this run uses. */
  public static String unique(String base) {
    return base + SEQ.incrementAndGet() + "_" + TestServices.RUN_ID.substring(0, 6);
  }

  /** A new user's access token. */
  public String user(String base) {
    return api.newUser(unique(base), PASSWORD).getString("accessToken");
  }

  public long board(String base) {
    return Posts.board(api, adminToken, unique(base));
  }

  public JsonObject post(String token, long boardId, String title, String content) {
    return Posts.create(api, token, boardId, title, content);
  }
}
