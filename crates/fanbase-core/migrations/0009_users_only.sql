-- The emails of registered users who have no fan record in a store, per store: the users' half of
-- the unified view. Triggers keep it exact as fans and users come, go or change email, so that
-- listing and counting those users never probes the store's fans once per user.
-- Every distinct user email is either here for a store or belongs to exactly one fan of it.
CREATE TABLE users_only (
    store_pk   INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    email_norm TEXT    NOT NULL,
    PRIMARY KEY (store_pk, email_norm)
) WITHOUT ROWID;
CREATE INDEX users_only_by_email ON users_only (email_norm);

INSERT INTO users_only (store_pk, email_norm)
SELECT s.pk, u.email_norm FROM stores s CROSS JOIN (SELECT DISTINCT email_norm FROM users) AS u
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.store_pk = s.pk AND c.email_norm = u.email_norm);

CREATE TRIGGER users_only_new_store AFTER INSERT ON stores BEGIN
    INSERT OR IGNORE INTO users_only (store_pk, email_norm) SELECT NEW.pk, email_norm FROM users;
END;

CREATE TRIGGER users_only_user_insert AFTER INSERT ON users BEGIN
    INSERT OR IGNORE INTO users_only (store_pk, email_norm)
    SELECT s.pk, NEW.email_norm FROM stores s
    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.store_pk = s.pk AND c.email_norm = NEW.email_norm);
END;
CREATE TRIGGER users_only_user_delete AFTER DELETE ON users
WHEN NOT EXISTS (SELECT 1 FROM users WHERE email_norm = OLD.email_norm) BEGIN
    DELETE FROM users_only WHERE email_norm = OLD.email_norm;
END;
CREATE TRIGGER users_only_user_email AFTER UPDATE OF email_norm ON users
WHEN OLD.email_norm IS NOT NEW.email_norm BEGIN
    DELETE FROM users_only WHERE email_norm = OLD.email_norm
        AND NOT EXISTS (SELECT 1 FROM users WHERE email_norm = OLD.email_norm);
    INSERT OR IGNORE INTO users_only (store_pk, email_norm)
    SELECT s.pk, NEW.email_norm FROM stores s
    WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.store_pk = s.pk AND c.email_norm = NEW.email_norm);
END;

-- Fans: only those whose email is a user's change anything (one probe of users_by_email per fan).
CREATE TRIGGER users_only_fan_insert AFTER INSERT ON customers
WHEN EXISTS (SELECT 1 FROM users WHERE email_norm = NEW.email_norm) BEGIN
    DELETE FROM users_only WHERE store_pk = NEW.store_pk AND email_norm = NEW.email_norm;
END;
-- A store being deleted takes its rows with it (the store is gone when its fans' triggers run).
CREATE TRIGGER users_only_fan_delete AFTER DELETE ON customers
WHEN EXISTS (SELECT 1 FROM users WHERE email_norm = OLD.email_norm)
    AND EXISTS (SELECT 1 FROM stores WHERE pk = OLD.store_pk) BEGIN
    INSERT OR IGNORE INTO users_only (store_pk, email_norm) VALUES (OLD.store_pk, OLD.email_norm);
END;
CREATE TRIGGER users_only_fan_move AFTER UPDATE OF store_pk, email_norm ON customers
WHEN OLD.store_pk IS NOT NEW.store_pk OR OLD.email_norm IS NOT NEW.email_norm BEGIN
    INSERT OR IGNORE INTO users_only (store_pk, email_norm)
    SELECT OLD.store_pk, OLD.email_norm WHERE EXISTS (SELECT 1 FROM users WHERE email_norm = OLD.email_norm)
        AND EXISTS (SELECT 1 FROM stores WHERE pk = OLD.store_pk);
    DELETE FROM users_only WHERE store_pk = NEW.store_pk AND email_norm = NEW.email_norm;
END;
