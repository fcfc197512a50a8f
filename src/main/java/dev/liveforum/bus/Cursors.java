package dev.liveforum.bus;

import io.vertx.core.json.JsonObject;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Opaque page cursors: the position (a small JSON object) plus an HMAC, so a client can hand a cursor
 * back but cannot forge or alter one. Any node can read any node's cursors (the key comes from the
 * shared JWT secret).
 */
public final class Cursors {
  private final SecretKeySpec key;

  public Cursors(String secret) {
    this.key = new SecretKeySpec(("cursor:" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  public String encode(JsonObject position) {
    byte[] body = position.encode().getBytes(StandardCharsets.UTF_8);
    return b64(body) + "." + b64(mac(body));
  }

  /** The position in {@code cursor}, or null for the first page; a forged or mangled cursor is a 400. */
  public JsonObject decode(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return null;
    }
    try {
      String[] parts = cursor.split("\\.");
      if (parts.length == 2) {
        byte[] body = Base64.getUrlDecoder().decode(parts[0]);
        if (MessageDigest.isEqual(mac(body), Base64.getUrlDecoder().decode(parts[1]))) {
          return new JsonObject(new String(body, StandardCharsets.UTF_8));
        }
      }
    } catch (IllegalArgumentException | io.vertx.core.json.DecodeException e) {
      // not base64 or not JSON: as invalid as a bad signature
    }
    throw Failure.badRequest("cursor is not valid: use the nextCursor of a previous page as it is");
  }

  private byte[] mac(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
