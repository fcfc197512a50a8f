package dev.liveforum.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;


/** Swagger UI at {@code /api/docs}, served from its webjar, reading the contract at {@code /api/openapi.yaml}. */
final class ApiDocs {
  private ApiDocs() {}

  static void mount(Vertx vertx, Router router) {
    router.get("/api/openapi.yaml").handler(rc -> rc.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8")
        .sendFile(HttpVerticle.CONTRACT));
    // Vert.x matches "/api/docs" and "/api/docs/" alike; relative asset URLs need the slash.
    router.get("/api/docs").handler(rc -> {
      if (rc.request().path().endsWith("/")) {
        rc.response().putHeader("Content-Type", "text/html; charset=utf-8").sendFile("docs/index.html");
      } else {
        rc.redirect("/api/docs/");
      }
    });
    router.get("/api/docs/liveforum-docs.js").handler(rc -> rc.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8")
        .sendFile("docs/liveforum-docs.js"));
    router.get("/api/docs/*").handler(StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion())
        .setCachingEnabled(true).setDirectoryListing(false));
  }

  private static String swaggerUiVersion() {
    return Assets.versions().getProperty("swaggerUi.version");
  }
}
