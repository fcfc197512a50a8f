package dev.liveforum.support;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What tests check on pages ({@code {items, nextCursor}}) and on problem answers. */
public final class Pages {
  private Pages() {}

  /** The ids of a 200 page's items, in order. */
  public static List<Long> ids(Api.Response r) {
    assertEquals(200, r.status(), r.toString());
    List<Long> ids = new ArrayList<>();
    r.json().getJsonArray("items").forEach(item -> ids.add(((JsonObject) item).getLong("id")));
    return ids;
  }

  /** A problem+json answer with {@code status} whose detail mentions {@code detailPart}, and no exception name. */

  /** The ids sorted newest (highest) first. */
  public static List<Long> newestFirst(List<Long> ids) {
    List<Long> sorted = new ArrayList<>(ids);
    sorted.sort((a, b) -> Long.compare(b, a));
    return sorted;
  }
}
