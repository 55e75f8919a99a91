-- Sync with the hosted platform (desktop:* contract v1). Append-only: add a new file to change this.
-- Secrets (deployment URL, token) are never stored here: they live in the OS keychain.

-- Where each pull feed stands. `scope` is the platform storeId for per-store feeds ('customers',
-- 'engagement') and '' for account-wide feeds ('users'). A row with feed 'customers' also marks
-- the store as a platform store (its offline-created contacts are pushed as creates).
CREATE TABLE sync_state (
    scope       TEXT    NOT NULL,
    feed        TEXT    NOT NULL CHECK (feed IN ('customers', 'engagement', 'users')),
    since       INTEGER,            -- inclusive watermark of the next fresh pull; NULL = from the start
    run_since   INTEGER,            -- the `since` the saved cursor is bound to (pull in progress)
    cursor      TEXT,               -- continueCursor after the last applied page; NULL = no pull in progress
    high_water  INTEGER,            -- largest updatedAt/at applied by the pull in progress
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (scope, feed)
) WITHOUT ROWID;

-- Outbox rows gain the sync bookkeeping. A row is `pending` until the platform answers for it;
-- `payload` freezes the exact Change JSON before the first send, so a retry after a crash sends
-- the same changeId with the same content. `conflict` and `rejected` rows wait for the user;
-- `theirs` holds the platform's Customer JSON returned with them.
ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'conflict', 'rejected'));
ALTER TABLE outbox ADD COLUMN payload TEXT;
ALTER TABLE outbox ADD COLUMN is_create INTEGER NOT NULL DEFAULT 0 CHECK (is_create IN (0, 1));
ALTER TABLE outbox ADD COLUMN remote_id TEXT;       -- platform _id, kept when the local contact is deleted
ALTER TABLE outbox ADD COLUMN theirs TEXT;
ALTER TABLE outbox ADD COLUMN message TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
CREATE INDEX outbox_by_customer ON outbox (customer_id);
CREATE INDEX outbox_by_state ON outbox (store_pk, state, id);
-- Frozen changes waiting for an answer: resent first, found without scanning unsent rows.
CREATE INDEX outbox_frozen ON outbox (store_pk, id) WHERE state = 'pending' AND payload IS NOT NULL;

-- Contacts never pushed (imported or created offline): each becomes a create on the next push.
CREATE INDEX customers_unpushed ON customers (store_pk, id) WHERE remote_id IS NULL;

-- A pending delete must still know which platform record it deletes after the contact is gone.
CREATE TRIGGER outbox_keeps_remote_id BEFORE DELETE ON customers
WHEN OLD.remote_id IS NOT NULL
BEGIN
    UPDATE outbox SET remote_id = OLD.remote_id WHERE customer_id = OLD.id AND remote_id IS NULL;
END;

-- One line per sync run, for the status bar: last synced, last error, what moved.
CREATE TABLE sync_runs (
    id             INTEGER PRIMARY KEY,
    store_id       TEXT    NOT NULL DEFAULT '',   -- '' = every store of the account
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    pulled         INTEGER NOT NULL DEFAULT 0,
    pushed         INTEGER NOT NULL DEFAULT 0,
    conflicts      INTEGER NOT NULL DEFAULT 0,
    rejected       INTEGER NOT NULL DEFAULT 0,
    error_code     TEXT    NOT NULL DEFAULT '',
    error_message  TEXT    NOT NULL DEFAULT ''
);
