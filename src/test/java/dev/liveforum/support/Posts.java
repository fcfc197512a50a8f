package dev.liveforum.support;

import dev.liveforum.config.Config;
import dev.liveforum.persistence.Admins;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** Makes the boards and posts a test reads, through the API as a user would. */
public final class Posts {
  private Posts() {}

  /** Registers {@code username}, makes them an admin and signs them in again; returns the access token. */
  public static String admin(Api api, String username, String password) {
    return admin(api, username, password, TestServices.config().db());
  }

  /** As {@link #admin(Api, String, String)}, for a node on the database {@code db}. */
  public static String admin(Api api, String username, String password, Config.Db db) {
    api.newUser(username, password);
    try {
      Admins.makeAdmin(db, username);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return api.login(username.toLowerCase() + "@example.com", password).getString("accessToken");
  }

  /** Creates a board (as an admin); returns its id. */
  public static long board(Api api, String adminToken, String name) {
    Api.Response r = api.send(HttpMethod.POST, "/api/boards", adminToken, new JsonObject().put("name", name));
    if (r.status() != 201) {
      throw new AssertionError("create board " + name + ": " + r);
    }
    return r.json().getLong("id");
  }

  /** Creates a post; returns its id. */
  public static long post(Api api, String token, long boardId, String title, String content) {
    return create(api, token, boardId, title, content).getLong("id");
  }

  /** Creates a post; returns it as the API answered. */
  public static JsonObject create(Api api, String token, long boardId, String title, String content) {
    Api.Response r = api.send(HttpMethod.POST, "/api/posts", token,
        new JsonObject().put("boardId", boardId).put("title", title).put("content", content));
    if (r.status() != 201) {
      throw new AssertionError("create post " + title + ": " + r);
    }
    return r.json();
  }

  /** Comments on a post, as a reply to {@code parentId} when it is not null; returns the comment's id. */
  public static long comment(Api api, String token, long postId, Long parentId, String content) {
    JsonObject body = new JsonObject().put("content", content);
    if (parentId != null) {
      body.put("parentId", parentId);
    }
    Api.Response r = api.send(HttpMethod.POST, "/api/posts/" + postId + "/comments", token, body);
    if (r.status() != 201) {
      throw new AssertionError("comment on post " + postId + ": " + r);
    }
    return r.json().getLong("id");
  }
}
