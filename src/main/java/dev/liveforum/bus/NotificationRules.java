package dev.liveforum.bus;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notification rules: whom a domain event tells, and of what. Pure (no I/O), so that persistence,
 * which applies them to jobs (it looks up the @names and the rows), and the notification role's
 * Feeder, which asks {@link #mayTell} before an event becomes a job, read the same rules.
 *
 * <ul>
 *   <li>A comment tells the post's author ({@link #COMMENT}); a reply tells the parent comment's
 *       author ({@link #REPLY}), and only of the reply if they wrote the post too.</li>
 *   <li>A like tells the author of the liked post or comment ({@link #LIKE}), once per liker and
 *       target; an unlike tells nobody.</li>
 *   <li>A post (title and content) or a comment, created or edited, tells the users it @mentions
 *       ({@link #MENTION}): its first {@code limits.mentionsPerText} distinct names, case aside, once
 *       per text, so an edit tells only the names it adds.</li>
 *   <li>Someone several rules name is told once, by the first; nobody is told of their own action.</li>
 * </ul>
 */
public final class NotificationRules {
  public static final String COMMENT = "comment";
  public static final String REPLY = "reply";
  public static final String LIKE = "like";
  public static final String MENTION = "mention";
  private static final Pattern MENTION_PATTERN = Pattern.compile("(?<![A-Za-z0-9_@])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])");

  private NotificationRules() {}

  /**
   * Someone to tell, and what: the comment or target it points at, and {@code once}, what they are told
   * about at most once (null: no such rule).
   */
  public record Candidate(long userId, String type, Long commentId, String targetType, Long targetId, String once) {}

  /** A source event as the rules read it: who acted, on which post, and whom the rules name, mentions aside. */
  public record Source(String type, JsonObject data, long actor, long postId, List<Candidate> byRule) {}

  /** Who a rule names (null where the event lacks the field) and as what. */
  private record Named(Long userId, String type) {}

  /** Whether an event of this type may tell anyone at all. */
  public static boolean isSource(String type) {
    return Address.NOTIFICATION_SOURCES.contains(type);
  }

  /**
   * Reads a source event's fields the rules need.
   *
   * @throws IllegalArgumentException when the event lacks one, or has one of another type
   */
  public static Source read(String type, JsonObject data) {
    try {
      long actor = actor(type, data);
      long postId = type.startsWith("post.") ? data.getLong(Field.ID) : data.getLong(Field.POST_ID);
      List<Candidate> byRule = new ArrayList<>();
      for (Named n : named(type, data)) {
        byRule.add(candidate(n, data));
      }
      return new Source(type, data, actor, postId, byRule);
    } catch (NullPointerException | ClassCastException e) {
      throw new IllegalArgumentException(type + " event lacks the fields its rules need", e);
    }
  }

  /** The names the event's text @mentions, at most {@code max} (none for a like). */
  public static Set<String> mentionedNames(Source event, int max) {
    return event.type().equals(Address.LIKE_CHANGED) ? Set.of() : mentions(mentionText(event.type(), event.data()), max);
  }

  /**
   * Whom the event tells: those the rules name, then the {@code mentioned} users (the ids of
   * {@link #mentionedNames}) no rule named, the first rule winning per user, the actor left out.
   */
  public static List<Candidate> told(Source event, List<Long> mentioned) {
    Map<Long, Candidate> byUser = new LinkedHashMap<>();
    for (Candidate c : event.byRule()) {
      byUser.putIfAbsent(c.userId(), c);
    }
    boolean onPost = event.type().startsWith("post.");
    Long comment = onPost ? null : event.data().getLong(Field.COMMENT_ID);
    String once = "mention:" + (onPost ? "post:" + event.data().getLong(Field.ID) : "comment:" + comment);
    for (Long user : mentioned) {
      byUser.putIfAbsent(user, new Candidate(user, MENTION, comment, null, null, once));
    }
    return byUser.values().stream().filter(c -> c.userId() != event.actor()).toList();
  }

  /**
   * Whether the event may tell anyone: the rules without the database, so that unlikes, likes of one's
   * own things, comments on one's own posts and texts that mention nobody make no job. A text with an
   * {@code @} may mention someone. When in doubt (a malformed event) it says yes: {@link #read} judges.
   */
  public static boolean mayTell(String type, JsonObject data) {
    if (!isSource(type)) {
      return false;
    }
    if (data == null) {
      return true;
    }
    try {
      if (!type.equals(Address.LIKE_CHANGED) && mentionText(type, data).indexOf('@') >= 0) {
        return true;
      }
      List<Named> named = named(type, data);
      if (named.isEmpty()) {
        return false;
      }
      Long actor = actor(type, data);
      return named.stream().anyMatch(n -> !Objects.equals(n.userId(), actor));
    } catch (NullPointerException | ClassCastException e) {
      return true;
    }
  }

  /**
   * The names @mentioned in {@code text}, the first {@code max} distinct ones; names differing only in case
   * are one (usernames compare without case).
   */
  public static Set<String> mentions(String text, int max) {
    Set<String> seen = new HashSet<>();
    Set<String> names = new LinkedHashSet<>();
    Matcher m = MENTION_PATTERN.matcher(text);
    while (m.find() && names.size() < max) {
      if (seen.add(m.group(1).toLowerCase(Locale.ROOT))) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Refuses (422) a text that mentions more than {@code max} distinct names ({@code limits.mentionsPerText},
   * as Discourse's max_mentions_per_post). The rules look at that many names of a text, with the same
   * pattern, so every mention a stored text makes is one that tells.
   */
  public static void requireMentionsAtMost(String what, String text, int max) {
    if (mentions(text, max + 1).size() > max) {
      throw Failure.of(422, what + " mentions more than " + max + " people: at most " + max
          + " distinct @names may be mentioned in one " + what);
    }
  }

  private static Long actor(String type, JsonObject data) {
    return type.equals(Address.LIKE_CHANGED) ? data.getLong(Field.USER_ID) : data.getLong(Field.AUTHOR_ID);
  }

  /** The text whose @names tell: a post's content and title, a comment's content. */
  private static String mentionText(String type, JsonObject data) {
    return data.getString(Field.CONTENT, "") + " " + (type.startsWith("post.") ? data.getString(Field.TITLE, "") : "");
  }

  /** The rules, mentions aside: whom the event names, in order (the first rule that names someone wins). */
  private static List<Named> named(String type, JsonObject data) {
    switch (type) {
      case Address.COMMENT_CREATED -> {
        List<Named> out = new ArrayList<>(2);
        if (data.getLong(Field.PARENT_ID) != null && data.getLong("parentAuthorId") != null) {
          out.add(new Named(data.getLong("parentAuthorId"), REPLY));
        }
        out.add(new Named(data.getLong("postAuthorId"), COMMENT));
        return out;
      }
      case Address.LIKE_CHANGED -> {
        return data.getBoolean(Field.LIKED) ? List.of(new Named(data.getLong("targetAuthorId"), LIKE)) : List.of();
      }
      default -> {
        return List.of(); // post.created, post.updated, comment.updated: mentions only
      }
    }
  }

  /** What a named user is told of: the comment, or the liked target (told once per liker). */
  private static Candidate candidate(Named n, JsonObject data) {
    long user = n.userId();
    if (n.type().equals(LIKE)) {
      String target = data.getString(Field.TARGET_TYPE);
      long id = data.getLong(Field.TARGET_ID);
      return new Candidate(user, LIKE, target.equals("comment") ? id : null, target, id,
          "like:" + target + ":" + id + ":" + data.getLong(Field.USER_ID));
    }
    long comment = data.getLong(Field.COMMENT_ID);
    return new Candidate(user, n.type(), comment, null, null, null);
  }
}
