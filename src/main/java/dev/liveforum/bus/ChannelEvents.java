package dev.liveforum.bus;

import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.EventData;
import dev.liveforum.event.Events;
import dev.liveforum.event.LikeEvents;
import dev.liveforum.event.NotificationEvents;
import dev.liveforum.event.PostEvents;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Which channels a domain event reaches and what a browser sees of it: the event's type and time and
 * a listed subset of its data, so nothing a UI does not show (let alone an email or a token) can leak
 * onto a channel when an event grows a field. Persistence numbers and keeps each routed event in the
 * transaction of its change ({@code seqs} in the domain event: channel → number); the bridge delivers
 * it live with that number. The events it routes are {@link Events#BROWSER}.
 */
public final class ChannelEvents {
  private ChannelEvents() {}

  private static final List<String> POST_SUMMARY = shown(PostEvents.Created.class, "id", "boardId", "authorId",
      "authorName", "title", "createdAt");
  private static final List<String> POST_EDIT = shown(PostEvents.Updated.class, "id", "boardId", "title", "content",
      "contentHtml", "editedAt");
  private static final List<String> POST_GONE = shown(PostEvents.Deleted.class, "id", "boardId");
  private static final List<String> COMMENT_NEW = shown(CommentEvents.Created.class, "commentId", "postId",
      "parentId", "replyTo", "rootId", "depth", "authorId", "authorName", "content", "contentHtml", "excerpt",
      "createdAt", "commentCount");
  private static final List<String> COMMENT_EDIT = shown(CommentEvents.Updated.class, "commentId", "postId",
      "content", "contentHtml", "editedAt");
  private static final List<String> COMMENT_GONE = shown(CommentEvents.Deleted.class, "commentId", "postId",
      "rootId", "commentCount");
  private static final List<String> NOTIFICATION_NEW = shown(NotificationEvents.Created.class, "notification",
      "unread");
  private static final List<String> NOTIFICATION_SEEN = shown(NotificationEvents.Read.class, "ids", "all", "unread");
  private static final List<String> LIKE = shown(LikeEvents.Changed.class, "targetType", "targetId", "postId",
      "userId", "liked", "likeCount");

  /** One event as one channel shows it: {@code {type, at, data}}; the channel adds its seq. */
  public record Routed(String channel, JsonObject event) {}

  public static List<Routed> route(DomainEvent event) {
    EventData data = event.data();
    if (data instanceof PostEvents.Created p) {
      return List.of(on(Channel.board(p.boardId()), event, POST_SUMMARY));
    } else if (data instanceof PostEvents.Updated p) {
      return List.of(on(Channel.post(p.id()), event, POST_EDIT));
    } else if (data instanceof PostEvents.Deleted p) {
      return List.of(on(Channel.post(p.id()), event, POST_GONE), on(Channel.board(p.boardId()), event, POST_GONE));
    } else if (data instanceof CommentEvents.Created c) {
      return List.of(on(Channel.post(c.postId()), event, COMMENT_NEW));
    } else if (data instanceof CommentEvents.Updated c) {
      return List.of(on(Channel.post(c.postId()), event, COMMENT_EDIT));
    } else if (data instanceof CommentEvents.Deleted c) {
      return List.of(on(Channel.post(c.postId()), event, COMMENT_GONE));
    } else if (data instanceof LikeEvents.Changed l) {
      return List.of(on(Channel.post(l.postId()), event, LIKE));
    } else if (data instanceof NotificationEvents.Created n) {
      return List.of(on(Channel.user(n.userId()), event, NOTIFICATION_NEW));
    } else if (data instanceof NotificationEvents.Read n) {
      return List.of(on(Channel.user(n.userId()), event, NOTIFICATION_SEEN));
    }
    return List.of();
  }

  /** What browsers see of an event record: {@code fields}, each of which must be one of its fields. */
  private static List<String> shown(Class<? extends Record> type, String... fields) {
    List<String> all = Events.fields(type);
    for (String field : fields) {
      if (!all.contains(field)) {
        throw new IllegalStateException(type.getName() + " has no field " + field + " to show");
      }
    }
    return List.of(fields);
  }

  private static Routed on(String channel, DomainEvent event, List<String> fields) {
    JsonObject data = event.data().toJson();
    JsonObject shown = new JsonObject();
    for (String field : fields) {
      shown.put(field, data.getValue(field));
    }
    return new Routed(channel, new JsonObject()
        .put(Field.TYPE, event.type())
        .put(Field.AT, event.at())
        .put(Field.DATA, shown));
  }
}
