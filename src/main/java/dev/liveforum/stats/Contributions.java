package dev.liveforum.stats;

import dev.liveforum.bus.Field;
import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.EventData;
import dev.liveforum.event.LikeEvents;
import dev.liveforum.event.PostEvents;
import dev.liveforum.event.UserEvents;
import dev.liveforum.event.ViewEvents;
import io.vertx.core.json.JsonArray;
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

  static List<Change> of(EventData event) {
    if (event instanceof UserEvents.Created u) {
      return List.of(one(dayOf(u.createdAt()), Field.USERS, 1, u.id()));
    } else if (event instanceof PostEvents.Created p) {
      return List.of(one(dayOf(p.createdAt()), Field.POSTS, 1, p.authorId()));
    } else if (event instanceof CommentEvents.Created c) {
      return List.of(one(dayOf(c.createdAt()), Field.COMMENTS, 1, c.authorId()));
    } else if (event instanceof LikeEvents.Changed l) {
      // A like counts on the day it was given, as long as it stands: withdrawing it takes it off that day.
      return l.liked() ? List.of(one(dayOf(l.likedAt()), Field.LIKES, 1, l.userId()))
          : List.of(one(dayOf(l.likedAt()), Field.LIKES, -1, null));
    } else if (event instanceof ViewEvents.Added v) {
      return List.of(one(LocalDate.parse(v.day()), Field.VIEWS, v.views(), null));
    } else if (event instanceof PostEvents.Deleted p) {
      return removed(p.removed());
    }
    return List.of();
  }

  /** A deleted post takes its own, its comments' and their likes' counts off the days they were made on. */
  private static List<Change> removed(JsonArray removed) {
    List<Change> changes = new ArrayList<>();
    for (Object entry : removed == null ? new JsonArray() : removed) {
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
