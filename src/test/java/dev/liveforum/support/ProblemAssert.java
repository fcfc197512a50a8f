package dev.liveforum.support;

import io.vertx.core.json.JsonObject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every error a user gets must look like. */
public final class ProblemAssert {
  private ProblemAssert() {}

  /**
   * {@code r} is an RFC 9457 problem with this status whose detail mentions {@code detailPart}
   * (ignoring case), and carries no stack trace or exception name.
   */
  public static void assertProblem(Api.Response r, int status, String detailPart) {
    assertEquals(status, r.status(), r.toString());
    assertEquals("application/problem+json", r.contentType(), r.toString());
    JsonObject p = r.json();
    assertEquals(status, p.getInteger("status"), r.toString());
    assertNotNull(p.getString("title"), r.toString());
    String detail = p.getString("detail");
    assertTrue(detail.toLowerCase().contains(detailPart.toLowerCase()),
        "detail should mention '" + detailPart + "': " + detail);
    assertFalse(r.text().contains("Exception"), "no stack trace or exception name: " + r.text());
  }
}
