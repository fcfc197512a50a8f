package dev.liveforum.http;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import dev.liveforum.http.page.Origins;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * /api/auth/session: the browser's session. The refresh token lives in an HttpOnly cookie that only
 * these routes receive, so page scripts never hold it; the access token is answered in the body as for
 * REST clients. Sessions are the same refresh-token families as /api/auth/login's.
 */
final class SessionRoutes {
  static final String COOKIE = "lf_session";
  static final String PATH = "/api/auth/session";

  private final Edge edge;
  private final AccountRoutes accounts;
  private final long maxAgeSeconds;
  private final List<String> trustedOrigins;

  SessionRoutes(Edge edge, AccountRoutes accounts, int refreshTtlDays, List<String> trustedOrigins) {
    this.edge = edge;
    this.accounts = accounts;
    this.maxAgeSeconds = refreshTtlDays * 86_400L;
    this.trustedOrigins = trustedOrigins;
  }

  void signIn(RoutingContext rc) {
    accounts.signIn(rc).onSuccess(session -> answer(rc, session));
  }

  /** Rotates the cookie's refresh token. A token that is refused is cleared: it will never work again. */
  void refresh(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie == null) {
      Problems.send(rc, 401, "not signed in");
      return;
    }
    edge.askQuietly(rc, Address.TOKEN_REFRESH, new JsonObject().put(Field.REFRESH_TOKEN, cookie.getValue()))
        .onSuccess(session -> answer(rc, session))
        .onFailure(t -> {
          if (t instanceof ReplyException re) {
            if (re.failureCode() == 401) {
              clear(rc);
            }
            Problems.fromBus(rc, re);
          } else {
            rc.fail(t);
          }
        });
  }

  /** Sign-out is idempotent: with no cookie, or an unknown one, there is nothing to revoke. */
  void signOut(RoutingContext rc) {
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie == null) {
      clear(rc);
      Edge.noContent(rc);
      return;
    }
    edge.ask(rc, Address.TOKEN_REVOKE, new JsonObject().put(Field.REFRESH_TOKEN, cookie.getValue()))
        .onSuccess(ok -> {
          clear(rc);
          Edge.noContent(rc);
        });
  }

  /**
   * The cookie is sent by the browser whoever asks, so a page of another origin must not reach these
   * routes. SameSite=Strict keeps other sites' requests from carrying it; this also refuses other
   * origins of the same site (another port or subdomain) unless they are trusted in
   * {@code http.corsOrigins}. A request without Origin is no browser's cross-origin request.
   */
  Handler<RoutingContext> originCheck() {
    return rc -> {
      String origin = rc.request().getHeader("Origin");
      if (origin == null || Origins.fromOwnPage(rc.request()) || trustedOrigins.contains(origin)) {
        rc.next();
      } else {
        Problems.send(rc, 403, "requests from origin " + origin + " may not use the session cookie");
      }
    };
  }

  private void answer(RoutingContext rc, JsonObject session) {
    rc.response().addCookie(cookie(rc, session.getString(Field.REFRESH_TOKEN), maxAgeSeconds));
    Edge.json(rc, 200, accounts.access(session).put(Field.USER, session.getJsonObject(Field.USER)));
  }

  private static void clear(RoutingContext rc) {
    rc.response().addCookie(cookie(rc, "", 0));
  }

  private static Cookie cookie(RoutingContext rc, String value, long maxAgeSeconds) {
    return Cookie.cookie(COOKIE, value).setPath(PATH).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
        .setMaxAge(maxAgeSeconds).setSecure(Origins.https(rc.request()));
  }
}
