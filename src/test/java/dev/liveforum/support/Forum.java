package dev.liveforum.support;

import dev.liveforum.persistence.Admins;
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
  public Forum(Api api, dev.liveforum.launch.Config config) {
    this.api = api;
    String admin = unique("admin");
    api.newUser(admin, PASSWORD);
    try {
      Admins.makeAdmin(config.db(), admin);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    this.adminToken = api.login(admin.toLowerCase() + "@example.com", PASSWORD).getString("accessToken");
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
    Api.Response r = api.send(io.vertx.core.http.HttpMethod.POST, "/api/boards", adminToken,
        new JsonObject().put("name", unique(base)).put("description", "about " + base));
    if (r.status() != 201) {
      throw new AssertionError("create board: " + r);
    }
    return r.json().getLong("id");
  }

  public JsonObject post(String token, long boardId, String title, String content) {
    Api.Response r = api.send(io.vertx.core.http.HttpMethod.POST, "/api/posts", token,
        new JsonObject().put("boardId", boardId).put("title", title).put("content", content));
    if (r.status() != 201) {
      throw new AssertionError("create post: " + r);
    }
    return r.json();
  }
}
