package dev.liveforum.persistence;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.nio.charset.StandardCharsets;

/** bcrypt, always on a worker pool: one hash costs tens to hundreds of milliseconds. */
final class Passwords {
  static final int MAX_BYTES = 72;
  /** Verified against when an email is unknown, so a failed login takes as long either way. */
  private volatile String decoyHash;
  private final WorkerExecutor workers;
  private final int cost;

  Passwords(WorkerExecutor workers, int cost) {
    this.workers = workers;
    this.cost = cost;
  }

  Future<String> hash(String password) {
    return workers.executeBlocking(
        () -> BCrypt.withDefaults().hashToString(cost, password.toCharArray()), false);
  }

  /** Checks a password against a stored hash, or against the decoy when there is none. */
  Future<Boolean> verify(String password, String hash) {
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      // No account can have such a password, and bcrypt refuses to check one.
      return Future.succeededFuture(false);
    }
    return workers.executeBlocking(() -> {
      String against = hash == null ? decoy() : hash;
      boolean matches = BCrypt.verifyer()
          .verify(password.getBytes(StandardCharsets.UTF_8), against.getBytes(StandardCharsets.UTF_8)).verified;
      return matches && hash != null;
    }, false);
  }

  /** Made on first use, on a worker thread. */
  private String decoy() {
    if (decoyHash == null) {
      decoyHash = BCrypt.withDefaults().hashToString(cost, "decoy-password".toCharArray());
    }
    return decoyHash;
  }
}
