-- Replies below a root are read a page at a time (see persistence/CommentService), and a reply to a
-- comment at comments.maxDepth joins that comment's own level instead of going deeper: reply_to_id then
-- names the comment it answers (its parent_id is where it stands in the thread). Null for every other
-- comment, whose parent is the one it answers.
-- ix_comments_live counts the live replies of a root after a given reply from the index alone, for
-- the "n more replies" of a page.
ALTER TABLE comments
  ADD COLUMN reply_to_id BIGINT UNSIGNED NULL AFTER root_id,
  ADD INDEX ix_comments_live (root_id, deleted_at, id);
