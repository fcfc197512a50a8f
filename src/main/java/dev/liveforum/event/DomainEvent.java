package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain event as persistence keeps it in its outbox and publishes it after commit on
 * {@link Events#address}: {@code {eventId, type, at, data, seqs, requestId}}.
 *
 * @param eventId   unique: consumers count, notify and deliver each event once by it
 * @param at        when it was made (ISO-8601)
 * @param seqs      its number on each realtime channel it reaches (channel → seq), set in the transaction
 *                  of the change; null before that
 * @param requestId the {@code x-request-id} of the HTTP request that made it (null for a change no request
 *                  made, such as a batch of views): every consumer's log line about the event names it
 */
public record DomainEvent(String eventId, String type, String at, EventData data, JsonObject seqs,
                          String requestId) {
  public static final String EVENT_ID = "eventId";
  public static final String TYPE = "type";
  public static final String AT = "at";
  public static final String DATA = "data";
  public static final String SEQS = "seqs";
  public static final String REQUEST_ID = "requestId";

  /** A new event: {@code data}, under a new id, made now on behalf of request {@code requestId}. */
  public static DomainEvent of(EventData data, String requestId) {
    return new DomainEvent(UUID.randomUUID().toString(), data.type(), Instant.now().toString(), data, null, requestId);
  }

  /**
   * Reads an event; its data is checked by its type's record.
   *
   * @throws IllegalArgumentException for an unknown type or data its record refuses
   */
  public static DomainEvent from(JsonObject json) {
    String type = json.getString(TYPE);
    return new DomainEvent(json.getString(EVENT_ID), type, json.getString(AT),
        Events.read(type, json.getJsonObject(DATA)), json.getJsonObject(SEQS), json.getString(REQUEST_ID));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put(EVENT_ID, eventId).put(TYPE, type).put(AT, at).put(DATA, data.toJson());
    if (seqs != null) {
      json.put(SEQS, seqs);
    }
    if (requestId != null) {
      json.put(REQUEST_ID, requestId);
    }
    return json;
  }

  public DomainEvent withSeqs(JsonObject numbers) {
    return new DomainEvent(eventId, type, at, data, numbers, requestId);
  }

  /** The address it is published on. */
  public String address() {
    return Events.address(type);
  }

  /** How log lines name it: {@code <type> <eventId> [request <id>]}. */
  @Override
  public String toString() {
    return type + " " + eventId + " [request " + requestId + "]";
  }
}
