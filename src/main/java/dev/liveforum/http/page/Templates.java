package dev.liveforum.http.page;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.util.Map;

/**
 * The page templates ({@code src/main/jte}), compiled to classes at build time by jte-maven-plugin.
 * jte escapes every {@code ${…}} for its place in the HTML; only {@code $unsafe{…}} writes markup,
 * and the templates use it solely for Markdown the server already sanitized.
 */
public final class Templates {
  private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

  private Templates() {}

  /** Renders {@code name} (e.g. {@code "post.jte"}) with its parameters. */
  public static String render(String name, Map<String, Object> params) {
    StringOutput out = new StringOutput(8192);
    ENGINE.render(name, params, out);
    return out.toString();
  }
}
