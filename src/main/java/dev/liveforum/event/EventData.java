package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/**
 * What a domain event says: one record per kind of change, in {@code <Aggregate>Events}. Its components are
 * its JSON fields; the producer builds it, every consumer reads it back with the record's {@code from}.
 */
public sealed interface EventData permits UserEvents.Created, BoardEvents.Created, BoardEvents.Updated,
    BoardEvents.Deleted, PostEvents.Created, PostEvents.Updated, PostEvents.Deleted, ImageEvents.Created,
    CommentEvents.Created, CommentEvents.Updated, CommentEvents.Deleted, LikeEvents.Changed, ViewEvents.Added,
    NotificationEvents.Created, NotificationEvents.Read {

  /** The event's type, {@code <aggregate>.<verb>}: the address it is published on is {@link Events#address}. */
  String type();

  /** Its JSON: one field per record component, named as it is. */
  default JsonObject toJson() {
    return EventJson.write((Record) this);
  }
}
