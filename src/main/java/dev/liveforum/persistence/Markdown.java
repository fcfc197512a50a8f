package dev.liveforum.persistence;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Posts and comments are stored as the text their authors wrote; the HTML shown for them is rendered
 * from Markdown with raw HTML escaped, then passed through the OWASP sanitizer, so no script,
 * handler attribute or javascript: link survives even if the renderer has a hole.
 */
final class Markdown {
  private static final Parser PARSER = Parser.builder().build();
  private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();
  private static final PolicyFactory POLICY = Sanitizers.FORMATTING.and(Sanitizers.BLOCKS).and(Sanitizers.TABLES)
      .and(Sanitizers.LINKS).and(Sanitizers.IMAGES)
      .and(new HtmlPolicyBuilder().allowElements("pre", "code", "hr", "del").toFactory())
      .and(new HtmlPolicyBuilder().allowElements("a").requireRelsOnLinks("nofollow", "noopener", "ugc").toFactory());

  private Markdown() {}

  static String toSafeHtml(String markdown) {
    return POLICY.sanitize(RENDERER.render(PARSER.parse(markdown)));
  }
}
