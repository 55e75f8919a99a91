-- Fanbase local schema, v1. Append-only: never edit a shipped migration, add a new file.
-- Times are INTEGER milliseconds since the Unix epoch; money is INTEGER cents.
-- Text fields that may be missing are NOT NULL DEFAULT '' ('' = not set), so that every
-- sortable column has a total order and keyset pagination needs no NULL handling.

CREATE TABLE stores (
    pk          INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,          -- the platform storeId, or a local id
    name        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);

-- A fan (contact) of one store. Mirrors the platform's Customer plus local sync state.
CREATE TABLE customers (
    id                 INTEGER PRIMARY KEY,
    store_pk           INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    remote_id          TEXT UNIQUE,                -- platform _id; NULL until first push/pull
    admin_user_id      TEXT    NOT NULL DEFAULT '',
    email              TEXT    NOT NULL,           -- as entered, trimmed
    email_norm         TEXT    NOT NULL,           -- lower(trim(email)): identity within a store
    name               TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    first_name         TEXT    NOT NULL DEFAULT '',
    last_name          TEXT    NOT NULL DEFAULT '',
    type               TEXT    NOT NULL DEFAULT 'lead'
                       CHECK (type IN ('lead', 'paying', 'subscription')),
    source             TEXT    NOT NULL DEFAULT '',
    total_spent_cents  INTEGER NOT NULL DEFAULT 0,
    score              INTEGER NOT NULL DEFAULT 0,
    daw                TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    type_of_music      TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    student_level      TEXT    NOT NULL DEFAULT '' COLLATE NOCASE,
    phone              TEXT    NOT NULL DEFAULT '',
    opens_email        INTEGER NOT NULL DEFAULT 0 CHECK (opens_email IN (0, 1)),
    clicks_links       INTEGER NOT NULL DEFAULT 0 CHECK (clicks_links IN (0, 1)),
    last_open_date     INTEGER NOT NULL DEFAULT 0,  -- 0 = never opened
    status             TEXT    NOT NULL DEFAULT 'active'
                       CHECK (status IN ('active', 'unsubscribed', 'bounced', 'complained')),
    custom             TEXT    NOT NULL DEFAULT '{}',  -- JSON object of imported custom fields
    created_at         INTEGER NOT NULL,            -- platform _creationTime, or local creation
    updated_at         INTEGER NOT NULL,            -- last change, local or remote
    remote_updated_at  INTEGER,                     -- the server updatedAt last seen (baseUpdatedAt)
    UNIQUE (store_pk, email_norm)
);

-- Indexes for the contacts view: every sortable column with the id tie-break.
CREATE INDEX customers_by_name       ON customers (store_pk, name, id);
CREATE INDEX customers_by_score      ON customers (store_pk, score, id);
CREATE INDEX customers_by_last_open  ON customers (store_pk, last_open_date, id);
CREATE INDEX customers_by_created    ON customers (store_pk, created_at, id);
CREATE INDEX customers_by_type       ON customers (store_pk, type, id);
CREATE INDEX customers_by_status     ON customers (store_pk, status, id);
CREATE INDEX customers_by_daw        ON customers (store_pk, daw, id);
CREATE INDEX customers_by_genre      ON customers (store_pk, type_of_music, id);
CREATE INDEX customers_by_level      ON customers (store_pk, student_level, id);
CREATE INDEX customers_by_spent      ON customers (store_pk, total_spent_cents, id);

-- Tags live in their own tables so that the count per tag is one index range.
CREATE TABLE tags (
    id        INTEGER PRIMARY KEY,
    store_pk  INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    name      TEXT    NOT NULL,                     -- first spelling seen
    name_norm TEXT    NOT NULL,                     -- lower(trim(name))
    UNIQUE (store_pk, name_norm)
);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag_id      INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    PRIMARY KEY (customer_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX customer_tags_by_tag ON customer_tags (tag_id, customer_id);

-- Registered platform accounts (Clerk), pulled by admins.
CREATE TABLE users (
    id                         TEXT    PRIMARY KEY,  -- platform _id
    clerk_id                   TEXT    NOT NULL,
    email                      TEXT    NOT NULL,
    email_norm                 TEXT    NOT NULL,
    name                       TEXT    NOT NULL DEFAULT '',
    image_url                  TEXT    NOT NULL DEFAULT '',
    role                       TEXT    NOT NULL
                               CHECK (role IN ('AGENCY_OWNER', 'AGENCY_ADMIN', 'SUBACCOUNT_USER', 'SUBACCOUNT_GUEST')),
    admin                      INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1)),
    stripe_connect_account_id  TEXT    NOT NULL DEFAULT '',
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL,
    last_sign_in_at            INTEGER
);
CREATE INDEX users_by_email ON users (email_norm);

-- Local edits waiting to be pushed (desktop:pushCustomerChanges). change_id is the idempotency key.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    change_id        TEXT    NOT NULL UNIQUE,
    store_pk         INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    customer_id      INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    email            TEXT    NOT NULL,
    base_updated_at  INTEGER,
    set_fields       TEXT    NOT NULL DEFAULT '{}',  -- JSON object
    add_tags         TEXT    NOT NULL DEFAULT '[]',  -- JSON array
    remove_tags      TEXT    NOT NULL DEFAULT '[]',  -- JSON array
    is_delete        INTEGER NOT NULL DEFAULT 0,
    origin           TEXT    NOT NULL CHECK (origin IN ('ui', 'import', 'cli')),
    created_at       INTEGER NOT NULL
);
CREATE INDEX outbox_by_store ON outbox (store_pk, id);

-- Engagement events (open, click, ...), from the platform (remote_id set) or a CSV import.
CREATE TABLE engagement_events (
    id            INTEGER PRIMARY KEY,
    remote_id     TEXT UNIQUE,
    store_pk      INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    customer_id   INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    email_norm    TEXT    NOT NULL,
    campaign_id   TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL
                  CHECK (kind IN ('open', 'click', 'bounce', 'unsubscribe', 'complaint', 'purchase', 'enrollment')),
    at            INTEGER NOT NULL,
    url           TEXT    NOT NULL DEFAULT '',
    amount_cents  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX engagement_by_customer ON engagement_events (customer_id, at);
CREATE INDEX engagement_by_store ON engagement_events (store_pk, at);
