-- The unified view (fans + users without a fan record) sorted by name or by creation: the users'
-- half walks these in order and stops after a page, instead of sorting every user each time.
CREATE INDEX users_by_name ON users (name COLLATE NOCASE);
CREATE INDEX users_by_created ON users (created_at);
