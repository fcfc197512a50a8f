package dev.liveforum.support;

import dev.liveforum.config.Config;
import dev.liveforum.persistence.Admins;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one test fixture: members, admins, boards, posts and comments of one node's forum, made through
 * its real API (an admin is promoted in its database, as an operator would). Nothing is made before a
 * test asks for it.
 */
public final class Forum {
  public static final String PASSWORD = "correct horse battery";
  private static final AtomicInteger SEQ = new AtomicInteger();

  /** A signed-in member: their name, id and the tokens the sign-in gave. */
  public record Member(String name, long id, String token, String refreshToken) {
    public String email() {
      return Forum.email(name);
    }
  }

  public final Api api;
  private final Supplier<Config.Db> db;
  private String adminToken;
  private Long board;

  public Forum(Api api) {
    this(api, () -> TestServices.config().db());
  }

  /** For nodes on a database of their own ({@code config}'s). */
  public Forum(Api api, Config config) {
    this(api, config::db);
  }

  private Forum(Api api, Supplier<Config.Db> db) {
    this.api = api;
    this.db = db;
  }

  /** This forum as seen through another node of its cluster: the same admin and board, requests sent to {@code other}. */
  public Forum via(Api other) {
    Forum through = new Forum(other, db);
    through.adminToken = adminToken;
    through.board = board;
    return through;
  }

  /** A name no other test of this run uses. */
  public static String unique(String base) {
    return base + SEQ.incrementAndGet() + "_" + TestServices.RUN_ID.substring(0, 6);
  }

  /** The address the fixture registers {@code username} with. */
  public static String email(String username) {
    return username.toLowerCase() + "@example.com";
  }

  /** Registers {@code username} (exactly) with {@code password} and signs in; returns the login response body. */
  public JsonObject register(String username, String password) {
    Api.Response r = api.post("/api/auth/register", new JsonObject().put("username", username)
        .put("email", email(username)).put("password", password));
    if (r.status() != 201) {
      throw new AssertionError("register " + username + ": " + r);
    }
    return login(email(username), password);
  }

  /** Registers {@code username} (exactly) with {@link #PASSWORD} and signs in. */
  public Member register(String username) {
    return member(username, register(username, PASSWORD));
  }

  /** Signs in with {@code email} and {@code password}; returns the login response body. */
  public JsonObject login(String email, String password) {
    Api.Response r = api.post("/api/auth/login", new JsonObject().put("email", email).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("login " + email + ": " + r);
    }
    return r.json();
  }

  /** Signs {@code username} in again (with {@link #PASSWORD}): new tokens. */
  public Member login(String username) {
    return member(username, login(email(username), PASSWORD));
  }

  /** A new member whose name starts with {@code base}. */
  public Member member(String base) {
    return register(unique(base));
  }

  /** A new member's access token. */
  public String user(String base) {
    return member(base).token();
  }

  /** A new admin whose name starts with {@code base}, signed in after being made one. */
  public Member admin(String base) {
    String name = unique(base);
    register(name);
    try {
      Admins.makeAdmin(db.get(), name);
    } catch (Exception e) {
      throw new IllegalStateException("make " + name + " an admin", e);
    }
    return login(name);
  }

  /** This forum's admin's access token; the admin is made on first use. */
  public String adminToken() {
    if (adminToken == null) {
      adminToken = admin("admin").token();
    }
    return adminToken;
  }

  /** A new board whose name starts with {@code base}; returns its id. */
  public long board(String base) {
    Api.Response r = api.send(HttpMethod.POST, "/api/boards", adminToken(), new JsonObject().put("name", unique(base)));
    if (r.status() != 201) {
      throw new AssertionError("create board " + base + ": " + r);
    }
    return r.json().getLong("id");
  }

  /** This forum's board for tests that need one but no particular one; made on first use. */
  public long board() {
    if (board == null) {
      board = board("board");
    }
    return board;
  }

  /** Creates a post; returns it as the API answered. */
  public JsonObject post(String token, long boardId, String title, String content) {
    Api.Response r = api.send(HttpMethod.POST, "/api/posts", token,
        new JsonObject().put("boardId", boardId).put("title", title).put("content", content));
    if (r.status() != 201) {
      throw new AssertionError("create post " + title + ": " + r);
    }
    return r.json();
  }

  /** Creates a post; returns its id. */
  public long postId(String token, long boardId, String title, String content) {
    return post(token, boardId, title, content).getLong("id");
  }

  /** A new post by {@code token} on {@link #board()}, for tests that need one but not its text; returns its id. */
  public long post(String token) {
    return postId(token, board(), unique("A post "), "Something to talk about");
  }

  /** Comments on a post, as a reply to {@code parentId} when it is not null; returns the comment as the API answered. */
  public JsonObject comment(String token, long postId, Long parentId, String content) {
    JsonObject body = new JsonObject().put("content", content);
    if (parentId != null) {
      body.put("parentId", parentId);
    }
    Api.Response r = api.send(HttpMethod.POST, "/api/posts/" + postId + "/comments", token, body);
    if (r.status() != 201) {
      throw new AssertionError("comment on post " + postId + ": " + r);
    }
    return r.json();
  }

  /** Comments on a post, as a reply to {@code parentId} when it is not null; returns the comment's id. */
  public long commentId(String token, long postId, Long parentId, String content) {
    return comment(token, postId, parentId, content).getLong("id");
  }

  private static Member member(String name, JsonObject login) {
    return new Member(name, login.getJsonObject("user").getLong("id"), login.getString("accessToken"),
        login.getString("refreshToken"));
  }
}
