package dev.liveforum.bus;

import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.EventData;
import dev.liveforum.event.Events;
import dev.liveforum.event.LikeEvents;
import dev.liveforum.event.OnPost;
import dev.liveforum.event.PostEvents;
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
  public record Source(EventData data, long actor, long postId, List<Candidate> byRule) {
    /** What the notification quotes: a comment's excerpt, a post's title, nothing for a like. */
    public String excerpt() {
      if (data instanceof CommentEvents.Created c) {
        return c.excerpt();
      } else if (data instanceof CommentEvents.Updated c) {
        return c.excerpt();
      } else if (data instanceof PostEvents.Created p) {
        return p.title();
      } else if (data instanceof PostEvents.Updated p) {
        return p.title();
      }
      return "";
    }
  }

  /** Who a rule names and as what. */
  private record Named(long userId, String type) {}

  /** Whether an event of this type may tell anyone at all. */
  public static boolean isSource(String type) {
    return Events.NOTIFICATION_SOURCES.contains(type);
  }

  /**
   * Reads a source event's fields the rules need.
   *
   * @throws IllegalArgumentException when the event is not a source, lacks a field, or has one of another type
   */
  public static Source read(String type, JsonObject data) {
    if (!isSource(type)) {
      throw new IllegalArgumentException(type + " events tell nobody");
    }
    EventData event = Events.read(type, data);
    List<Candidate> byRule = new ArrayList<>();
    for (Named n : named(event)) {
      byRule.add(candidate(n, event));
    }
    return new Source(event, actor(event), ((OnPost) event).postId(), byRule);
  }

  /** The names the event's text @mentions, at most {@code max} (none for a like). */
  public static Set<String> mentionedNames(Source event, int max) {
    String text = mentionText(event.data());
    return text == null ? Set.of() : mentions(text, max);
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
    Long comment = commentId(event.data());
    String once = "mention:" + (comment == null ? "post:" + event.postId() : "comment:" + comment);
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
    EventData event;
    try {
      event = Events.read(type, data);
    } catch (IllegalArgumentException e) {
      return true;
    }
    String text = mentionText(event);
    if (text != null && text.indexOf('@') >= 0) {
      return true;
    }
    long actor = actor(event);
    return named(event).stream().anyMatch(n -> n.userId() != actor);
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

  private static long actor(EventData event) {
    if (event instanceof LikeEvents.Changed like) {
      return like.userId();
    } else if (event instanceof CommentEvents.Created c) {
      return c.authorId();
    } else if (event instanceof CommentEvents.Updated c) {
      return c.authorId();
    } else if (event instanceof PostEvents.Created p) {
      return p.authorId();
    } else if (event instanceof PostEvents.Updated p) {
      return p.authorId();
    }
    throw new IllegalArgumentException(event.type() + " events tell nobody");
  }

  /** The comment a source event is about; null for a post's or a like's. */
  private static Long commentId(EventData event) {
    if (event instanceof CommentEvents.Created c) {
      return c.commentId();
    } else if (event instanceof CommentEvents.Updated c) {
      return c.commentId();
    }
    return null;
  }

  /** The text whose @names tell: a post's content and title, a comment's content; null for a like. */
  private static String mentionText(EventData event) {
    if (event instanceof CommentEvents.Created c) {
      return Objects.toString(c.content(), "") + " ";
    } else if (event instanceof CommentEvents.Updated c) {
      return Objects.toString(c.content(), "") + " ";
    } else if (event instanceof PostEvents.Created p) {
      return Objects.toString(p.content(), "") + " " + Objects.toString(p.title(), "");
    } else if (event instanceof PostEvents.Updated p) {
      return Objects.toString(p.content(), "") + " " + Objects.toString(p.title(), "");
    }
    return null;
  }

  /** The rules, mentions aside: whom the event names, in order (the first rule that names someone wins). */
  private static List<Named> named(EventData event) {
    if (event instanceof CommentEvents.Created c) {
      List<Named> out = new ArrayList<>(2);
      if (c.parentId() != null && c.parentAuthorId() != null) {
        out.add(new Named(c.parentAuthorId(), REPLY));
      }
      out.add(new Named(c.postAuthorId(), COMMENT));
      return out;
    } else if (event instanceof LikeEvents.Changed like) {
      return like.liked() ? List.of(new Named(like.targetAuthorId(), LIKE)) : List.of();
    }
    return List.of(); // post.created, post.updated, comment.updated: mentions only
  }

  /** What a named user is told of: the comment, or the liked target (told once per liker). */
  private static Candidate candidate(Named n, EventData event) {
    if (event instanceof LikeEvents.Changed like) {
      String target = like.targetType();
      long id = like.targetId();
      return new Candidate(n.userId(), LIKE, target.equals("comment") ? id : null, target, id,
          "like:" + target + ":" + id + ":" + like.userId());
    }
    return new Candidate(n.userId(), n.type(), commentId(event), null, null, null);
  }
}
