package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import org.commonmark.node.Node;
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

  /**
   * Deepest nesting of blocks and inlines rendered; the renderer recurses once per level, so text
   * such as 5,000 {@code >} would otherwise overflow the thread's stack.
   */
  static final int MAX_DEPTH = 100;

  private Markdown() {}

  /** The sanitized HTML of {@code markdown}; a 400 when it nests deeper than {@link #MAX_DEPTH} levels. */
  static String toSafeHtml(String markdown) {
    Node document = PARSER.parse(markdown);
    if (depth(document) > MAX_DEPTH) {
      throw Failure.badRequest("content nests quotes, lists or emphasis more than " + MAX_DEPTH + " levels deep");
    }
    return POLICY.sanitize(RENDERER.render(document));
  }

  /** How deep the tree is, walked without recursion. */
  private static int depth(Node root) {
    int depth = 0;
    int max = 0;
    Node node = root;
    while (node != null) {
      if (node.getFirstChild() != null) {
        node = node.getFirstChild();
        max = Math.max(max, ++depth);
        continue;
      }
      while (node != null && node != root && node.getNext() == null) {
        node = node.getParent();
        depth--;
      }
      node = node == null || node == root ? null : node.getNext();
    }
    return max;
  }
}
