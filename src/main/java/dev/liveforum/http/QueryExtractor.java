package dev.liveforum.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;
import io.vertx.openapi.contract.Response;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands requests to the OpenAPI validator with query parameters exactly as the client sent them.
 * vertx-openapi's own extractor URL-decodes query values a second time ({@code 100%} fails, {@code c++}
 * loses its pluses) and then reads a string parameter as JSON when it parses as JSON ({@code 1984}
 * becomes a number and breaks {@code type: string}; a lone double quote cannot be decoded at all).
 * Free text such as a search query must arrive as typed, so query parameters are taken here, decoded
 * once, and string ones are given to the validator as JSON strings, which it decodes back exactly.
 * Everything else (path, headers, body) is extracted as before. Query parameters are primitives
 * throughout the contract; an object or array one would be refused at start-up.
 */
final class QueryExtractor implements RequestExtractor {
  private final RequestExtractor others = RequestExtractor.withBodyHandler();

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(RoutingContext rc, Operation operation) {
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter p : operation.getParameters()) {
      if (p.getIn() == Location.QUERY) {
        String value = rc.request().getParam(p.getName());
        query.put(p.getName(), new RequestParameterImpl(value == null || p.getSchemaType() != SchemaType.STRING
            ? value : Json.encode(value)));
      }
    }
    try {
      return others.extractValidatableRequest(rc, new WithoutQuery(operation)).map(r -> new ValidatableRequestImpl(
          r.getCookies(), r.getHeaders(), r.getPathParameters(), query, r.getBody(), r.getContentType()));
    } catch (RuntimeException e) {
      // The default extractor throws (a ValidatorException for a value that is not valid URL encoding)
      // instead of failing its future; failed, it is answered as a 400 like any validation failure.
      return Future.failedFuture(e);
    }
  }

  /** Checks at start-up that every query parameter is one this extractor reads. */
  static void check(Iterable<Operation> operations) {
    for (Operation operation : operations) {
      for (Parameter p : operation.getParameters()) {
        if (p.getIn() == Location.QUERY && (p.getSchemaType() == SchemaType.OBJECT
            || p.getSchemaType() == SchemaType.ARRAY)) {
          throw new IllegalStateException(operation.getOperationId() + ": query parameter " + p.getName()
              + " is an object or array, which " + QueryExtractor.class.getSimpleName() + " does not read");
        }
      }
    }
  }

  /** The operation as the default extractor should see it: without its query parameters. */
  private record WithoutQuery(Operation operation) implements Operation {
    @Override
    public List<Parameter> getParameters() {
      return operation.getParameters().stream().filter(p -> p.getIn() != Location.QUERY).toList();
    }

    @Override
    public String getOperationId() {
      return operation.getOperationId();
    }

    @Override
    public HttpMethod getHttpMethod() {
      return operation.getHttpMethod();
    }

    @Override
    public String getOpenAPIPath() {
      return operation.getOpenAPIPath();
    }

    @Override
    public String getAbsoluteOpenAPIPath() {
      return operation.getAbsoluteOpenAPIPath();
    }

    @Override
    public List<String> getTags() {
      return operation.getTags();
    }

    @Override
    public RequestBody getRequestBody() {
      return operation.getRequestBody();
    }

    @Override
    public Response getDefaultResponse() {
      return operation.getDefaultResponse();
    }

    @Override
    public Response getResponse(int responseCode) {
      return operation.getResponse(responseCode);
    }

    @Override
    public List<SecurityRequirement> getSecurityRequirements() {
      return operation.getSecurityRequirements();
    }

    @Override
    public JsonObject getOpenAPIModel() {
      return operation.getOpenAPIModel();
    }
  }
}
