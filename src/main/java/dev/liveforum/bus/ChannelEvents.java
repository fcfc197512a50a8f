package dev.liveforum.bus;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Which channels a domain event reaches and what a browser sees of it: the event's type and time and
 * a listed subset of its data, so nothing a UI does not show (let alone an email or a token) can leak
 * onto a channel when an event grows a field. Persistence numbers and keeps each routed event in the
 * transaction of its change ({@code seqs} in the domain event: channel → number); the bridge delivers
 * it live with that number.
 */
public final class ChannelEvents {
  private ChannelEvents() {}

  /** The domain events browsers receive. */
  public static final List<String> TYPES = List.of(Address.POST_CREATED, Address.POST_UPDATED, Address.POST_DELETED,
      Address.COMMENT_CREATED, Address.COMMENT_UPDATED, Address.COMMENT_DELETED, Address.LIKE_CHANGED,
      Address.NOTIFICATION_CREATED, Address.NOTIFICATION_READ);

  private static final List<String> POST_SUMMARY = List.of(Field.ID, Field.BOARD_ID, Field.AUTHOR_ID, "authorName",
      Field.TITLE, Field.CREATED_AT);
  private static final List<String> POST_EDIT = List.of(Field.ID, Field.BOARD_ID, Field.TITLE, Field.CONTENT,
      "contentHtml", "editedAt");
  private static final List<String> POST_GONE = List.of(Field.ID, Field.BOARD_ID);
  private static final List<String> COMMENT_NEW = List.of(Field.COMMENT_ID, Field.POST_ID, Field.PARENT_ID, "replyTo", "rootId",
      "depth", Field.AUTHOR_ID, "authorName", Field.CONTENT, "contentHtml", "excerpt", Field.CREATED_AT,
      "commentCount");
  private static final List<String> COMMENT_EDIT = List.of(Field.COMMENT_ID, Field.POST_ID, Field.CONTENT,
      "contentHtml", "editedAt");
  private static final List<String> COMMENT_GONE = List.of(Field.COMMENT_ID, Field.POST_ID, "commentCount");
  private static final List<String> NOTIFICATION_NEW = List.of("notification", Field.UNREAD);
  private static final List<String> NOTIFICATION_SEEN = List.of("ids", "all", Field.UNREAD);
  private static final List<String> LIKE = List.of(Field.TARGET_TYPE, Field.TARGET_ID, Field.POST_ID, Field.USER_ID,
      Field.LIKED, Field.LIKE_COUNT);

  /** One event as one channel shows it: {@code {type, at, data}}; the channel adds its seq. */
  public record Routed(String channel, JsonObject event) {}

  public static List<Routed> route(JsonObject domainEvent) {
    String type = domainEvent.getString(Field.TYPE);
    JsonObject data = domainEvent.getJsonObject(Field.DATA, new JsonObject());
    return switch (type) {
      case Address.POST_CREATED -> List.of(on(Channel.board(data.getLong(Field.BOARD_ID)), domainEvent, POST_SUMMARY));
      case Address.POST_UPDATED -> List.of(on(Channel.post(data.getLong(Field.ID)), domainEvent, POST_EDIT));
      case Address.POST_DELETED -> List.of(on(Channel.post(data.getLong(Field.ID)), domainEvent, POST_GONE),
          on(Channel.board(data.getLong(Field.BOARD_ID)), domainEvent, POST_GONE));
      case Address.COMMENT_CREATED -> List.of(on(Channel.post(data.getLong(Field.POST_ID)), domainEvent, COMMENT_NEW));
      case Address.COMMENT_UPDATED -> List.of(on(Channel.post(data.getLong(Field.POST_ID)), domainEvent, COMMENT_EDIT));
      case Address.COMMENT_DELETED -> List.of(on(Channel.post(data.getLong(Field.POST_ID)), domainEvent, COMMENT_GONE));
      case Address.LIKE_CHANGED -> List.of(on(Channel.post(data.getLong(Field.POST_ID)), domainEvent, LIKE));
      case Address.NOTIFICATION_CREATED ->
          List.of(on(Channel.user(data.getLong(Field.USER_ID)), domainEvent, NOTIFICATION_NEW));
      case Address.NOTIFICATION_READ ->
          List.of(on(Channel.user(data.getLong(Field.USER_ID)), domainEvent, NOTIFICATION_SEEN));
      default -> List.of();
    };
  }

  private static Routed on(String channel, JsonObject domainEvent, List<String> fields) {
    JsonObject data = domainEvent.getJsonObject(Field.DATA);
    JsonObject shown = new JsonObject();
    for (String field : fields) {
      if (data.containsKey(field)) {
        shown.put(field, data.getValue(field));
      }
    }
    return new Routed(channel, new JsonObject()
        .put(Field.TYPE, domainEvent.getString(Field.TYPE))
        .put(Field.AT, domainEvent.getString(Field.AT))
        .put(Field.DATA, shown));
  }
}
