package dev.liveforum.event;

import io.vertx.core.json.JsonObject;

/** Events of images. */
public final class ImageEvents {
  private ImageEvents() {}

  /** An image was added to a post. */
  public record Created(long id, long postId, String contentType, long size, String sha256, String url,
                        String createdAt) implements EventData, OnPost {
    public static final String TYPE = "image.created";

    public static Created from(JsonObject data) {
      return EventJson.read(Created.class, TYPE, data);
    }

    @Override
    public String type() {
      return TYPE;
    }
  }
}
