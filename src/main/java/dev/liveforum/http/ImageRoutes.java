package dev.liveforum.http;

import dev.liveforum.auth.RateLimits.Count;
import dev.liveforum.bus.Address;
import dev.liveforum.bus.Field;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;

/** /api/posts/{id}/images and /api/images/{id}: uploading images to a post, and serving them. */
final class ImageRoutes {
  /** The operation that takes uploads: its body is read by {@link Uploads}. */
  static final String UPLOAD = "uploadImage";
  /** The form field that carries the image. */
  static final String FILE = "file";
  /** An image's bytes never change (a new upload is a new image), so caches may keep them for good. */
  private static final String CACHE_FOREVER = "public, max-age=31536000, immutable";
  /**
   * An image opened on its own is shown, never run: no script, no plugin, no same-origin rights, even
   * for a file stored before uploads were re-encoded or a browser that sniffs.
   */
  private static final String SANDBOX = "default-src 'none'; sandbox";

  private final Edge edge;
  private final CachedReads cache;

  ImageRoutes(Edge edge, CachedReads cache) {
    this.edge = edge;
    this.cache = cache;
  }

  void upload(RoutingContext rc) {
    List<Uploads.Part> files = Uploads.parts(rc).stream().filter(p -> p.name().equals(FILE)).toList();
    if (files.size() != 1) {
      Problems.send(rc, 400, "send exactly one file, in the form field '" + FILE + "'");
      return;
    }
    Uploads.Part file = files.get(0);
    JsonObject command = new JsonObject().put(Field.POST_ID, Edge.id(rc)).put(Field.BYTES, file.bytes())
        .put(Field.CONTENT_TYPE, file.contentType());
    // Counted against limits.upload.* when its headers were admitted, before its body (UploadGuard).
    edge.withActor(rc, command)
        .compose(c -> edge.ask(rc, Address.IMAGE_UPLOAD, c))
        // the post's list of images changed
        .compose(image -> cache.invalidate(rc, image.getLong(Field.POST_ID)).map(image))
        .onSuccess(image -> {
          rc.response().putHeader(HttpHeaders.LOCATION, image.getString(Field.URL));
          Edge.json(rc, 201, image);
        });
  }

  void get(RoutingContext rc) {
    JsonObject query = new JsonObject().put(Field.ID, Edge.id(rc));
    String ifNoneMatch = rc.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      query.put(Field.ETAGS, etags(ifNoneMatch));
    }
    edge.ask(rc, Address.IMAGE_GET, query).onSuccess(image -> {
      HttpServerResponse response = rc.response()
          .putHeader("Content-Security-Policy", SANDBOX)
          .putHeader(HttpHeaders.CONTENT_DISPOSITION, "inline")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader(HttpHeaders.ETAG, "\"" + image.getString(Field.SHA256) + "\"")
          .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_FOREVER);
      if (image.getBoolean(Field.NOT_MODIFIED, false)) {
        response.setStatusCode(304).end();
      } else {
        response.putHeader(HttpHeaders.CONTENT_TYPE, image.getString(Field.CONTENT_TYPE))
            // Images are compressed already: spare the CPU (Vert.x drops this header and skips compression).
            .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
            .end(image.getBuffer(Field.BYTES));
      }
    });
  }

  /** The tags of an If-None-Match header, unquoted; weak tags compare as strong ones (RFC 9110 13.1.2). */
  private static JsonArray etags(String header) {
    JsonArray tags = new JsonArray();
    for (String tag : header.split(",")) {
      String t = tag.strip();
      if (t.startsWith("W/")) {
        t = t.substring(2);
      }
      if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
        t = t.substring(1, t.length() - 1);
      }
      if (!t.isEmpty() && t.length() <= 100) {
        tags.add(t.toLowerCase(Locale.ROOT));
      }
    }
    return tags;
  }
}
