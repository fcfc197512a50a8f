package dev.liveforum.persistence;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The image formats accepted, recognised by their leading bytes. The name and the declared type of an
 * upload are never trusted: the type stored and served is the one the bytes show.
 */
enum ImageFormat {
  PNG("image/png"),
  JPEG("image/jpeg"),
  GIF("image/gif"),
  WEBP("image/webp");

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  final String contentType;

  ImageFormat(String contentType) {
    this.contentType = contentType;
  }

  static Optional<ImageFormat> of(Buffer bytes) {
    if (startsWith(bytes, 0, PNG_SIGNATURE)) {
      return Optional.of(PNG);
    }
    if (startsWith(bytes, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
      return Optional.of(JPEG);
    }
    if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
      return Optional.of(GIF);
    }
    // A RIFF container of type WEBP whose first chunk is lossy, lossless or extended WebP.
    if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBPVP8"))
        && bytes.length() > 15 && " LX".indexOf(bytes.getByte(15)) >= 0) {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }

  private static boolean startsWith(Buffer bytes, int offset, byte[] prefix) {
    if (bytes.length() < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes.getByte(offset + i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
