package dev.liveforum.search;

import dev.liveforum.event.CommentEvents;
import dev.liveforum.event.DomainEvent;
import dev.liveforum.event.EventData;
import dev.liveforum.event.PostEvents;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Optional;

/**
 * What each domain event the index follows (see SearchVerticle) changes in it. Posts are deleted for good; comments
 * are soft-deleted, which for search is the same. No other state hides a post or a comment today; one
 * that did would be a {@link Change.DeletePost} or {@link Change.DeleteComment} here, and its undoing a put.
 */
final class IndexedEvents {
  private IndexedEvents() {}

  /** The change a published event ({@link DomainEvent}'s JSON) makes, if any; an unreadable one makes none. */
  static Optional<Change> of(JsonObject json) {
    return Optional.ofNullable(change(DomainEvent.from(json).data()));
  }

  private static Change change(EventData data) {
    if (data instanceof PostEvents.Created p) {
      return post(p.id(), p.boardId(), p.authorId(), p.authorName(), p.title(), p.content(), p.createdAt());
    } else if (data instanceof PostEvents.Updated p) {
      return post(p.id(), p.boardId(), p.authorId(), p.authorName(), p.title(), p.content(), p.createdAt());
    } else if (data instanceof PostEvents.Deleted p) {
      return new Change.DeletePost(p.id());
    } else if (data instanceof CommentEvents.Created c) {
      return new Change.PutComment(new Docs(true, c.commentId(), c.postId(), 0, c.authorId(),
          c.authorName() == null ? "" : c.authorName(), "", c.content(), millis(c.createdAt())));
    } else if (data instanceof CommentEvents.Updated c) {
      return new Change.EditComment(c.commentId(), c.content());
    } else if (data instanceof CommentEvents.Deleted c) {
      return new Change.DeleteComment(c.commentId());
    }
    return null;
  }

  private static Change post(long id, long boardId, long authorId, String authorName, String title, String content,
                             String createdAt) {
    return new Change.PutPost(new Docs(false, id, id, boardId, authorId, authorName == null ? "" : authorName,
        title, content, millis(createdAt)));
  }

  private static long millis(String iso) {
    return iso == null ? System.currentTimeMillis() : Instant.parse(iso).toEpochMilli();
  }
}
