package dev.liveforum.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.regex.Pattern;

/** RFC 9457 problem details: every error LiveForum returns, in one shape. */
final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  static final String TYPE = "application/problem+json";
  /** How soon a client may try again after a 503. */
  static final String RETRY_AFTER_SECONDS = "5";

  private Problems() {}

  static void send(RoutingContext rc, int status, String detail) {
    send(rc, status, detail, new JsonObject());
  }

  /**
   * 429 for a request over one of the named limits: {@code Retry-After}, and the problem names the limited
   * {@code action} and the seconds to wait ({@code retryAfter}) as members of their own, for programs.
   */
  static void tooMany(RoutingContext rc, String action, long retryAfterSeconds, String detail) {
    rc.response().putHeader("Retry-After", String.valueOf(retryAfterSeconds));
    send(rc, 429, detail, new JsonObject().put("action", action).put("retryAfter", retryAfterSeconds));
  }

  /** A problem with {@code extensions}, members of its own beyond the standard ones (RFC 9457 3.2). */
  private static void send(RoutingContext rc, int status, String detail, JsonObject extensions) {
    if (rc.response().ended()) {
      return;
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    if (status == 503 && !rc.response().headers().contains("Retry-After")) {
      // Every 503 is temporary (a role or store that will be back): say when to try again.
      rc.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
    }
    if (!isApi(rc.request().path())) {
      PageRoutes.error(rc, status, detail);
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", "about:blank")
        .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
        .put("status", status)
        .put("detail", detail)
        .put("instance", rc.request().path())
        .mergeIn(extensions);
    rc.response().setStatusCode(status).putHeader("Content-Type", TYPE).end(body.encode());
  }

  /** Whether the request may change something: anything but GET, HEAD and OPTIONS. */
  private static boolean isWrite(RoutingContext rc) {
    HttpMethod method = rc.request().method();
    return method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
  }

  /** People get pages, programs get problem+json: everything under /api, /health and /metrics is for programs. */
  static boolean isApi(String path) {
    return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/health") || path.startsWith("/metrics");
  }

  /** The failure handler of every route: turns whatever failed into a problem a person can act on. */
  static void onFailure(RoutingContext rc) {
    Throwable failure = rc.failure();
    int status = rc.statusCode();
    if (failure instanceof ReplyException re) {
      fromBus(rc, re);
    } else if (failure instanceof HttpException he && he.getCause() instanceof ReplyException re
        && re.failureCode() != 401) {
      // A token that could not be checked (persistence unreachable) is not a token refused.
      fromBus(rc, re);
    } else if (failure instanceof HttpException he) {
      send(rc, he.getStatusCode(), detail(he.getStatusCode(), he.getCause() instanceof ValidatorException v
          ? invalid(v) : he.getPayload()));
    } else if (status >= 400 && status < 500) {
      // e.g. the CORS handler refusing an origin (403)
      send(rc, status, detail(status, status == 403 && rc.request().getHeader("Origin") != null
          ? "requests from origin " + rc.request().getHeader("Origin") + " are not allowed" : null));
    } else {
      log.error("{} {} failed [request {}]", rc.request().method(), rc.request().path(), RequestLog.id(rc), failure);
      send(rc, 500, "the server failed to handle this request; it has been logged as request " + RequestLog.id(rc));
    }
  }

  /**
   * A bus failure carries the status to return. No handler means the role that should answer is not
   * running anywhere reachable: 503, quickly, rather than a hang; nothing was sent, so nothing was done.
   * No reply in time is the same for a read, but a write may have reached its role and may still
   * commit: 504, which says so, rather than a 503 that invites a blind retry. Persistence answers 504 itself
   * when it lost its database connection while committing.
   */
  static void fromBus(RoutingContext rc, ReplyException re) {
    if (re.failureType() == ReplyFailure.TIMEOUT && isWrite(rc)) {
      outcomeUnknown(rc, re, "no answer came in time");
      return;
    }
    if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == 504) {
      outcomeUnknown(rc, re, re.getMessage());
      return;
    }
    switch (re.failureType()) {
      case NO_HANDLERS, TIMEOUT -> {
        log.warn("{} {}: {} [request {}]", rc.request().method(), rc.request().path(), re.getMessage(), RequestLog.id(rc));
        send(rc, 503, "a service this request needs is unavailable; try again shortly");
      }
      default -> {
        int code = re.failureCode();
        if (code >= 400 && code < 600 && code != 500) {
          send(rc, code, re.getMessage());
        } else {
          send(rc, 500, "the server failed to handle this request; it has been logged as request " + RequestLog.id(rc));
        }
      }
    }
  }

  /** A write whose outcome is unknown ({@code why}): 504, saying so and how to repeat it safely. */
  private static void outcomeUnknown(RoutingContext rc, ReplyException re, String why) {
    log.warn("{} {}: {}, outcome unknown [request {}]", rc.request().method(), rc.request().path(),
        re.getMessage(), RequestLog.id(rc));
    if (rc.request().getHeader(Edge.IDEMPOTENCY_KEY) != null) {
      rc.response().putHeader("Retry-After", RETRY_AFTER_SECONDS);
      send(rc, 504, why + ": the change may or may not have been made. Repeat the request with "
          + "the same Idempotency-Key to get its outcome; it will not be made twice");
    } else {
      send(rc, 504, why + ": the change may or may not have been made. Check before you repeat "
          + "it (a write that accepts an Idempotency-Key can be repeated safely with one)");
    }
  }

  /**
   * Names each offending field and the rule it breaks. The validator also reports the enclosing
   * schemas of each failure ("a subschema had errors") and, for a property that broke its own schema,
   * an echo under additionalProperties; those are left out.
   */
  static String invalid(ValidatorException e) {
    if (!(e instanceof SchemaValidationException sve) || sve.getOutputUnit() == null) {
      return e.getMessage();
    }
    List<OutputUnit> errors = sve.getOutputUnit().getErrors();
    List<String> reasons = errors.stream()
        .filter(u -> !WRAPPER.matcher(u.getError()).matches())
        .filter(u -> !u.getKeywordLocation().endsWith("additionalProperties") || errors.stream().noneMatch(
            o -> o != u && o.getInstanceLocation().equals(u.getInstanceLocation())
                && !o.getKeywordLocation().endsWith("additionalProperties")))
        .map(Problems::reason)
        .distinct()
        .toList();
    var param = PARAMETER.matcher(e.getMessage());
    String where = param.lookingAt() ? param.group(1) + " parameter " + param.group(2) : "request body";
    return "invalid " + where + ": " + String.join("; ", reasons.isEmpty() ? List.of(e.getMessage()) : reasons);
  }

  private static final Pattern PARAMETER = Pattern.compile("The value of (\\w+) parameter (\\S+) is invalid");
  private static final Pattern WRAPPER =
      Pattern.compile("A subschema had errors|Property \"[^\"]*\" does not match schema");

  private static String reason(OutputUnit u) {
    String field = u.getInstanceLocation().replaceFirst("^#/?", "");
    if (u.getKeywordLocation().endsWith("additionalProperties")) {
      return field + ": is not a known field";
    }
    return (field.isEmpty() ? "" : field + ": ") + u.getError();
  }

  private static String detail(int status, String given) {
    if (given != null && !given.isBlank()) {
      return given;
    }
    return switch (status) {
      case 401 -> "a valid access token is required (Authorization: Bearer <token>); it may have expired";
      case 403 -> "you are not allowed to do this";
      case 404 -> "there is nothing at this address";
      case 405 -> "this method is not allowed here";
      case 413 -> "the request body is too large";
      case 415 -> "the request body must be application/json";
      default -> HttpResponseStatus.valueOf(status).reasonPhrase();
    };
  }
}
