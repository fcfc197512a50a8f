package dev.liveforum.persistence;

import dev.liveforum.bus.Failure;

/**
 * What a stored text may hold. Lengths are counted in Unicode code points, as JSON Schema's
 * {@code maxLength} counts them, so the contract and the code agree (200 emoji are 200 characters).
 * Never stored: lone surrogates (MariaDB's utf8mb4 would write {@code ?}), NUL and the other C0 controls
 * and DEL, except tab, line feed and carriage return in multi-line texts; and in one-line texts (titles,
 * names) the bidirectional overrides and isolates, which make a name read as another.
 */
final class Texts {
  private Texts() {}

  /** A one-line text such as a title or a name, stripped: 1 to {@code max} characters. */
  static String line(String field, String value, int max) {
    String text = value == null ? "" : value.strip();
    check(field, text, false);
    return requireLength(field, text, 1, max, "");
  }

  /** A multi-line text such as a post's content: 1 to {@code max} characters, not only spaces. */
  static String multiline(String field, String value, int max) {
    String text = value == null ? "" : value;
    check(field, text, true);
    return requireLength(field, text.isBlank() ? "" : text, 1, max, ", not only spaces");
  }

  /** A multi-line text that may be empty, such as a board's description. */
  static String optional(String field, String value, int max) {
    String text = value == null ? "" : value.strip();
    check(field, text, true);
    return requireLength(field, text, 0, max, "");
  }

  private static String requireLength(String field, String text, int min, int max, String also) {
    int length = text.codePointCount(0, text.length());
    if (length < min || length > max) {
      throw Failure.badRequest(field + " must be " + min + " to " + max + " characters (Unicode code points)"
          + also + "; it has " + length);
    }
    return text;
  }

  private static void check(String field, String text, boolean multiline) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw Failure.badRequest(field + " holds a lone UTF-16 surrogate (" + code(c) + ") at character " + i
            + ", which is no character: send valid Unicode");
      } else if ((c < 0x20 || c == 0x7F) && !(multiline && (c == '\t' || c == '\n' || c == '\r'))) {
        throw Failure.badRequest(field + " holds the control character " + code(c) + " at character " + i
            + (multiline ? "; only tab and line breaks are allowed" : "; it must be one line of text"));
      } else if (!multiline && (c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069)) {
        throw Failure.badRequest(field + " holds the bidirectional formatting character " + code(c)
            + " at character " + i + ", which can make it read as other text");
      }
    }
  }

  private static String code(char c) {
    return String.format("U+%04X", (int) c);
  }
}
