package dev.liveforum.bus;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A realtime channel a browser may watch: {@code post.<id>} and {@code board.<id>} are public,
 * {@code user.<id>} is private to that user, {@code stats} (today's statistics) is for admins. Channel names are also the bridge addresses clients
 * register on; nothing else is registrable.
 */
public record Channel(Kind kind, long id) {
  public enum Kind { POST, BOARD, USER, STATS }

  /** The one channel without an id: today's statistics, live. */
  public static final String STATS = "stats";

  /** Longest name a client may send: the kind, a dot and up to 18 digits. */
  public static final int MAX_LENGTH = 24;
  private static final Pattern NAME = Pattern.compile("(post|board|user)\\.([1-9][0-9]{0,17})");

  /** The channel named {@code name}, or null when it is no channel (wildcards, internal addresses, junk). */
  public static Channel parse(String name) {
    if (name == null || name.length() > MAX_LENGTH) {
      return null;
    }
    if (name.equals(STATS)) {
      return new Channel(Kind.STATS, 0);
    }
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return null;
    }
    Kind kind = switch (m.group(1)) {
      case "post" -> Kind.POST;
      case "board" -> Kind.BOARD;
      default -> Kind.USER;
    };
    return new Channel(kind, Long.parseLong(m.group(2)));
  }

  public static String post(long id) {
    return "post." + id;
  }

  public static String board(long id) {
    return "board." + id;
  }

  public static String user(long id) {
    return "user." + id;
  }

  public boolean isPrivate() {
    return kind == Kind.USER || kind == Kind.STATS;
  }

  /** Whether a reader (null for a guest) with {@code role} may watch this channel or read its backlog. */
  public boolean readableBy(Long userId, String role) {
    return switch (kind) {
      case USER -> userId != null && userId == id;
      case STATS -> userId != null && "admin".equals(role);
      default -> true;
    };
  }

  /** Throws unless {@link #readableBy} allows the reader: 401 for a guest, 403 for anyone else. */
  public void requireReader(Long userId, String role) {
    if (!readableBy(userId, role)) {
      throw userId == null ? Failure.unauthorized(this + " is private: sign in as its user")
          : Failure.forbidden(kind == Kind.STATS ? "stats is for admins" : this + " belongs to another user");
    }
  }

  public String name() {
    return kind == Kind.STATS ? STATS : kind.name().toLowerCase(java.util.Locale.ROOT) + "." + id;
  }

  @Override
  public String toString() {
    return name();
  }
}
