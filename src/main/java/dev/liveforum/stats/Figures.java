package dev.liveforum.stats;

import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;

/** One UTC day's figures; README "Statistics" says what each counts. */
record Figures(LocalDate day, long users, long posts, long comments, long likes, long views, long activeUsers) {
  static Figures none(LocalDate day) {
    return new Figures(day, 0, 0, 0, 0, 0, 0);
  }

  JsonObject json() {
    return new JsonObject()
        .put(Field.DAY, day.toString())
        .put(Field.USERS, users)
        .put(Field.POSTS, posts)
        .put(Field.COMMENTS, comments)
        .put(Field.LIKES, likes)
        .put(Field.VIEWS, views)
        .put(Field.ACTIVE_USERS, activeUsers);
  }
}
