package dev.liveforum.http.page;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A comment with the replies below it, built from a page of the thread as the API returns it. */
public record Thread(JsonObject comment, List<Thread> replies) {

  /**
   * The page's comments are depth-first with each reply after its parent; a reply whose parent is not
   * on the page (it cannot happen today, but a page must never lose a comment) is shown at the top level.
   */
  public static List<Thread> of(JsonArray comments) {
    List<Thread> roots = new ArrayList<>();
    Map<Long, Thread> byId = new HashMap<>();
    for (Object item : comments) {
      JsonObject comment = (JsonObject) item;
      Thread node = new Thread(comment, new ArrayList<>());
      byId.put(comment.getLong("id"), node);
      Thread parent = comment.getLong("parentId") == null ? null : byId.get(comment.getLong("parentId"));
      (parent == null ? roots : parent.replies).add(node);
    }
    return roots;
  }

  public long id() {
    return comment.getLong("id");
  }

  public boolean deleted() {
    return comment.getBoolean("deleted", false);
  }

  /** Live replies of a root below it that the page does not hold (0 for a reply). */
  public long moreReplies() {
    return comment.getLong("moreReplies", 0L);
  }

  /** "Show 3 more replies". */
  public String moreLabel() {
    return "Show " + Fmt.count(moreReplies(), "more reply", "more replies");
  }

  /** The comment a reply past the depth limit answers (beside it), or null. */
  public JsonObject replyTo() {
    return comment.getJsonObject("replyTo");
  }

  /** Whom a reply past the depth limit answers: "↪ alice", or the deleted comment's placeholder name. */
  public String replyToLabel() {
    return "↪ " + Fmt.name(replyTo().getJsonObject("author"));
  }
}
