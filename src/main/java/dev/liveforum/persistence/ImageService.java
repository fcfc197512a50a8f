package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import dev.liveforum.bus.Field;
import dev.liveforum.event.ImageEvents;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Images on posts: the post's author or an admin adds them, anyone reads them, they go with their post. */
final class ImageService {
  static final int MAX_BYTES = 5 * 1024 * 1024;
  static final int MAX_PER_POST = 10;
  /** Where the HTTP edge serves an image; the one place that path is written outside the OpenAPI document. */
  private static final String PATH = "/api/images/";

  private final Pool pool;
  private final Runnable afterCommit;
  /** Decode and re-encode uploads: a small pool, as each decode may hold a frame of up to 64 MiB. */
  private final WorkerExecutor workers;
  /** Bytes the images on one user's posts may take ({@code limits.imageQuotaKiB}). */
  private final long quotaBytes;

  ImageService(Pool pool, WorkerExecutor workers, Runnable afterCommit, long quotaBytes) {
    this.pool = pool;
    this.workers = workers;
    this.afterCommit = afterCommit;
    this.quotaBytes = quotaBytes;
  }

  /**
   * Stores {@link Field#BYTES}, decoded and re-encoded (see {@link ImageRecoder}), as an image of post
   * {@link Field#POST_ID}; {@link Field#CONTENT_TYPE} is the type the client declared, if any. The post
   * row is locked while its images are counted and the new one inserted, so concurrent uploads never
   * exceed the limit.
   */
  Future<JsonObject> upload(JsonObject body) {
    Actor actor = Actor.of(body).requireUser();
    long postId = body.getLong(Field.POST_ID);
    Buffer bytes = body.getBuffer(Field.BYTES);
    if (bytes == null || bytes.length() == 0) {
      throw Failure.badRequest("the file is empty");
    }
    if (bytes.length() > MAX_BYTES) {
      throw Failure.of(413, "an image may be at most 5 MiB (" + MAX_BYTES + " bytes); this one is "
          + bytes.length() + " bytes");
    }
    ImageFormat format = ImageFormat.of(bytes).orElseThrow(() -> Failure.of(415,
        "the file is not a PNG, JPEG or GIF image (judged by its content, not its name)"));
    String declared = body.getString(Field.CONTENT_TYPE);
    if (!format.admits(declared)) {
      throw Failure.of(415, "the file was declared " + declared + " but its content is a " + format.name()
          + " image; declare " + format.contentType + " or application/octet-stream");
    }
    return workers.executeBlocking(() -> ImageRecoder.recode(bytes, format), false)
        .compose(clean -> store(body, actor, postId, format, clean));
  }

  /**
   * Stores the cleaned {@code bytes}; {@code body} is the upload command (its idempotency key). The images
   * on a user's posts count against that user's quota, whoever added them: the author's row is locked
   * while they are summed, so concurrent uploads cannot pass it together (a deadlock with the author's own
   * comment or like, whose foreign key takes that row shared, is retried as any: {@link Transactions}).
   */
  private Future<JsonObject> store(JsonObject body, Actor actor, long postId, ImageFormat format, Buffer bytes) {
    Buffer sha256 = Buffer.buffer(sha256(bytes));
    // The author (which never changes) is read before the transaction: a plain read inside it would fix its
    // snapshot (REPEATABLE READ) before the locks are waited for, and the counts after them would miss the
    // images committed meanwhile.
    return pool.preparedQuery(ImageSql.POST_AUTHOR).execute(Tuple.of(postId))
        .compose(rows -> Rows.one(rows, "post " + postId))
        .compose(author -> IdempotencyKeys.run(pool, body, tx -> tx.preparedQuery(ImageSql.LOCK_AUTHOR)
            .execute(Tuple.of(author.getLong("author_id")))
            .compose(locked -> tx.preparedQuery(PostSql.LOCK).execute(Tuple.of(postId)))
            .compose(rows -> Rows.one(rows, "post " + postId))
            .compose(post -> {
              actor.requireAuthorOrAdmin(post.getLong("author_id"), "add images to this post");
              return tx.preparedQuery(ImageSql.COUNT).execute(Tuple.of(postId))
                  .compose(count -> {
                    if (Rows.first(count).getLong("n") >= MAX_PER_POST) {
                      return Future.failedFuture(Failure.conflict("a post may have at most " + MAX_PER_POST
                          + " images; this one has " + MAX_PER_POST + " already"));
                    }
                    return tx.preparedQuery(ImageSql.STORED_BY_AUTHOR).execute(Tuple.of(post.getLong("author_id")));
                  });
            })
            .compose(stored -> {
              long used = Rows.first(stored).getLong("bytes");
              if (used + bytes.length() > quotaBytes) {
                return Future.failedFuture(Failure.conflict("over the image storage quota: the images on this"
                    + " user's posts take " + used + " of " + quotaBytes + " bytes, and this one (" + bytes.length()
                    + " bytes, as stored) would not fit; delete posts with images to make room"));
              }
              return tx.preparedQuery(ImageSql.INSERT)
                  .execute(Tuple.of(postId, format.contentType, bytes.length(), sha256, bytes));
            })
            .compose(r -> read(tx, r.property(MySQLClient.LAST_INSERTED_ID)))
            .compose(image -> Outbox.record(tx, body, new ImageEvents.Created(image.getLong(Field.ID),
                image.getLong(Field.POST_ID), image.getString(Field.CONTENT_TYPE), image.getLong(Field.SIZE),
                image.getString(Field.SHA256), image.getString(Field.URL), image.getString(Field.CREATED_AT)))
                .map(image))))
        .onSuccess(ok -> afterCommit.run())
        .recover(Database::classify);
  }

  /**
   * An image with its bytes. When the asker already holds it ({@link Field#ETAGS} names its SHA-256, or
   * {@code *}), only the metadata is read and the reply says {@link Field#NOT_MODIFIED}.
   */
  Future<JsonObject> get(JsonObject body) {
    long id = body.getLong(Field.ID);
    JsonArray etags = body.getJsonArray(Field.ETAGS);
    Future<JsonObject> image = etags == null || etags.isEmpty() ? withData(id)
        : read(pool, id).compose(meta -> etags.contains("*") || etags.contains(meta.getString(Field.SHA256))
            ? Future.succeededFuture(meta.put(Field.NOT_MODIFIED, true))
            : withData(id));
    return image.recover(Database::classify);
  }

  /** The images of a post, oldest first, without their bytes. */
  static Future<JsonArray> ofPost(SqlClient client, long postId) {
    return client.preparedQuery(ImageSql.BY_POST).execute(Tuple.of(postId)).map(rows -> {
      JsonArray images = new JsonArray();
      rows.forEach(row -> images.add(json(row)));
      return images;
    });
  }

  private Future<JsonObject> withData(long id) {
    return pool.preparedQuery(ImageSql.WITH_DATA).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "image " + id))
        .map(row -> json(row).put(Field.BYTES, row.getBuffer("data")));
  }

  private static Future<JsonObject> read(SqlClient client, long id) {
    return client.preparedQuery(ImageSql.META).execute(Tuple.of(id))
        .compose(rows -> Rows.one(rows, "image " + id))
        .map(ImageService::json);
  }

  private static JsonObject json(Row row) {
    long id = row.getLong("id");
    return new JsonObject()
        .put(Field.ID, id)
        .put(Field.POST_ID, row.getLong("post_id"))
        .put(Field.CONTENT_TYPE, row.getString("content_type"))
        .put(Field.SIZE, row.getLong("size"))
        .put(Field.SHA256, HexFormat.of().formatHex(row.getBuffer("sha256").getBytes()))
        .put(Field.URL, PATH + id)
        .put(Field.CREATED_AT, Database.iso(row.getLocalDateTime("created_at")));
  }

  private static byte[] sha256(Buffer bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes.getBytes());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
