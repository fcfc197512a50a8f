package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;

/** Who a command is for, as the HTTP edge verified it; {@code id} is null for a guest. */
record Actor(Long id, String role) {
  static Actor of(JsonObject body) {
    return new Actor(body.getLong(Field.ACTOR_ID), body.getString(Field.ACTOR_ROLE, "guest"));
  }

  boolean admin() {
    return id != null && "admin".equals(role);
  }

  Actor requireUser() {
    if (id == null) {
      throw Failure.unauthorized("sign in first");
    }
    return this;
  }

  Actor requireAdmin(String what) {
    requireUser();
    if (!admin()) {
      throw Failure.forbidden("only admins may " + what);
    }
    return this;
  }

  /** Authors change their own content; admins change anyone's. */
  void requireAuthorOrAdmin(long authorId, String what) {
    requireUser();
    if (!admin() && id != authorId) {
      throw Failure.forbidden("only the author or an admin may " + what);
    }
  }
}
