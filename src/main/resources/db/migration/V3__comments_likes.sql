-- A comment's rendered HTML can be several times longer than its text (10,000 characters of
-- autolinks or escaped markup render to well over the 64 KiB a TEXT holds), so it gets the same
-- MEDIUMTEXT as a post's.
ALTER TABLE comments MODIFY content_html MEDIUMTEXT NOT NULL;

-- post.updated and comment.updated events carry the new text and HTML, which can pass 64 KiB.
ALTER TABLE outbox MODIFY payload MEDIUMTEXT NOT NULL;
