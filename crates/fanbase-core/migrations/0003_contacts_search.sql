-- Contacts search (issue 4). Full-text indexes over email and name of fans and users and over tag
-- names, kept current by triggers so every writer (import, demo, sync, edits) keeps them right
-- without code of its own; plus the record that lets a tag deletion be undone.
--
-- The FTS5 tables are "external content": they index the columns of their table and store no copy.
-- Rows of customers and tags are keyed by their INTEGER PRIMARY KEY; users by their rowid (users has
-- a TEXT primary key, so a VACUUM may renumber its rowids: run
-- `INSERT INTO users_fts(users_fts) VALUES ('rebuild')` after a VACUUM).
-- A contact's tags are searched through tags_fts and customer_tags at query time, so adding or
-- removing a tag on 100,000 contacts rewrites no full-text entry.

-- The store is indexed as a token ('0s' || store_pk) in its own column, so that a search is scoped
-- to one store inside the index: counting a store's matches never reads the customers table. The
-- token starts with a digit so that the prefix indexes of letters stay free of it.
CREATE VIEW contacts_fts_source AS SELECT id, email, name, '0s' || store_pk AS store FROM customers;

CREATE VIRTUAL TABLE contacts_fts USING fts5(
    email, name, store,
    content = 'contacts_fts_source', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild');

CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO contacts_fts (rowid, email, name, store) VALUES (NEW.id, NEW.email, NEW.name, '0s' || NEW.store_pk);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, email, name, store)
    VALUES ('delete', OLD.id, OLD.email, OLD.name, '0s' || OLD.store_pk);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF id, email, name, store_pk ON customers
WHEN OLD.id IS NOT NEW.id OR OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name
  OR OLD.store_pk IS NOT NEW.store_pk BEGIN
    INSERT INTO contacts_fts (contacts_fts, rowid, email, name, store)
    VALUES ('delete', OLD.id, OLD.email, OLD.name, '0s' || OLD.store_pk);
    INSERT INTO contacts_fts (rowid, email, name, store) VALUES (NEW.id, NEW.email, NEW.name, '0s' || NEW.store_pk);
END;

-- A search sorted by email or name (the default view) reads, for each match, only its email and
-- name: this narrow index keyed by id holds them, so those reads stay in a few cached pages
-- instead of one table page per match.
CREATE INDEX customers_text_by_id ON customers (id, store_pk, email_norm, name);

CREATE VIRTUAL TABLE users_fts USING fts5(
    email, name,
    content = 'users', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
INSERT INTO users_fts (users_fts) VALUES ('rebuild');

CREATE TRIGGER users_fts_insert AFTER INSERT ON users BEGIN
    INSERT INTO users_fts (rowid, email, name) VALUES (NEW.rowid, NEW.email, NEW.name);
END;
CREATE TRIGGER users_fts_delete AFTER DELETE ON users BEGIN
    INSERT INTO users_fts (users_fts, rowid, email, name) VALUES ('delete', OLD.rowid, OLD.email, OLD.name);
END;
CREATE TRIGGER users_fts_update AFTER UPDATE OF email, name ON users
WHEN OLD.email IS NOT NEW.email OR OLD.name IS NOT NEW.name BEGIN
    INSERT INTO users_fts (users_fts, rowid, email, name) VALUES ('delete', OLD.rowid, OLD.email, OLD.name);
    INSERT INTO users_fts (rowid, email, name) VALUES (NEW.rowid, NEW.email, NEW.name);
END;

CREATE VIRTUAL TABLE tags_fts USING fts5(
    name,
    content = 'tags', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO tags_fts (tags_fts) VALUES ('rebuild');

CREATE TRIGGER tags_fts_insert AFTER INSERT ON tags BEGIN
    INSERT INTO tags_fts (rowid, name) VALUES (NEW.id, NEW.name);
END;
CREATE TRIGGER tags_fts_delete AFTER DELETE ON tags BEGIN
    INSERT INTO tags_fts (tags_fts, rowid, name) VALUES ('delete', OLD.id, OLD.name);
END;
CREATE TRIGGER tags_fts_update AFTER UPDATE OF id, name ON tags
WHEN OLD.id IS NOT NEW.id OR OLD.name IS NOT NEW.name BEGIN
    INSERT INTO tags_fts (tags_fts, rowid, name) VALUES ('delete', OLD.id, OLD.name);
    INSERT INTO tags_fts (rowid, name) VALUES (NEW.id, NEW.name);
END;

-- A deleted tag and exactly the contacts that had it, so that undo restores it on the same ones.
CREATE TABLE tag_deletions (
    id          INTEGER PRIMARY KEY,
    store_pk    INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    deleted_at  INTEGER NOT NULL
);
CREATE INDEX tag_deletions_by_store ON tag_deletions (store_pk, id);

CREATE TABLE tag_deletion_members (
    deletion_id INTEGER NOT NULL REFERENCES tag_deletions(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    PRIMARY KEY (deletion_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX tag_deletion_members_by_customer ON tag_deletion_members (customer_id);
