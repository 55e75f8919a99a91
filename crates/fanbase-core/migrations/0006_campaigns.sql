-- Campaigns (issue 8): drafts, SMTP settings (never the password: that lives in the OS keychain)
-- and the per-campaign outbox of recipients, frozen when sending starts.

-- A campaign of one store, unique by name. `definition` is the campaign JSON (the CLI's campaign
-- file); `sent_definition` is the JSON frozen when sending started ('' = never started), so a
-- resumed send can refuse content that changed under it.
CREATE TABLE campaigns (
    id               INTEGER PRIMARY KEY,
    store_pk         INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    definition       TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'draft'
                     CHECK (state IN ('draft', 'sending', 'paused', 'cancelled', 'done')),
    sent_definition  TEXT    NOT NULL DEFAULT '',
    lease_owner      TEXT    NOT NULL DEFAULT '',  -- the sender run that holds the campaign
    lease_until      INTEGER NOT NULL DEFAULT 0,   -- ms; another run may take over after this
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    started_at       INTEGER NOT NULL DEFAULT 0,
    finished_at      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (store_pk, name)
);

-- One row per recipient of a started campaign. A row is claimed `queued` → `sending` in its own
-- committed statement before the SMTP transaction, then becomes `sent` (message_id, smtp_reply),
-- `failed` (smtp_reply), `queued` again with a later next_attempt_at (4xx), or `skipped` (the fan
-- was unsubscribed, bounced, complained or deleted by the time its turn came).
CREATE TABLE campaign_recipients (
    id               INTEGER PRIMARY KEY,
    campaign_id      INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    customer_id      INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    email            TEXT    NOT NULL,
    email_norm       TEXT    NOT NULL,
    unsubscribe_url  TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
    message_id       TEXT    NOT NULL DEFAULT '',
    smtp_reply       TEXT    NOT NULL DEFAULT '',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    updated_at       INTEGER NOT NULL,
    UNIQUE (campaign_id, email_norm)
);
CREATE INDEX campaign_recipients_due ON campaign_recipients (campaign_id, state, next_attempt_at, id);

-- The one SMTP account of this installation. The password is in the OS keychain (or
-- FANBASE_SMTP_PASSWORD), never here.
CREATE TABLE smtp_settings (
    id                        INTEGER PRIMARY KEY CHECK (id = 1),
    host                      TEXT    NOT NULL,
    port                      INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    tls                       TEXT    NOT NULL CHECK (tls IN ('implicit', 'starttls', 'none')),
    username                  TEXT    NOT NULL DEFAULT '',
    ca_pem                    TEXT    NOT NULL DEFAULT '',  -- an extra trusted root (test servers)
    unsubscribe_url_template  TEXT    NOT NULL DEFAULT '',  -- e.g. https://example.com/u?e={email}
    unsubscribe_mailto        TEXT    NOT NULL DEFAULT '',  -- e.g. unsubscribe@example.com
    updated_at                INTEGER NOT NULL
);
