package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Posts and comments are stored as the text their authors wrote; the HTML shown for them is rendered
 * from Markdown with raw HTML escaped, then passed through the OWASP sanitizer, so no script,
 * handler attribute or javascript: link survives even if the renderer has a hole. An image on another
 * host would tell that host who reads the page: it becomes a link to the image unless an admin has
 * allowed its host ({@code markdown.imageHosts}; the pages' {@code img-src} lists the same hosts).
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

  /** Hosts whose images readers' browsers may load, lower case, each {@code host} or {@code host:port}. */
  private final Set<String> imageHosts;

  Markdown(List<String> imageHosts) {
    this.imageHosts = Set.copyOf(imageHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
  }

  /** The sanitized HTML of {@code markdown}; a 400 when it nests deeper than {@link #MAX_DEPTH} levels. */
  String toSafeHtml(String markdown) {
    Node document = PARSER.parse(markdown);
    if (depth(document) > MAX_DEPTH) {
      throw Failure.badRequest("content nests quotes, lists or emphasis more than " + MAX_DEPTH + " levels deep");
    }
    linkRemoteImages(document);
    return POLICY.sanitize(RENDERER.render(document));
  }

  /** Replaces each image on a host not allowed by a link to it, its alt text as the link's text. */
  private void linkRemoteImages(Node document) {
    List<Image> images = new ArrayList<>();
    document.accept(new AbstractVisitor() {
      @Override
      public void visit(Image image) {
        images.add(image);
      }
    });
    for (Image image : images) {
      if (allowed(image.getDestination())) {
        continue;
      }
      Link link = new Link(image.getDestination(), image.getTitle());
      for (Node child = image.getFirstChild(); child != null; child = image.getFirstChild()) {
        link.appendChild(child);
      }
      image.insertBefore(link);
      image.unlink();
    }
  }

  /** Whether a browser may load this image: one of the site's own (no host) or on an allowed host. */
  private boolean allowed(String destination) {
    try {
      URI uri = new URI(destination.strip());
      String host = uri.getHost();
      if (host == null) {
        // No host: a path on the forum itself, unless it names a scheme (data:, or a host the parser missed).
        return uri.getScheme() == null && uri.getRawAuthority() == null;
      }
      String h = host.toLowerCase(Locale.ROOT);
      return imageHosts.contains(uri.getPort() < 0 ? h : h + ":" + uri.getPort());
    } catch (URISyntaxException e) {
      return false;
    }
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
