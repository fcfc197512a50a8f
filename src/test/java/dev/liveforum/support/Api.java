package dev.liveforum.support;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** A real HTTP client for tests: blocking calls (from the test thread) against one node. */
public final class Api {
  private static final Vertx CLIENT_VERTX = Vertx.vertx();
  private static final io.vertx.core.Context CONTEXT = CLIENT_VERTX.getOrCreateContext();
  private static final WebClient CLIENT = WebClient.create(CLIENT_VERTX,
      new WebClientOptions().setKeepAlive(true).setFollowRedirects(false), new PoolOptions().setHttp1MaxSize(64));

  private final String host;
  private final int port;
  /** The client this Api speaks for behind a trusted proxy (sent as X-Forwarded-For); null: itself. */
  private final String client;

  public Api(int port) {
    this("127.0.0.1", port);
  }

  public Api(String host, int port) {
    this(host, port, null);
  }

  private Api(String host, int port, String client) {
    this.host = host;
    this.port = port;
    this.client = client;
  }

  /** This Api as the client {@code ip}, for a node that trusts 127.0.0.1 as a proxy ({@code http.trustedProxies}). */
  public Api as(String ip) {
    return new Api(host, port, ip);
  }

  public Response get(String path, String token) {
    return send(HttpMethod.GET, path, token, null, null);
  }

  public Response get(String path) {
    return get(path, null);
  }

  public Response post(String path, JsonObject body) {
    return send(HttpMethod.POST, path, null, null, body == null ? null : body.toBuffer());
  }

  public Response send(HttpMethod method, String path, String token, JsonObject body) {
    return send(method, path, token, null, body == null ? null : body.toBuffer());
  }

  /** Any request: raw bytes as the body (sent as application/json unless headers say otherwise). */
  public Response send(HttpMethod method, String path, String token, MultiMap headers, Buffer body) {
    return sendAsync(method, path, token, headers, body).await();
  }

  /**
   * Sends from the client's own event loop: in Vert.x 5.0.10 a request started on a plain thread that
   * has to wait for a pooled connection can stay unanswered for good.
   */
  public io.vertx.core.Future<Response> sendAsync(HttpMethod method, String path, String token, MultiMap headers,
                                                  Buffer body) {
    io.vertx.core.Promise<Response> answer = io.vertx.core.Promise.promise();
    CONTEXT.runOnContext(v -> start(method, path, token, headers, body).onComplete(answer));
    return answer.future();
  }

  private io.vertx.core.Future<Response> start(HttpMethod method, String path, String token, MultiMap headers,
                                               Buffer body) {
    HttpRequest<Buffer> request = CLIENT.request(method, port, host, path).timeout(30_000);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (client != null) {
      request.putHeader("X-Forwarded-For", client);
    }
    if (headers != null) {
      request.putHeaders(headers);
    }
    if (body != null && (headers == null || !headers.contains("Content-Type"))) {
      request.putHeader("Content-Type", "application/json");
    }
    return (body == null ? request.send() : request.sendBuffer(body))
        .map(r -> new Response(r.statusCode(), r.headers(), r.body() == null ? Buffer.buffer() : r.body()));
  }

  public record Response(int status, MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body.length() == 0 ? new JsonObject() : body.toJsonObject();
    }

    public String contentType() {
      return headers.get("Content-Type");
    }

    public String text() {
      return body.toString();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /**
   * Reads {@code path} (a {@code /api/realtime/...} catch-up) until its channel has reached {@code seq}:
   * events are numbered after the REST call that made them has answered.
   */
  public JsonObject awaitSeq(String path, long seq) {
    return Eventually.eventually(path + " reaches seq " + seq, () -> get(path).json(),
        caughtUp -> caughtUp.getLong("seq", 0L) >= seq);
  }
}
