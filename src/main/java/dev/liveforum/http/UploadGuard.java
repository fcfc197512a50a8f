package dev.liveforum.http;

import dev.liveforum.auth.AccessTokens;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import dev.liveforum.config.Config;
import dev.liveforum.net.Budget;
import dev.liveforum.auth.RateLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

import java.util.List;

/**
 * Whether an upload's body may come at all, decided from its headers before a byte of it is read or
 * {@code 100 Continue} is said: a valid token, a post its user may add images to, room among the
 * uploads in flight (per client IP and on this node), and an upload left within {@code limits.upload.*}
 * (counted here, once the rest has let it through). So a guest, or anyone uploading to another's post,
 * costs the server a header block and one look-up, not megabytes; persistence still checks the same
 * rights again when it stores the image.
 */
final class UploadGuard {
  private final Edge edge;
  /** Bytes of uploads admitted and not yet answered, by client IP and in all. */
  private final Budget pending;

  UploadGuard(Edge edge, Config.Http http) {
    this.edge = edge;
    this.pending = Budget.of(edge.vertx(), "uploads.pending", http.maxPendingUploadBytesPerIp(),
        http.maxPendingUploadBytes());
  }

  /**
   * Admits an upload of {@code bytes} to post {@code postId}: its user may add images there, and the bytes
   * fit in the budget, held until the returned action gives them back. A failure is the problem to answer.
   */
  Future<Runnable> admit(RoutingContext rc, long postId, long bytes) {
    return edge.bearer(rc)
        .compose(user -> user == null ? Future.failedFuture(new HttpException(401))
            : edge.askQuietly(rc, Address.POST_GET, new JsonObject().put(Field.ID, postId)).compose(post -> {
              long authorId = post.getJsonObject("author").getLong(Field.ID);
              return AccessTokens.userId(user) == authorId || "admin".equals(AccessTokens.role(user))
                  ? take(RequestLog.clientIp(rc), bytes).compose(release -> counted(rc, user, release))
                  : Future.failedFuture(new HttpException(403, "only the author or an admin may add images to this post"));
            }));
  }

  /** The admitted upload, counted against the upload limits; over one, its budget given back and refused. */
  private Future<Runnable> counted(RoutingContext rc, User user, Runnable release) {
    return edge.count(rc, user, List.of(RateLimits.Count.of(edge.limits().upload()))).compose(refusal -> {
      if (refusal == null) {
        return Future.succeededFuture(release);
      }
      release.run();
      return Future.failedFuture(new Limited(refusal));
    }, t -> {
      release.run();
      return Future.failedFuture(t);
    });
  }

  /** An upload over a limit of {@code limits.upload.*}: answered 429 as any limited write. */
  static final class Limited extends RuntimeException {
    final RateLimits.Refusal refusal;

    Limited(RateLimits.Refusal refusal) {
      super(refusal.detail(), null, false, false);
      this.refusal = refusal;
    }
  }

  private Future<Runnable> take(String client, long bytes) {
    return switch (pending.take(client, bytes)) {
      case OVER_CLIENT -> Future.failedFuture(new HttpException(429, "this address has uploads of up to "
          + pending.perClient() + " bytes in flight already: wait for one to finish"));
      case OVER_TOTAL -> Future.failedFuture(new HttpException(503, "the server is receiving as many uploads as it"
          + " holds at once: try again shortly"));
      case TAKEN -> {
        boolean[] given = {false};
        yield Future.succeededFuture(() -> {
          if (!given[0]) {
            given[0] = true;
            pending.give(client, bytes);
          }
        });
      }
    };
  }
}
