package dev.liveforum.persistence;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The image formats accepted, recognised by their leading bytes; the JDK decodes and re-encodes each
 * of them (it has no WebP codec, so WebP is refused). The file name is never trusted, and a declared
 * type, when it names an image format, must be the one the bytes show.
 */
enum ImageFormat {
  PNG("image/png", "png"),
  JPEG("image/jpeg", "jpeg"),
  GIF("image/gif", "gif");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  final String contentType;
  /** The ImageIO format name of its reader and writer. */
  final String imageIoName;

  ImageFormat(String contentType, String imageIoName) {
    this.contentType = contentType;
    this.imageIoName = imageIoName;
  }

  static Optional<ImageFormat> of(Buffer bytes) {
    if (startsWith(bytes, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    if (startsWith(bytes, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
      return Optional.of(JPEG);
    }
    if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) {
      return Optional.of(GIF);
    }
    return Optional.empty();
  }

  /**
   * Whether a client's declared type fits this format: no type, a generic one
   * ({@code application/octet-stream}) or this format's own ({@code image/jpg} is a common spelling of JPEG).
   */
  boolean admits(String declared) {
    if (declared == null) {
      return true;
    }
    String type = declared.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.isEmpty() || type.equals("application/octet-stream") || type.equals(contentType)
        || this == JPEG && type.equals("image/jpg");
  }

  private static boolean startsWith(Buffer bytes, byte[] prefix) {
    if (bytes.length() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes.getByte(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
