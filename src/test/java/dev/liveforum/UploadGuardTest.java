package dev.liveforum;

import dev.liveforum.config.Setting;
import dev.liveforum.support.Api;
import dev.liveforum.support.Forum;
import dev.liveforum.support.RawConnection;
import dev.liveforum.support.TestNode;
import dev.liveforum.support.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.liveforum.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Uploads: refused from their headers before the body is read; bytes in flight capped per client and in all")
class UploadGuardTest {
  private static final String BOUNDARY = "----UploadGuardBoundary";
  /** Generous bounds on what the server must do at once or within its own deadline. */
  private static final int ANSWER_SECONDS = 20;
  private static final String PROXY = "127.0.0.9";

  /** A real, incompressible PNG in a form: the body every upload here sends (or starts to). */
  private final byte[] form = form(noisePng());
  private TestNode node;
  private Forum forum;
  private String author;
  private String stranger;

  @BeforeAll
  void start() {
    // One upload of this size fits in a client's budget, two do not; two fit in the node's, three do not.
    node = TestNode.start(TestServices.config()
        .with(Setting.HTTP_MAX_PENDING_UPLOAD_PER_IP, form.length * 3 / 2)
        .with(Setting.HTTP_MAX_PENDING_UPLOAD, form.length * 5 / 2)
        .with(Setting.HTTP_TRUSTED_PROXIES, PROXY));
    Api api = new Api(node.port);
    forum = new Forum(api);
    author = forum.user("painter");
    stranger = forum.user("stranger");
  }

  @AfterAll
  void stop() {
    node.close();
  }

  private static byte[] noisePng() {
    BufferedImage image = new BufferedImage(160, 160, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(12);
    for (int x = 0; x < 160; x++) {
      for (int y = 0; y < 160; y++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] form(byte[] png) {
    byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"noise.png\"\r\n"
        + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] body = Arrays.copyOf(head, head.length + png.length + tail.length);
    System.arraycopy(png, 0, body, head.length, png.length);
    System.arraycopy(tail, 0, body, head.length + png.length, tail.length);
    return body;
  }

  /** An upload's request head; {@code extra} are further header lines, each ending in CRLF. */
  private static String head(long postId, String token, long length, String extra) {
    return "POST /api/posts/" + postId + "/images HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\nContent-Length: " + length + "\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + extra + "\r\n";
  }

  /** Sends an upload's head with {@code Expect: 100-continue} from {@code from}, as curl does. */
  private RawConnection expecting(String from, long postId, String token, String extra) {
    return RawConnection.open(from, node.port).send(head(postId, token, form.length, "Expect: 100-continue\r\n" + extra));
  }

  /** A refusal: a problem with {@code status}, then the connection closed with the body never asked for. */
  private static Api.Response assertRefused(RawConnection c, int status, String detail) {
    Api.Response r = c.response(ANSWER_SECONDS);
    assertProblem(r, status, detail);
    assertEquals("close", r.headers().get("Connection"), r.toString());
    assertTrue(c.closedWithin(ANSWER_SECONDS), "the connection is closed after the refusal");
    return r;
  }

  private void assertContinue(RawConnection c) {
    Api.Response r = c.response(ANSWER_SECONDS);
    assertEquals(100, r.status(), r.toString());
  }

  private void assertStored(RawConnection c) {
    Api.Response r = c.response(ANSWER_SECONDS);
    assertEquals(201, r.status(), r.toString());
    assertNotNull(r.json().getString("url"), r.toString());
  }

  @Test
  @DisplayName("without a token: 401 and closed while only the headers have come; a client that keeps sending is cut off")
  void guestRefusedBeforeBody() {
    long postId = forum.post(author);
    try (RawConnection c = RawConnection.open(node.port)) {
      c.send(head(postId, null, 5_300_000, ""));
      assertRefused(c, 401, "access token");
    }
    try (RawConnection c = RawConnection.open(node.port)) {
      c.send(head(postId, null, 5_300_000, ""));
      byte[] chunk = new byte[64 * 1024];
      // After its answer the server drops what still comes for 2 s (so that the answer is not lost to a
      // reset), then closes: a client that keeps sending is cut off. 6.4 MB/s for up to 10 s.
      long deadline = System.nanoTime() + 10_000_000_000L;
      assertThrows(UncheckedIOException.class, () -> {
        while (System.nanoTime() < deadline) {
          c.send(chunk);
          Thread.sleep(10);
        }
      });
    }
  }

  @Test
  @DisplayName("with Expect: 100-continue, a guest, a stranger and a missing post get their refusal instead of 100 Continue")
  void noContinueForRefusals() {
    long postId = forum.post(author);
    try (RawConnection c = expecting("127.0.0.1", postId, null, "")) {
      assertRefused(c, 401, "access token");
    }
    try (RawConnection c = expecting("127.0.0.1", postId, "not-a-token", "")) {
      assertRefused(c, 401, "access token");
    }
    try (RawConnection c = expecting("127.0.0.1", postId, stranger, "")) {
      assertRefused(c, 403, "author or an admin");
    }
    try (RawConnection c = expecting("127.0.0.1", 999_999_999L, author, "")) {
      assertRefused(c, 404, "post 999999999");
    }
  }

  @Test
  @DisplayName("the author's upload with Expect: 100-continue gets 100 Continue, then 201")
  void curlStyleUpload() {
    try (RawConnection c = expecting("127.0.0.1", forum.post(author), author, "")) {
      assertContinue(c);
      c.send(form);
      assertStored(c);
    }
  }

  @Test
  @DisplayName("uploads in flight past a client's budget get 429, past the node's 503, both with Retry-After, before their bodies")
  void pendingBytesCapped() {
    long postId = forum.post(author);
    try (RawConnection first = expecting("127.0.0.1", postId, author, "");
         RawConnection second = expecting("127.0.0.2", postId, author, "")) {
      assertContinue(first);
      first.send(Arrays.copyOf(form, 1000));
      assertContinue(second);
      try (RawConnection sameClient = expecting("127.0.0.1", postId, author, "")) {
        assertNotNull(assertRefused(sameClient, 429, "in flight").headers().get("Retry-After"));
      }
      try (RawConnection anyone = expecting("127.0.0.3", postId, author, "")) {
        assertNotNull(assertRefused(anyone, 503, "as many uploads").headers().get("Retry-After"));
      }
      first.send(Arrays.copyOfRange(form, 1000, form.length));
      assertStored(first);
      second.send(form);
      assertStored(second);
    }
    // Their bytes were given back when they were answered.
    try (RawConnection again = expecting("127.0.0.1", postId, author, "")) {
      assertContinue(again);
      again.send(form);
      assertStored(again);
    }
  }

  @Test
  @DisplayName("behind a trusted proxy the budget is the forwarded client's, not the proxy's")
  void pendingBytesPerForwardedClient() {
    long postId = forum.post(author);
    try (RawConnection alice = expecting(PROXY, postId, author, "X-Forwarded-For: 203.0.113.5\r\n");
         RawConnection bob = expecting(PROXY, postId, author, "X-Forwarded-For: 203.0.113.6\r\n")) {
      assertContinue(alice);
      assertContinue(bob);
      try (RawConnection aliceAgain = expecting(PROXY, postId, author, "X-Forwarded-For: 203.0.113.5\r\n")) {
        assertRefused(aliceAgain, 429, "in flight");
      }
      alice.send(form);
      assertStored(alice);
      bob.send(form);
      assertStored(bob);
    }
  }
}
