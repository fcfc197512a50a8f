package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The domain events and who listens to which. Persistence records an event in the transaction of its
 * change and publishes it after commit on {@code event.<type>}; consumers subscribe through the lists
 * below, so "who reacts to comment.created" is a look at this class. docs/events.md is the catalogue
 * (event → producer → consumers → fields); EventCatalogueTest keeps it true.
 */
public final class Events {
  private Events() {}

  public static final String ADDRESS_PREFIX = "event.";

  /** Every event type, and the record that carries its data. */
  private static final Map<String, Class<? extends EventData>> RECORDS = Map.ofEntries(
      Map.entry(UserEvents.Created.TYPE, UserEvents.Created.class),
      Map.entry(BoardEvents.Created.TYPE, BoardEvents.Created.class),
      Map.entry(BoardEvents.Updated.TYPE, BoardEvents.Updated.class),
      Map.entry(BoardEvents.Deleted.TYPE, BoardEvents.Deleted.class),
      Map.entry(PostEvents.Created.TYPE, PostEvents.Created.class),
      Map.entry(PostEvents.Updated.TYPE, PostEvents.Updated.class),
      Map.entry(PostEvents.Deleted.TYPE, PostEvents.Deleted.class),
      Map.entry(ImageEvents.Created.TYPE, ImageEvents.Created.class),
      Map.entry(CommentEvents.Created.TYPE, CommentEvents.Created.class),
      Map.entry(CommentEvents.Updated.TYPE, CommentEvents.Updated.class),
      Map.entry(CommentEvents.Deleted.TYPE, CommentEvents.Deleted.class),
      Map.entry(LikeEvents.Changed.TYPE, LikeEvents.Changed.class),
      Map.entry(ViewEvents.Added.TYPE, ViewEvents.Added.class),
      Map.entry(NotificationEvents.Created.TYPE, NotificationEvents.Created.class),
      Map.entry(NotificationEvents.Read.TYPE, NotificationEvents.Read.class));

  /** The address events of {@code type} are published on. */
  public static String address(String type) {
    return ADDRESS_PREFIX + type;
  }

  /** Every event type. */
  public static Set<String> types() {
    return RECORDS.keySet();
  }

  /** The record that carries the data of events of {@code type}; null for an unknown type. */
  public static Class<? extends EventData> recordOf(String type) {
    return type == null ? null : RECORDS.get(type);
  }

  /**
   * The data of an event of {@code type}, checked by its record.
   *
   * @throws IllegalArgumentException for an unknown type, or data its record refuses
   */
  public static EventData read(String type, JsonObject data) {
    Class<? extends EventData> record = recordOf(type);
    if (record == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    return (EventData) EventJson.read(record.asSubclass(Record.class), type, data);
  }

  /** The JSON fields of an event record, in order (for the catalogue and the channel views). */
  public static List<String> fields(Class<? extends Record> type) {
    return EventJson.fields(type);
  }

  // Who listens to what.

  /** The events browsers receive, on the realtime channels they reach (bus/ChannelEvents). */
  public static final List<String> BROWSER = List.of(PostEvents.Created.TYPE, PostEvents.Updated.TYPE,
      PostEvents.Deleted.TYPE, CommentEvents.Created.TYPE, CommentEvents.Updated.TYPE, CommentEvents.Deleted.TYPE,
      LikeEvents.Changed.TYPE, NotificationEvents.Created.TYPE, NotificationEvents.Read.TYPE);

  /** The events the daily statistics count (stats/Contributions). */
  public static final List<String> STATS = List.of(UserEvents.Created.TYPE, PostEvents.Created.TYPE,
      PostEvents.Deleted.TYPE, CommentEvents.Created.TYPE, LikeEvents.Changed.TYPE, ViewEvents.Added.TYPE);

  /** The events a search index follows: what posts and comments say, and their deletion (search/IndexedEvents). */
  public static final List<String> SEARCH = List.of(PostEvents.Created.TYPE, PostEvents.Updated.TYPE,
      PostEvents.Deleted.TYPE, CommentEvents.Created.TYPE, CommentEvents.Updated.TYPE, CommentEvents.Deleted.TYPE);

  /** Events after which someone may have to be notified (comments, replies, likes, @mentions). */
  public static final Set<String> NOTIFICATION_SOURCES = Set.of(CommentEvents.Created.TYPE,
      CommentEvents.Updated.TYPE, PostEvents.Created.TYPE, PostEvents.Updated.TYPE, LikeEvents.Changed.TYPE);

  /** Events after which a post's page reads differently: those of the post ({@link OnPost}), and a comment's edit. */
  public static final List<String> POST_PAGE_CHANGES = List.of(PostEvents.Updated.TYPE, PostEvents.Deleted.TYPE,
      CommentEvents.Created.TYPE, CommentEvents.Updated.TYPE, CommentEvents.Deleted.TYPE, LikeEvents.Changed.TYPE,
      ImageEvents.Created.TYPE);

  /** Events after which a list of posts may read differently, besides those of {@link #POST_PAGE_CHANGES}. */
  public static final List<String> LIST_PAGE_CHANGES = List.of(PostEvents.Created.TYPE, BoardEvents.Created.TYPE,
      BoardEvents.Updated.TYPE, BoardEvents.Deleted.TYPE);

  /** Events after which the shared cache drops what it holds of a post and the lists. */
  public static final List<String> CACHED_CHANGES = List.of(PostEvents.Created.TYPE, PostEvents.Updated.TYPE,
      PostEvents.Deleted.TYPE, CommentEvents.Created.TYPE, CommentEvents.Updated.TYPE, CommentEvents.Deleted.TYPE,
      LikeEvents.Changed.TYPE, ImageEvents.Created.TYPE);
}
