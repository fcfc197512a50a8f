package dev.liveforum.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The pages' styles and scripts ({@code src/main/resources/web/assets}) and the browser libraries from their webjars. */
final class Assets {
  private static final String WEBJARS = "META-INF/resources/webjars/";

  private Assets() {}

  static void mount(Router router) {
    Properties versions = versions();
    vendor(router, "sockjs.min.js", "sockjs-client/" + versions.getProperty("sockjs.version") + "/dist/sockjs.min.js");
    vendor(router, "uPlot.iife.min.js", "uplot/" + versions.getProperty("uplot.version") + "/dist/uPlot.iife.min.js");
    vendor(router, "uPlot.min.css", "uplot/" + versions.getProperty("uplot.version") + "/dist/uPlot.min.css");
    router.get("/favicon.ico").handler(rc -> rc.response().putHeader("Content-Type", "image/svg+xml")
        .putHeader("Cache-Control", "public, max-age=86400").sendFile("web/assets/favicon.svg"));
    router.get("/assets/*").handler(StaticHandler.create("web/assets")
        .setCachingEnabled(true).setMaxAgeSeconds(3600).setDirectoryListing(false).setIncludeHidden(false));
  }

  private static void vendor(Router router, String name, String path) {
    router.get("/assets/vendor/" + name).handler(rc -> rc.response()
        .putHeader("Content-Type", name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
        .putHeader("Cache-Control", "public, max-age=86400")
        .sendFile(WEBJARS + path));
  }

  static Properties versions() {
    try (InputStream in = Assets.class.getResourceAsStream("/liveforum-build.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
