package dev.liveforum.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The {@code Allow} header of a 405: the contract's operations on an API path, the router's routes on a page's. */
final class AllowedMethods {
  private final OpenAPIContract contract;
  private final Router router;

  AllowedMethods(OpenAPIContract contract, Router router) {
    this.contract = contract;
    this.router = router;
  }

  String on(String path) {
    Set<String> methods = new TreeSet<>();
    Path operations = contract.findPath(path);
    if (operations != null) {
      operations.getOperations().stream().map(Operation::getHttpMethod).map(HttpMethod::name).forEach(methods::add);
    } else {
      for (Route route : router.getRoutes()) {
        if (!route.isRegexPath() && path.equals(route.getPath()) && route.methods() != null) {
          route.methods().stream().map(HttpMethod::name).forEach(methods::add);
        }
      }
    }
    return methods.stream().collect(Collectors.joining(", "));
  }
}
