package dev.liveforum.stats;

import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a domain event changes in the daily figures. The day is always the one the database files the
 * row under (the row's own time, carried by the event), so counting events and counting rows agree
 * even for an event that crosses midnight on its way.
 */
final class Contributions {
  private Contributions() {}

  /** On {@code day}: counters to move by {@code deltas}, and a user to count as active (or null). */
  record Change(LocalDate day, Map<String, Long> deltas, Long activeUser) {
    /** The deltas as a script argument: {@code users:1,likes:-1}. */
    String encoded() {
      StringBuilder out = new StringBuilder();
      deltas.forEach((field, n) -> out.append(out.isEmpty() ? "" : ",").append(field).append(':').append(n));
      return out.toString();
    }
  }

  static List<Change> of(JsonObject event) {
    JsonObject data = event.getJsonObject(Field.DATA, new JsonObject());
    String type = event.getString(Field.TYPE, "");
    return switch (type) {
      case Address.USER_CREATED -> List.of(one(dayOf(data.getString(Field.CREATED_AT)), Field.USERS, 1,
          data.getLong(Field.ID)));
      case Address.POST_CREATED -> List.of(one(dayOf(data.getString(Field.CREATED_AT)), Field.POSTS, 1,
          data.getLong(Field.AUTHOR_ID)));
      case Address.COMMENT_CREATED -> List.of(one(dayOf(data.getString(Field.CREATED_AT)), Field.COMMENTS, 1,
          data.getLong(Field.AUTHOR_ID)));
      // A like counts on the day it was given, as long as it stands: withdrawing it takes it off that day.
      case Address.LIKE_CHANGED -> data.getBoolean(Field.LIKED, false)
          ? List.of(one(dayOf(data.getString(Field.LIKED_AT)), Field.LIKES, 1, data.getLong(Field.USER_ID)))
          : List.of(one(dayOf(data.getString(Field.LIKED_AT)), Field.LIKES, -1, null));
      case Address.VIEWS_ADDED -> List.of(one(LocalDate.parse(data.getString(Field.DAY)), Field.VIEWS,
          data.getLong(Field.VIEWS), null));
      case Address.POST_DELETED -> removed(data);
      default -> List.of();
    };
  }

  /** A deleted post takes its own, its comments' and their likes' counts off the days they were made on. */
  private static List<Change> removed(JsonObject data) {
    List<Change> changes = new ArrayList<>();
    for (Object entry : data.getJsonArray(Field.REMOVED, new io.vertx.core.json.JsonArray())) {
      JsonObject day = (JsonObject) entry;
      Map<String, Long> deltas = new LinkedHashMap<>();
      for (String field : List.of(Field.POSTS, Field.COMMENTS, Field.LIKES)) {
        long n = day.getLong(field, 0L);
        if (n != 0) {
          deltas.put(field, -n);
        }
      }
      if (!deltas.isEmpty()) {
        changes.add(new Change(LocalDate.parse(day.getString(Field.DAY)), deltas, null));
      }
    }
    return changes;
  }

  private static Change one(LocalDate day, String field, long delta, Long activeUser) {
    return new Change(day, Map.of(field, delta), activeUser);
  }

  static LocalDate dayOf(String instant) {
    return Instant.parse(instant).atOffset(ZoneOffset.UTC).toLocalDate();
  }
}
