package dev.liveforum;

import dev.liveforum.support.Api;
import dev.liveforum.support.Browser;
import dev.liveforum.support.Forum;
import dev.liveforum.support.TestDb;
import dev.liveforum.support.TestNode;
import dev.liveforum.event.Events;
import dev.liveforum.event.ImageEvents;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.JavascriptExecutor;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(VertxExtension.class)
@DisplayName("Images on posts over REST")
class ImagesTest {
  private static final String BOUNDARY = "----LiveForumTestBoundary7MA4YWxkTrZu0gW";
  private static final int MIB = 1024 * 1024;

  private TestNode node;
  private Api api;
  private Forum forum;
  private String author;
  private String stranger;
  private String admin;
  private long boardId;

  @BeforeAll
  void start() {
    // A member of the run's cluster: acrossTheCluster starts more members on the same database, and a
    // standalone node beside them would be another cluster taking their events (start-up refuses that).
    node = TestNode.clustered("http", "persistence", "cache", "bridge", "notification", "stats");
    api = new Api(node.port);
    forum = new Forum(api);
    author = forum.user("painter");
    stranger = forum.user("stranger");
    admin = forum.adminToken();
    boardId = forum.board();
  }

  @AfterAll
  void stop() {
    node.close();
  }

  // --- the images a test uploads: tiny but real files of each format ---

  private static byte[] encode(String format, int imageType) {
    BufferedImage image = new BufferedImage(3, 2, imageType);
    image.setRGB(0, 0, Color.RED.getRGB());
    image.setRGB(2, 1, Color.BLUE.getRGB());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      assertTrue(ImageIO.write(image, format, out), "no ImageIO writer for " + format);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  private static byte[] png() {
    return encode("png", BufferedImage.TYPE_INT_ARGB);
  }

  private static byte[] jpeg() {
    return encode("jpeg", BufferedImage.TYPE_INT_RGB);
  }

  private static byte[] gif() {
    return encode("gif", BufferedImage.TYPE_INT_RGB);
  }

  /** A 1×1 lossy WebP: a RIFF container of type WEBP holding one VP8 chunk (the JDK has no WebP writer). */
  private static byte[] webp() {
    byte[] vp8 = HexFormat.of().parseHex("3001009d012a0100010002003425a400037000fefb94000000");
    Buffer riff = Buffer.buffer()
        .appendString("RIFF").appendIntLE(4 + 8 + vp8.length).appendString("WEBP")
        .appendString("VP8 ").appendIntLE(vp8.length).appendBytes(vp8);
    return riff.getBytes();
  }

  // --- helpers ---


  /** A form with one part per entry: {name, fileName (or null), contentType (or null), bytes}. */
  private static Buffer form(List<Object[]> parts) {
    Buffer body = Buffer.buffer();
    for (Object[] p : parts) {
      body.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + p[0] + "\""
          + (p[1] == null ? "" : "; filename=\"" + p[1] + "\"") + "\r\n"
          + (p[2] == null ? "" : "Content-Type: " + p[2] + "\r\n") + "\r\n");
      body.appendBytes((byte[]) p[3]).appendString("\r\n");
    }
    return body.appendString("--" + BOUNDARY + "--\r\n");
  }

  private static Buffer form(String fileName, String contentType, byte[] bytes) {
    return form(List.<Object[]>of(new Object[] {"file", fileName, contentType, bytes}));
  }

  private static MultiMap formHeaders() {
    return MultiMap.caseInsensitiveMultiMap().add("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
  }

  private Api.Response upload(long postId, String token, Buffer form) {
    return api.send(HttpMethod.POST, "/api/posts/" + postId + "/images", token, formHeaders(), form);
  }

  private Future<Api.Response> uploadAsync(long postId, String token, Buffer form) {
    return api.sendAsync(HttpMethod.POST, "/api/posts/" + postId + "/images", token, formHeaders(), form);
  }

  private static long imageRows(long postId) {
    return TestDb.count("SELECT COUNT(*) FROM images WHERE post_id = ?", postId);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }


  // --- hostile files ---

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Buffer pngChunk(String type, byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(ascii(type));
    crc.update(data);
    return Buffer.buffer().appendInt(data.length).appendString(type).appendBytes(data).appendInt((int) crc.getValue());
  }

  /** A PNG of a few dozen bytes whose header declares 100,000 × 100,000 RGBA pixels (40 GB decoded). */
  private static byte[] pixelBomb() {
    Buffer ihdr = Buffer.buffer().appendInt(100_000).appendInt(100_000)
        .appendByte((byte) 8).appendByte((byte) 6).appendByte((byte) 0).appendByte((byte) 0).appendByte((byte) 0);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[4]);
    deflater.finish();
    byte[] idat = new byte[64];
    idat = Arrays.copyOf(idat, deflater.deflate(idat));
    return Buffer.buffer().appendBytes(Arrays.copyOf(png(), 8)).appendBuffer(pngChunk("IHDR", ihdr.getBytes()))
        .appendBuffer(pngChunk("IDAT", idat)).appendBuffer(pngChunk("IEND", new byte[0])).getBytes();
  }

  /** A JPEG carrying an Exif segment (APP1) with a GPS position, as a phone writes it. */
  private static byte[] jpegWithGps() {
    Buffer tiff = Buffer.buffer().appendString("MM").appendShort((short) 42).appendInt(8)
        // IFD0: one entry, the GPS IFD's offset
        .appendShort((short) 1).appendShort((short) 0x8825).appendShort((short) 4).appendInt(1).appendInt(26).appendInt(0)
        // GPS IFD: latitude reference and latitude (three rationals after it)
        .appendShort((short) 2)
        .appendShort((short) 1).appendShort((short) 2).appendInt(2).appendBytes(ascii("N\0\0\0"))
        .appendShort((short) 2).appendShort((short) 5).appendInt(3).appendInt(56).appendInt(0)
        .appendInt(48).appendInt(1).appendInt(51).appendInt(1).appendInt(30).appendInt(1);
    Buffer app1 = Buffer.buffer().appendString("Exif\0\0").appendBuffer(tiff);
    byte[] plain = jpeg();
    return Buffer.buffer().appendBytes(Arrays.copyOf(plain, 2))
        .appendByte((byte) 0xFF).appendByte((byte) 0xE1).appendShort((short) (app1.length() + 2)).appendBuffer(app1)
        .appendBytes(Arrays.copyOfRange(plain, 2, plain.length)).getBytes();
  }

  /**
   * A 40x20 JPEG, red on its left half and blue on its right, whose Exif (byte order {@code order}, "MM" or
   * "II") says to show it in {@code orientation}, as a phone held upright writes it.
   */
  private static byte[] jpegOriented(String order, int orientation) {
    BufferedImage image = new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 40; x++) {
      for (int y = 0; y < 20; y++) {
        image.setRGB(x, y, x < 20 ? 0xFF0000 : 0x0000FF);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    boolean little = order.equals("II");
    Buffer tiff = Buffer.buffer().appendString(order);
    if (little) {
      // IFD0 at 8: one entry, Orientation (0x0112), SHORT, count 1, the value in the first two bytes
      tiff.appendShortLE((short) 42).appendIntLE(8).appendShortLE((short) 1).appendShortLE((short) 0x0112)
          .appendShortLE((short) 3).appendIntLE(1).appendShortLE((short) orientation).appendShort((short) 0).appendInt(0);
    } else {
      tiff.appendShort((short) 42).appendInt(8).appendShort((short) 1).appendShort((short) 0x0112)
          .appendShort((short) 3).appendInt(1).appendShort((short) orientation).appendShort((short) 0).appendInt(0);
    }
    Buffer app1 = Buffer.buffer().appendString("Exif\0\0").appendBuffer(tiff);
    byte[] plain = out.toByteArray();
    return Buffer.buffer().appendBytes(Arrays.copyOf(plain, 2))
        .appendByte((byte) 0xFF).appendByte((byte) 0xE1).appendShort((short) (app1.length() + 2)).appendBuffer(app1)
        .appendBytes(Arrays.copyOfRange(plain, 2, plain.length)).getBytes();
  }

  /** Whether the pixel is mostly red (true) or mostly blue (false), as a re-encoded JPEG keeps it. */
  private static boolean reddish(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return ((rgb >> 16) & 0xFF) > (rgb & 0xFF);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Uploads {@code bytes}, expects 201, and returns the bytes served for it (checking the serving headers). */
  private byte[] uploadAndFetch(String fileName, String type, byte[] bytes) {
    Api.Response r = upload(forum.post(author), author, form(fileName, type, bytes));
    assertEquals(201, r.status(), r.toString());
    Api.Response served = api.get(r.json().getString("url"));
    assertEquals(200, served.status(), served.toString());
    assertEquals("default-src 'none'; sandbox", served.headers().get("Content-Security-Policy"));
    assertEquals("inline", served.headers().get("Content-Disposition"));
    assertEquals("nosniff", served.headers().get("X-Content-Type-Options"));
    return served.body().getBytes();
  }

  // --- tests ---

  @Test
  @DisplayName("a PNG, a JPEG and a GIF upload, and each is served re-encoded, with its type and the same picture")
  void uploadAndServeEachFormat() throws Exception {
    long postId = forum.post(author);
    Map<String, byte[]> files = Map.of("image/png", png(), "image/jpeg", jpeg(), "image/gif", gif());
    for (var file : files.entrySet()) {
      // The declared type is deliberately generic: the server goes by the bytes.
      Api.Response r = upload(postId, author, form("picture.bin", "application/octet-stream", file.getValue()));
      assertEquals(201, r.status(), file.getKey() + ": " + r);
      JsonObject image = r.json();
      assertEquals(file.getKey(), image.getString("contentType"));
      assertEquals(postId, image.getLong("postId"));
      assertEquals("/api/images/" + image.getLong("id"), image.getString("url"));
      assertEquals(image.getString("url"), r.headers().get("Location"));
      assertNotNull(image.getString("createdAt"));

      Api.Response served = api.get(image.getString("url"));
      assertEquals(200, served.status(), served.toString());
      assertEquals(image.getInteger("size"), served.body().length());
      BufferedImage sent = ImageIO.read(new ByteArrayInputStream(file.getValue()));
      BufferedImage got = ImageIO.read(new ByteArrayInputStream(served.body().getBytes()));
      assertEquals(List.of(sent.getWidth(), sent.getHeight()), List.of(got.getWidth(), got.getHeight()), file.getKey());
      if (!file.getKey().equals("image/jpeg")) {
        assertEquals(sent.getRGB(0, 0), got.getRGB(0, 0), file.getKey() + " is lossless: the same pixels");
        assertEquals(sent.getRGB(2, 1), got.getRGB(2, 1), file.getKey() + " is lossless: the same pixels");
      }
      assertEquals(file.getKey(), served.contentType());
      assertEquals("\"" + sha256(served.body().getBytes()) + "\"", served.headers().get("ETag"));
      assertEquals(image.getString("sha256"), sha256(served.body().getBytes()));
      assertEquals("public, max-age=31536000, immutable", served.headers().get("Cache-Control"));
      assertEquals("nosniff", served.headers().get("X-Content-Type-Options"));
    }
    assertEquals(3, imageRows(postId));
  }

  @Test
  @DisplayName("an upload is announced after commit as event.image.created, with the image's metadata")
  void createdEvent(VertxTestContext test) {
    long postId = forum.post(author);
    Promise<JsonObject> heard = Promise.promise();
    var consumer = node.node.vertx().eventBus().<JsonObject>consumer(Events.address(ImageEvents.Created.TYPE), m -> {
      if (m.body().getJsonObject("data").getLong("postId") == postId) {
        heard.tryComplete(m.body());
      }
    });
    consumer.completion().await();
    JsonObject image = upload(postId, author, form("x.png", "image/png", png())).json();
    heard.future().onComplete(test.succeeding(event -> test.verify(() -> {
      assertEquals("image.created", event.getString("type"));
      assertNotNull(event.getString("eventId"));
      assertEquals(image.getLong("id"), event.getJsonObject("data").getLong("id"));
      assertEquals(image.getString("url"), event.getJsonObject("data").getString("url"));
      assertFalse(event.getJsonObject("data").containsKey("bytes"), "events are small: no bytes");
      consumer.unregister().onComplete(test.succeedingThenComplete());
    })));
  }

  @Test
  @DisplayName("a browser's upload (image/png part with a file name) works, and the post lists its images")
  void browserUploadListedOnPost() {
    long postId = forum.post(author);
    Api.Response first = upload(postId, author, form("cat.png", "image/png", png()));
    assertEquals(201, first.status(), first.toString());
    Api.Response second = upload(postId, author, form("dog.gif", "image/gif", gif()));
    assertEquals(201, second.status(), second.toString());

    JsonArray images = api.get("/api/posts/" + postId).json().getJsonArray("images");
    assertEquals(2, images.size(), images.encode());
    assertEquals(first.json().getLong("id"), images.getJsonObject(0).getLong("id"));
    assertEquals(second.json().getString("url"), images.getJsonObject(1).getString("url"));
    assertEquals("image/gif", images.getJsonObject(1).getString("contentType"));
  }

  @Test
  @DisplayName("If-None-Match with the ETag gets 304 and no body; another tag gets the image")
  void conditionalGet() throws Exception {
    long postId = forum.post(author);
    JsonObject image = upload(postId, author, form("a.jpg", "image/jpeg", jpeg())).json();
    String url = image.getString("url");
    String etag = "\"" + image.getString("sha256") + "\"";

    Api.Response notModified = api.send(HttpMethod.GET, url, null,
        MultiMap.caseInsensitiveMultiMap().add("If-None-Match", etag), null);
    assertEquals(304, notModified.status(), notModified.toString());
    assertEquals(0, notModified.body().length());
    assertEquals(etag, notModified.headers().get("ETag"));
    assertEquals("public, max-age=31536000, immutable", notModified.headers().get("Cache-Control"));

    Api.Response listed = api.send(HttpMethod.GET, url, null,
        MultiMap.caseInsensitiveMultiMap().add("If-None-Match", "\"other\", W/" + etag), null);
    assertEquals(304, listed.status(), "a weak or listed tag matches too: " + listed);

    Api.Response changed = api.send(HttpMethod.GET, url, null,
        MultiMap.caseInsensitiveMultiMap().add("If-None-Match", "\"" + sha256(png()) + "\""), null);
    assertEquals(200, changed.status(), changed.toString());
    assertEquals(image.getString("sha256"), sha256(changed.body().getBytes()));
  }

  @Test
  @DisplayName("a text file named .png and declared image/png is refused (415) and leaves no row")
  void fakeImage() {
    long postId = forum.post(author);
    byte[] text = "just some text pretending to be a picture\n".getBytes(StandardCharsets.UTF_8);
    assertProblem(upload(postId, author, form("photo.png", "image/png", text)), 415, "not a PNG, JPEG or GIF");
    // Almost a header is not a header.
    assertProblem(upload(postId, author, form("photo.png", "image/png", Arrays.copyOf(png(), 5))), 415, "image");
    assertProblem(upload(postId, author, form("evil.svg", "image/svg+xml",
        "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".getBytes(StandardCharsets.UTF_8))),
        415, "not a PNG");
    assertEquals(0, imageRows(postId));
  }

  @Test
  @DisplayName("an image over 5 MiB is refused with 413 and leaves no row, whether or not the request fits")
  void tooLarge() {
    long postId = forum.post(author);
    // Fits the request limit (5 MiB + 64 KiB) but not the image limit: the persistence role refuses it.
    byte[] justOver = Arrays.copyOf(png(), 5 * MIB + 1);
    assertProblem(upload(postId, author, form("big.png", "image/png", justOver)), 413, "at most 5 MiB");
    // Beyond the request limit: refused before it is read.
    byte[] huge = Arrays.copyOf(png(), 6 * MIB);
    assertProblem(upload(postId, author, form("huge.png", "image/png", huge)), 413, "at most");
    assertEquals(0, imageRows(postId));
    // Exactly 5 MiB is allowed; what follows the image's end is not kept.
    Api.Response max = upload(postId, author, form("max.png", "image/png", Arrays.copyOf(png(), 5 * MIB)));
    assertEquals(201, max.status(), max.toString());
    assertTrue(api.get(max.json().getString("url")).body().length() < 1000, "only the image is stored");
  }

  @Test
  @DisplayName("a post takes 10 images; the 11th is refused with 409")
  void tenPerPost() {
    long postId = forum.post(author);
    for (int i = 0; i < 10; i++) {
      assertEquals(201, upload(postId, author, form("p" + i + ".png", "image/png", png())).status());
    }
    assertProblem(upload(postId, author, form("p11.png", "image/png", png())), 409, "at most 10 images");
    assertEquals(10, imageRows(postId));
  }

  @Test
  @DisplayName("concurrent uploads to one post never make more than 10 images")
  void concurrentUploadsStopAtTen() {
    long postId = forum.post(author);
    Buffer form = form("p.png", "image/png", png());
    List<Future<Api.Response>> all = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      all.add(uploadAsync(postId, author, form));
    }
    Future.all(all).await();
    long created = all.stream().filter(f -> f.result().status() == 201).count();
    long refused = all.stream().filter(f -> f.result().status() == 409).count();
    assertEquals(10, created, all.stream().map(f -> f.result().toString()).toList().toString());
    assertEquals(6, refused);
    assertEquals(10, imageRows(postId));
  }

  @Test
  @DisplayName("only the post's author or an admin adds images: a stranger gets 403, a guest 401")
  void authorization() {
    long postId = forum.post(author);
    assertProblem(upload(postId, stranger, form("x.png", "image/png", png())), 403, "author or an admin");
    assertEquals(401, upload(postId, null, form("x.png", "image/png", png())).status());
    assertEquals(0, imageRows(postId));
    assertEquals(201, upload(postId, admin, form("x.png", "image/png", png())).status());
    assertEquals(1, imageRows(postId));
  }

  @Test
  @DisplayName("uploading to a missing post is 404, and a missing image is a 404 problem")
  void missing() {
    assertProblem(upload(999_999_999L, author, form("x.png", "image/png", png())), 404, "post 999999999");
    assertProblem(api.get("/api/images/999999999"), 404, "image 999999999");
    assertProblem(api.get("/api/images/abc"), 400, "id");
  }

  @Test
  @DisplayName("a form without the file, with an empty file, two files or other fields is a 400 that says so")
  void badForms() {
    long postId = forum.post(author);
    byte[] image = png();
    assertProblem(upload(postId, author, form(List.<Object[]>of(new Object[] {"picture", "x.png", "image/png", image}))),
        400, "picture");
    assertProblem(upload(postId, author, form("x.png", "image/png", new byte[0])), 400, "empty");
    assertProblem(upload(postId, author, form(List.of(new Object[] {"file", "a.png", "image/png", image},
        new Object[] {"file", "b.png", "image/png", image}))), 400, "exactly one file");
    assertProblem(upload(postId, author, form(List.of(new Object[] {"file", "a.png", "image/png", image},
        new Object[] {"caption", null, null, "hello".getBytes(StandardCharsets.UTF_8)}))), 400, "caption");
    assertProblem(upload(postId, author, Buffer.buffer("--" + BOUNDARY + "--\r\n")), 400, "part");
    assertProblem(api.send(HttpMethod.POST, "/api/posts/" + postId + "/images", author, null,
        Buffer.buffer("{\"file\":\"x\"}")), 415, "multipart/form-data");
    assertProblem(api.send(HttpMethod.POST, "/api/posts/" + postId + "/images", author,
        MultiMap.caseInsensitiveMultiMap().add("Content-Type", "multipart/form-data"), form("x.png", null, image)),
        400, "multipart");
    assertEquals(0, imageRows(postId));
  }

  @Test
  @DisplayName("an upload to a path with a trailing slash works; doubled slashes are a 4xx, never a 500")
  void pathSpellings() {
    long postId = forum.post(author);
    Api.Response trailing = api.send(HttpMethod.POST, "/api/posts/" + postId + "/images/", author, formHeaders(),
        form("x.png", "image/png", png()));
    assertEquals(201, trailing.status(), trailing.toString());
    Api.Response doubled = api.send(HttpMethod.POST, "//api/posts/" + postId + "//images", author, formHeaders(),
        form("x.png", "image/png", png()));
    assertTrue(doubled.status() >= 400 && doubled.status() < 500, doubled.toString());
    assertEquals(1, imageRows(postId));
  }

  @Test
  @DisplayName("broken multipart bodies are 400s, never 500s")
  void brokenForms() {
    long postId = forum.post(author);
    Buffer good = form("x.png", "image/png", png());
    Random random = new Random(42);
    List<Buffer> broken = new ArrayList<>(List.of(
        good.slice(0, good.length() - 10).copy(),
        Buffer.buffer("no delimiter at all"),
        Buffer.buffer("--" + BOUNDARY + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n"),
        Buffer.buffer("--" + BOUNDARY + "\r\nno headers here\r\n--" + BOUNDARY + "--\r\n")));
    for (int i = 0; i < 20; i++) {
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      int cut = random.nextInt(good.length());
      broken.add(good.slice(0, cut).copy().appendBytes(noise));
    }
    for (Buffer body : broken) {
      int status = upload(postId, author, body).status();
      assertTrue(status == 400 || status == 415, "a broken form answered " + status);
    }
    assertEquals(0, imageRows(postId));
  }

  @Test
  @DisplayName("other requests keep the small body limit")
  void jsonBodyLimitUnchanged() {
    String big = "x".repeat(70_000);
    Api.Response r = api.send(HttpMethod.POST, "/api/posts", author,
        new JsonObject().put("boardId", boardId).put("title", "big").put("content", big));
    assertEquals(413, r.status(), r.toString());
  }

  @Test
  @DisplayName("deleting a post deletes its images: they answer 404 and no rows remain")
  void deletedWithPost() {
    long postId = forum.post(author);
    String url = upload(postId, author, form("x.png", "image/png", png())).json().getString("url");
    upload(postId, author, form("y.gif", "image/gif", gif()));
    assertEquals(2, imageRows(postId));
    assertEquals(204, api.send(HttpMethod.DELETE, "/api/posts/" + postId, author, null).status());
    assertProblem(api.get(url), 404, "does not exist");
    assertEquals(0, imageRows(postId));
  }

  @Test
  @DisplayName("a 5 MiB image crosses the clustered event bus both ways (HTTP node ↔ persistence node)")
  void acrossTheCluster() throws Exception {
    try (TestNode backend = TestNode.clustered("persistence", "cache");
         TestNode edge = TestNode.clustered("http")) {
      Api viaEdge = new Api(edge.port);
      long postId = forum.post(author);
      byte[] bytes = Arrays.copyOf(jpeg(), 5 * MIB);
      Api.Response r = viaEdge.send(HttpMethod.POST, "/api/posts/" + postId + "/images", author, formHeaders(),
          form("big.jpg", "image/jpeg", bytes));
      assertEquals(201, r.status(), r.toString());
      Api.Response served = viaEdge.get(r.json().getString("url"));
      assertEquals(200, served.status());
      assertEquals("\"" + r.json().getString("sha256") + "\"", served.headers().get("ETag"));
      assertEquals(r.json().getString("sha256"), sha256(served.body().getBytes()));
      assertEquals(3, ImageIO.read(new ByteArrayInputStream(served.body().getBytes())).getWidth());
    }
  }

  @Test
  @DisplayName("a PNG followed by HTML and script is stored as the PNG alone, served inline in a sandbox")
  void pngPolyglot() throws Exception {
    byte[] polyglot = concat(png(), ascii("<html><body><script>alert(document.domain)</script></body></html>"));
    byte[] served = uploadAndFetch("cat.png", "image/png", polyglot);
    assertFalse(contains(served, ascii("<script")), "the trailing HTML is gone");
    assertEquals(3, ImageIO.read(new ByteArrayInputStream(served)).getWidth());
    // A PNG signature with nothing of a PNG after it is not an image.
    long postId = forum.post(author);
    assertProblem(upload(postId, author, form("page.png", "image/png",
        concat(Arrays.copyOf(png(), 8), ascii("<html><script>alert(1)</script></html>")))), 415, "cannot be decoded");
    assertEquals(0, imageRows(postId));
  }

  @Test
  @DisplayName("a GIF that is also JavaScript (its header opens a comment) is served as a GIF that is no script")
  void gifPolyglot() throws Exception {
    byte[] gif = gif();
    // The logical screen width becomes "/*": the file parses as JavaScript up to the closing "*/".
    gif[6] = '/';
    gif[7] = '*';
    byte[] polyglot = concat(gif, ascii("*/=alert(document.domain);"));
    byte[] served = uploadAndFetch("x.gif", "image/gif", polyglot);
    assertFalse(contains(served, ascii("alert(")), "the script is gone");
    assertFalse(contains(Arrays.copyOf(served, 8), ascii("/*")), "no comment opener in the header");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(served));
    assertEquals(List.of(3, 2), List.of(image.getWidth(), image.getHeight()));
  }

  @Test
  @DisplayName("a small PNG declaring 100,000 × 100,000 pixels is refused (413) from its header, and the node carries on")
  void pixelBombRefused() {
    long postId = forum.post(author);
    byte[] bomb = pixelBomb();
    assertTrue(bomb.length < 100, "a bomb is tiny: " + bomb.length);
    assertProblem(upload(postId, author, form("bomb.png", "image/png", bomb)), 413, "100000 × 100000");
    assertEquals(0, imageRows(postId));
    assertEquals(201, upload(postId, author, form("ok.png", "image/png", png())).status());
  }

  @Test
  @DisplayName("JPEG bytes declared image/png, or a PNG declared image/gif, are refused (415) naming both types")
  void declaredTypeMustMatch() {
    long postId = forum.post(author);
    assertProblem(upload(postId, author, form("x.png", "image/png", jpeg())), 415, "declared image/png but its content is a JPEG");
    assertProblem(upload(postId, author, form("x.gif", "image/gif", png())), 415, "declared image/gif");
    assertEquals(0, imageRows(postId));
    assertEquals(201, upload(postId, author, form("x.jpg", "image/jpeg", jpeg())).status());
    assertEquals(201, upload(postId, author, form("x", null, jpeg())).status(), "no declared type: the content decides");
  }

  @Test
  @DisplayName("a JPEG with a GPS position in its Exif is served without any Exif")
  void exifStripped() throws Exception {
    byte[] withGps = jpegWithGps();
    assertTrue(contains(withGps, ascii("Exif\0\0")), "the upload carries Exif");
    assertEquals(3, ImageIO.read(new ByteArrayInputStream(withGps)).getWidth(), "and is a valid JPEG");
    byte[] served = uploadAndFetch("holiday.jpg", "image/jpeg", withGps);
    assertFalse(contains(served, ascii("Exif")), "no Exif served");
    assertFalse(contains(served, new byte[] {(byte) 0xFF, (byte) 0xE1}), "no APP1 segment served");
    assertEquals(3, ImageIO.read(new ByteArrayInputStream(served)).getWidth());
  }

  @Test
  @DisplayName("a photo whose Exif says to turn it is served turned, without the Exif: upright as the camera meant")
  void exifOrientationApplied() throws Exception {
    BufferedImage asStored = ImageIO.read(new ByteArrayInputStream(jpegOriented("MM", 6)));
    assertEquals(40, asStored.getWidth(), "stored lying on its side: 40 wide");

    BufferedImage turnedRight = ImageIO.read(new ByteArrayInputStream(
        uploadAndFetch("upright.jpg", "image/jpeg", jpegOriented("MM", 6))));
    assertEquals(List.of(20, 40), List.of(turnedRight.getWidth(), turnedRight.getHeight()), "6: a quarter turn right");
    assertTrue(reddish(turnedRight, 10, 5) && !reddish(turnedRight, 10, 35), "the left half (red) is now on top");

    BufferedImage turnedLeft = ImageIO.read(new ByteArrayInputStream(
        uploadAndFetch("upright.jpg", "image/jpeg", jpegOriented("II", 8))));
    assertEquals(List.of(20, 40), List.of(turnedLeft.getWidth(), turnedLeft.getHeight()), "8: a quarter turn left");
    assertTrue(!reddish(turnedLeft, 10, 5) && reddish(turnedLeft, 10, 35), "the left half (red) is now below");

    byte[] upsideDown = uploadAndFetch("upright.jpg", "image/jpeg", jpegOriented("MM", 3));
    assertFalse(contains(upsideDown, ascii("Exif")), "no Exif served");
    BufferedImage turnedOver = ImageIO.read(new ByteArrayInputStream(upsideDown));
    assertEquals(List.of(40, 20), List.of(turnedOver.getWidth(), turnedOver.getHeight()));
    assertTrue(!reddish(turnedOver, 5, 10) && reddish(turnedOver, 35, 10), "3: half a turn, red on the right");
  }

  @Test
  @DisplayName("a WebP, which the server cannot decode to check, is refused with 415")
  void webpRefused() {
    long postId = forum.post(author);
    assertProblem(upload(postId, author, form("x.webp", "image/webp", webp())), 415, "not a PNG, JPEG or GIF");
    assertEquals(0, imageRows(postId));
  }

  @Test
  @DisplayName("an uploaded image shows on the post's page in Chromium")
  void shownOnThePostPage() {
    long postId = forum.post(author);
    assertEquals(201, upload(postId, author, form("cat.png", "image/png", png())).status());
    try (Browser b = Browser.desktop()) {
      b.open("http://127.0.0.1:" + node.port + "/posts/" + postId);
      Object width = b.waitUntil(d -> {
        Object w = ((JavascriptExecutor) d).executeScript(
            "const i = document.querySelector('.images img'); return i && i.complete ? i.naturalWidth : null;");
        return w == null ? null : w;
      }, java.time.Duration.ofSeconds(20), "the image never loaded");
      assertEquals(3L, ((Number) width).longValue(), "the picture decoded in the browser");
    }
  }

  @Test
  @DisplayName("an animated GIF keeps its frames when re-encoded")
  void animatedGif() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream target = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(target);
      writer.prepareWriteSequence(null);
      for (Color color : List.of(Color.RED, Color.GREEN, Color.BLUE)) {
        BufferedImage frame = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        frame.setRGB(1, 1, color.getRGB());
        writer.writeToSequence(new IIOImage(frame, null, null), null);
      }
      writer.endWriteSequence();
    }
    byte[] served = uploadAndFetch("dance.gif", "image/gif", out.toByteArray());
    ImageReader sent = ImageIO.getImageReadersByFormatName("gif").next();
    sent.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(out.toByteArray())));
    ImageReader got = ImageIO.getImageReadersByFormatName("gif").next();
    got.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(served)));
    assertEquals(3, got.getNumImages(true));
    for (int i = 0; i < 3; i++) {
      assertEquals(sent.read(i).getRGB(1, 1), got.read(i).getRGB(1, 1), "frame " + i + " keeps its pixels");
    }
  }
}
