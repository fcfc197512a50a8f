package dev.liveforum.support;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Reading a page of comments or replies as the API answers it ({@code {items: [...]}}). */
public final class CommentPages {
  private CommentPages() {}

  /** The ids of the page's comments, in page order. */
  public static List<Long> ids(JsonObject page) {
    List<Long> ids = new ArrayList<>();
    page.getJsonArray("items").forEach(i -> ids.add(((JsonObject) i).getLong("id")));
    return ids;
  }

  /** The comment {@code id} of the page; fails the test when the page does not hold it. */
  public static JsonObject item(JsonObject page, long id) {
    for (Object o : page.getJsonArray("items")) {
      if (((JsonObject) o).getLong("id") == id) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("comment " + id + " is not in " + page.encode());
  }
}
