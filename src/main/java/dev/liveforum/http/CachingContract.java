package dev.liveforum.http;

import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The contract as the router's validator sees it, with one difference: a schema's validator is built
 * once and reused. vertx-openapi 5.0.10 asks the schema repository for a new validator for every
 * parameter and body of every request, and building one copies the repository's lookup tables: in a
 * profile of cached post reads that was a third of all CPU samples. The schemas are the contract's own
 * objects, the same instance every time, so they key the cache by identity.
 */
final class CachingContract {
  private CachingContract() {}

  static OpenAPIContract of(OpenAPIContract contract) {
    SchemaRepository repository = contract.getSchemaRepository();
    Map<JsonSchema, Validator> validators = Collections.synchronizedMap(new IdentityHashMap<>());
    SchemaRepository caching = proxy(SchemaRepository.class, repository, (method, args) ->
        method.getName().equals("validator") && args != null && args.length == 1 && args[0] instanceof JsonSchema schema
            ? validators.computeIfAbsent(schema, repository::validator) : NOT_HANDLED);
    return proxy(OpenAPIContract.class, contract, (method, args) ->
        method.getName().equals("getSchemaRepository") && (args == null || args.length == 0) ? caching : NOT_HANDLED);
  }

  private static final Object NOT_HANDLED = new Object();

  private interface Override {
    Object call(Method method, Object[] args);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, T target, Override override) {
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
      Object result = override.call(method, args);
      if (result != NOT_HANDLED) {
        return result;
      }
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
  }
}
