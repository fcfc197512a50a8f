-- A new forum starts with one board, so the first users can post before an admin has set up more
-- (Discourse and NodeBB ship default categories the same way). Admins may rename or delete it.
INSERT INTO boards (name, description, created_at, updated_at)
VALUES ('General', 'Anything that fits nowhere else', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
