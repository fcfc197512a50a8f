package dev.liveforum.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/** One HTTP request a scenario sends: {@code token} signs it in (null for a guest), {@code body} is JSON or null. */
record Request(HttpMethod method, String path, String token, Buffer body) {

  static Request get(String path) {
    return new Request(HttpMethod.GET, path, null, null);
  }

  static Request send(HttpMethod method, String path, String token, JsonObject body) {
    return new Request(method, path, token, body == null ? null : body.toBuffer());
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
