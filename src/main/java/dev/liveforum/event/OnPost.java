package dev.liveforum.event;

/** An event about one post, or about something on it: after it the post reads differently. */
public interface OnPost {
  long postId();
}
