package dev.liveforum.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.Vertx;
import dev.liveforum.config.Config;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatableRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * File uploads ({@code multipart/form-data}): admitted from their headers ({@link UploadGuard}), then read
 * into memory, never onto disk, up to their own limit ({@code http.uploadLimitBytes}) and while they keep
 * arriving ({@code http.bodyTimeoutSeconds}), and parsed with Netty's multipart decoder.
 *
 * <p>Neither half of vertx-web fits as it is. BodyHandler writes uploaded files to disk and keeps no
 * multipart body, so the OpenAPI validator would see none. vertx-openapi's multipart analyser decodes
 * the body as UTF-8 text (mangling binary parts) and refuses parts of any type but {@code text/plain},
 * {@code application/json} and {@code application/octet-stream}, so a browser's {@code image/png} part
 * would be rejected. The validator is therefore shown the form's shape: the same part names, each as
 * {@code application/octet-stream} with a placeholder body. It still checks the path, the security, the
 * content type and which parts there are; handlers take the bytes from {@link #parts(RoutingContext)}.
 */
final class Uploads {
  private static final String RAW = "liveforum.upload.raw";
  /** How long a refused upload's remaining bytes are read and dropped before its connection is closed. */
  static final long LINGER_MS = 2000;
  private static final String PARTS = "liveforum.upload.parts";
  private static final String BOUNDARY = "liveforum-form-shape";
  private static final String SHAPE_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
  private static final String PLACEHOLDER = "(bytes)";

  /** One part of a form: {@code fileName} and {@code contentType} are what the client claimed, if anything. */
  record Part(String name, String fileName, String contentType, Buffer bytes) {}

  private final Vertx vertx;
  private final OpenAPIContract contract;
  private final String operationId;
  private final long limit;
  private final long bodyTimeoutMs;
  private final UploadGuard guard;
  /** The upload operation's path, capturing the post's id. */
  private final Pattern path;

  /** Uploads to {@code operationId} of {@code contract}, within the limits of {@code http}, admitted by {@code guard}. */
  Uploads(Vertx vertx, OpenAPIContract contract, String operationId, Config.Http http, UploadGuard guard) {
    this.vertx = vertx;
    this.contract = contract;
    this.operationId = operationId;
    this.limit = http.uploadLimitBytes();
    this.bodyTimeoutMs = http.bodyTimeoutSeconds() * 1000L;
    this.guard = guard;
    this.path = Pattern.compile(Arrays.stream(contract.operation(operationId).getAbsoluteOpenAPIPath().split("/", -1))
        .map(segment -> segment.equals("{id}") ? "([1-9][0-9]{0,15})" : Pattern.quote(segment))
        .collect(Collectors.joining("/")) + "/?"); // the router takes a trailing slash too
  }

  /** The body handler of every route: uploads are read here, every other body by {@code others}. */
  Handler<RoutingContext> bodyHandler(BodyHandler others) {
    return rc -> {
      if (isUpload(rc)) {
        read(rc);
      } else {
        others.handle(rc);
      }
    };
  }

  /** Extracts requests for validation: an upload as the shape of its form, anything else with {@code others}. */
  RequestExtractor extractor(RequestExtractor others) {
    return (rc, operation) -> operation.getOperationId().equals(operationId)
        ? extract(rc, operation)
        : others.extractValidatableRequest(rc, operation);
  }

  /** The parts of an upload's form, as sent. */
  static List<Part> parts(RoutingContext rc) {
    return rc.get(PARTS);
  }

  /** Whether the router will take this request to the upload operation (it routes by the normalised path). */
  private boolean isUpload(RoutingContext rc) {
    if (rc.request().method() != HttpMethod.POST) {
      return false;
    }
    Operation operation = contract.findOperation(rc.normalizedPath(), HttpMethod.POST);
    return operation != null && operation.getOperationId().equals(operationId);
  }

  /**
   * Reads an upload's body once {@link UploadGuard} admits it: until then the request is paused and no
   * {@code 100 Continue} is sent. A refusal is answered at once and the connection closed, so the body
   * that may follow is never read.
   */
  private void read(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (request.isEnded()) {
      rc.put(RAW, Buffer.buffer());
      rc.next();
      return;
    }
    request.pause();
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    long declared = length != null && length.matches("\\d{1,18}") ? Long.parseLong(length) : limit;
    if (declared > limit) {
      refuse(rc, tooLarge());
      return;
    }
    String expect = request.getHeader(HttpHeaders.EXPECT);
    if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
      refuse(rc, new HttpException(417, "only Expect: 100-continue is supported"));
      return;
    }
    Matcher id = path.matcher(rc.normalizedPath());
    if (!id.matches()) {
      refuse(rc, new HttpException(400, "the post id in the path must be a whole number from 1"));
      return;
    }
    guard.admit(rc, Long.parseLong(id.group(1)), declared).onComplete(admitted -> {
      if (admitted.failed()) {
        refuse(rc, admitted.cause());
        return;
      }
      rc.addEndHandler(v -> admitted.result().run());
      if (expect != null) {
        rc.response().writeContinue();
      }
      new Receiving(rc, admitted.result()).start();
    });
  }

  /**
   * Answers {@code failure} and closes the connection after it, the body never kept: what the client still
   * sends is read and dropped for {@link #LINGER_MS} at most (as a web server's lingering close does). Closing
   * with bytes unread would reset the connection, and a client still sending (a browser does not wait for
   * {@code 100 Continue}) could lose the answer before reading it.
   */
  private void refuse(RoutingContext rc, Throwable failure) {
    if (failure instanceof HttpException e && (e.getStatusCode() == 429 || e.getStatusCode() == 503)) {
      rc.response().putHeader(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
    }
    // An HTTP/2 stream ends alone; its connection carries other requests.
    if (rc.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      rc.response().putHeader(HttpHeaders.CONNECTION, "close");
      rc.addEndHandler(v -> linger(rc.request()));
    }
    if (failure instanceof UploadGuard.Limited limited) {
      Problems.tooMany(rc, limited.refusal.action(), limited.refusal.retryAfterSeconds(), limited.refusal.detail());
      return;
    }
    rc.fail(failure);
  }

  private void linger(HttpServerRequest request) {
    io.vertx.core.http.HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = vertx.setTimer(LINGER_MS, id -> connection.close());
    request.handler(dropped -> { });
    request.exceptionHandler(t -> connection.close());
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      connection.close();
    });
    request.resume();
  }

  /**
   * One admitted body being read into memory: refused when it grows past the limit, or when nothing of it
   * has come for {@code http.bodyTimeoutSeconds}; then what arrived is dropped and its budget given back.
   */
  private final class Receiving {
    private final RoutingContext rc;
    private final Runnable release;
    private Buffer body = Buffer.buffer();
    /** Set once the body is read or refused: later events on the connection are not this reader's business. */
    private boolean settled;
    private long lastChunkNanos = System.nanoTime();
    private long timer = -1;

    Receiving(RoutingContext rc, Runnable release) {
      this.rc = rc;
      this.release = release;
    }

    void start() {
      HttpServerRequest request = rc.request();
      request.handler(chunk -> {
        if (settled) {
          return;
        }
        lastChunkNanos = System.nanoTime();
        if (body.length() + chunk.length() > limit) {
          settle(tooLarge());
        } else {
          body.appendBuffer(chunk);
        }
      });
      request.exceptionHandler(t -> settle(new HttpException(400, "the upload could not be read", t)));
      request.endHandler(v -> {
        if (!settled) {
          settled = true;
          vertx.cancelTimer(timer);
          rc.put(RAW, body);
          rc.next();
        }
      });
      watch(bodyTimeoutMs);
      request.resume();
    }

    /** Checks after {@code delayMs} that the body still arrives. */
    private void watch(long delayMs) {
      timer = vertx.setTimer(delayMs, id -> {
        long quietMs = (System.nanoTime() - lastChunkNanos) / 1_000_000;
        if (settled) {
          return;
        }
        if (quietMs >= bodyTimeoutMs) {
          settle(new HttpException(408, "the upload stopped arriving: nothing of it came for "
              + bodyTimeoutMs / 1000 + " seconds"));
        } else {
          watch(bodyTimeoutMs - quietMs);
        }
      });
    }

    private void settle(HttpException failure) {
      if (!settled) {
        settled = true;
        vertx.cancelTimer(timer);
        body = null;
        release.run();
        refuse(rc, failure);
      }
    }
  }

  private HttpException tooLarge() {
    return new HttpException(413, "an upload may be at most " + limit + " bytes, multipart framing included");
  }

  private Future<ValidatableRequest> extract(RoutingContext rc, Operation operation) {
    // Parsed below; the raw body is not needed after that.
    Buffer raw = rc.remove(RAW);
    String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (raw == null) {
      // Only if the router and the contract disagree about a path; never read with the wrong limit.
      return Future.failedFuture(new HttpException(400, "the upload could not be read"));
    }
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Future.failedFuture(new HttpException(415, "send the file as multipart/form-data"));
    }
    List<Part> parts;
    try {
      parts = parse(type, raw);
    } catch (DecoderException | IllegalArgumentException e) {
      return Future.failedFuture(new HttpException(400,
          "the multipart/form-data body is malformed (or its Content-Type has no boundary)"));
    }
    for (Part part : parts) {
      if (!part.name().matches("[\\x21\\x23-\\x7E]{1,100}")) {
        return Future.failedFuture(new HttpException(400, "form field names must be 1 to 100 printable ASCII "
            + "characters without quotes or spaces"));
      }
    }
    rc.put(PARTS, parts);
    return RequestUtils.extract(rc.request(), operation, () -> Future.succeededFuture(shape(parts)))
        .map(Shape::new);
  }

  private static List<Part> parse(String contentType, Buffer raw) {
    DefaultHttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1,
        io.netty.handler.codec.http.HttpMethod.POST, "/");
    request.headers().set(HttpHeaders.CONTENT_TYPE, contentType);
    if (!HttpPostRequestDecoder.isMultipart(request)) {
      throw new IllegalArgumentException("no boundary");
    }
    // In memory: the request is bounded by the upload limit, and nothing is left on disk.
    HttpPostMultipartRequestDecoder decoder =
        new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), request, StandardCharsets.UTF_8);
    try {
      decoder.offer(new DefaultLastHttpContent(Unpooled.wrappedBuffer(raw.getBytes())));
      List<Part> parts = new ArrayList<>();
      for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
        if (data instanceof HttpData http) {
          parts.add(data instanceof FileUpload file
              ? new Part(file.getName(), file.getFilename(), file.getContentType(), Buffer.buffer(file.get()))
              : new Part(http.getName(), null, null, Buffer.buffer(http.get())));
        }
      }
      return parts;
    } catch (java.io.IOException e) {
      throw new DecoderException(e);
    } finally {
      decoder.destroy();
    }
  }

  private static Buffer shape(List<Part> parts) {
    Buffer body = Buffer.buffer();
    for (Part part : parts) {
      body.appendString("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + part.name()
          + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + PLACEHOLDER + "\r\n");
    }
    return body.appendString("--" + BOUNDARY + "--\r\n");
  }

  /**
   * A request as extracted, with the form's shape as its body, under a boundary of our own: the
   * validator splits bodies with the boundary as a regular expression, which a client's need not be.
   */
  private record Shape(ValidatableRequest request) implements ValidatableRequest {
    @Override
    public Map<String, RequestParameter> getCookies() {
      return request.getCookies();
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return request.getHeaders();
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return request.getPathParameters();
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return request.getQuery();
    }

    @Override
    public RequestParameter getBody() {
      return request.getBody();
    }

    @Override
    public String getContentType() {
      return SHAPE_TYPE;
    }
  }
}
