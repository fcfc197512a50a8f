package dev.liveforum.http.page;

import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Small formatting rules the templates share. Times are written in UTC with their ISO instant in
 * {@code <time datetime>}; the page script rewrites them in the reader's own time zone.
 */
public final class Fmt {
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
      .withZone(ZoneOffset.UTC);

  private static final Pattern SPACES = Pattern.compile("\\s+");

  private Fmt() {}

  /** {@code 2026-12-02T00:42:33.421Z} as "2 Dec 2026, 00:42 UTC"; the input unchanged if it is no instant. */
  public static String time(String iso) {
    if (iso == null) {
      return "";
    }
    try {
      return SHOWN.format(Instant.parse(iso));
    } catch (RuntimeException e) {
      return iso;
    }
  }

  /** The readable part of a post's address: letters and digits of any script, dashes between words. */
  public static String slug(String title) {
    String text = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    StringBuilder out = new StringBuilder();
    boolean dash = false;
    for (int i = 0; i < text.length() && out.length() < 60; ) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isLetterOrDigit(c)) {
        if (dash && out.length() > 0) {
          out.append('-');
        }
        out.appendCodePoint(c);
        dash = false;
      } else {
        dash = true;
      }
    }
    return out.toString();
  }

  /** {@code /posts/42/hello-world}: the post's canonical path. */
  public static String postPath(JsonObject post) {
    return postPath(post.getLong("id"), post.getString("title"));
  }

  public static String postPath(long id, String title) {
    String slug = slug(title);
    return slug.isEmpty() ? "/posts/" + id : "/posts/" + id + "/" + URLEncoder.encode(slug, StandardCharsets.UTF_8);
  }

  /** A query string value. */
  public static String q(String value) {
    return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
  }

  /** "1 comment", "2 comments". */
  public static String count(Number n, String one, String many) {
    long v = n == null ? 0 : n.longValue();
    return v + " " + (v == 1 ? one : many);
  }

  /** At most {@code max} characters of plain text, cut at a word where possible. */
  public static String cut(String text, int max) {
    if (text == null) {
      return "";
    }
    String flat = SPACES.matcher(text).replaceAll(" ").strip();
    if (flat.length() <= max) {
      return flat;
    }
    int end = flat.lastIndexOf(' ', max);
    return flat.substring(0, end > max / 2 ? end : max).strip() + "…";
  }

  /** A user's name, or the placeholder for a removed comment's missing author. */
  public static String name(JsonObject author) {
    return author == null ? "deleted" : author.getString("username", "deleted");
  }
}
