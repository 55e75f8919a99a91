-- The floor of an import into Fanbase's schema (scripts/bench-import.sh): SQLite's own shell writes
-- the rows of an already-parsed table (`plain.fans`, from `.import --csv`) into `customers`, their
-- tags into `tags` and `customer_tags`, the search entries and the secondary indexes, in one
-- transaction, the way `fanbase import` does (indexes set aside and rebuilt, search entries in one
-- pass). It parses, checks and merges nothing, so no import into this schema can take less.
-- Expects the database to hold store 1 and `plain` to be attached; prints nothing. The bench checks
-- that the indexes it rebuilds are exactly the migrations'.
PRAGMA cache_size = -40960;
PRAGMA temp_store = FILE;
BEGIN IMMEDIATE;
INSERT INTO contacts_fts_pending (from_id) VALUES (1);
-- (DROP INDEX takes no parameter: the names come from the migrations.)
DROP INDEX customers_by_name; DROP INDEX customers_by_score; DROP INDEX customers_by_created;
DROP INDEX customers_by_type; DROP INDEX customers_by_status; DROP INDEX customers_by_daw;
DROP INDEX customers_by_genre; DROP INDEX customers_by_level; DROP INDEX customers_by_spent;
DROP INDEX customers_text_by_id; DROP INDEX customers_unpushed;
DROP INDEX customers_by_last_open_for_segments; DROP INDEX customer_tags_by_tag;
INSERT OR IGNORE INTO customers (
    id, store_pk, email, email_norm, name, first_name, last_name, phone, daw, type_of_music,
    student_level, score, opens_email, clicks_links, total_spent_cents, source, custom,
    created_at, updated_at)
SELECT rowid, 1, "Email", lower("Email"), trim("First Name" || ' ' || "Last Name"), "First Name",
    "Last Name", "Phone", "DAW", "Type of Music", "Student Level", CAST("Score" AS INTEGER),
    "Opens Email" = '1', "Clicks Links" = '1', CAST("Total Spent" * 100 AS INTEGER),
    'activecampaign_import', '{}', 1700000000000, 1700000000000
FROM plain.fans;
CREATE TEMP TABLE links AS
    SELECT f.rowid AS customer_id, trim(t.value) AS tag
    FROM plain.fans f, json_each('["' || replace(f."Tags", ',', '","') || '"]') t
    WHERE f."Tags" <> '' AND f.rowid IN (SELECT id FROM customers);
INSERT OR IGNORE INTO tags (store_pk, name, name_norm) SELECT DISTINCT 1, tag, lower(tag) FROM links;
INSERT OR IGNORE INTO customer_tags (customer_id, tag_id)
    SELECT l.customer_id, g.id FROM links l JOIN tags g ON g.store_pk = 1 AND g.name_norm = lower(l.tag);
INSERT INTO contacts_fts (rowid, email, name, store) SELECT id, email, name, '0s' || store_pk FROM customers;
DELETE FROM contacts_fts_pending;
CREATE INDEX customers_by_name       ON customers (store_pk, name, id);
CREATE INDEX customers_by_score      ON customers (store_pk, score, id);
CREATE INDEX customers_by_created    ON customers (store_pk, created_at, id);
CREATE INDEX customers_by_type       ON customers (store_pk, type, id);
CREATE INDEX customers_by_status     ON customers (store_pk, status, id);
CREATE INDEX customers_by_daw        ON customers (store_pk, daw, id);
CREATE INDEX customers_by_genre      ON customers (store_pk, type_of_music, id);
CREATE INDEX customers_by_level      ON customers (store_pk, student_level, id);
CREATE INDEX customers_by_spent      ON customers (store_pk, total_spent_cents, id);
CREATE INDEX customers_text_by_id ON customers (id, store_pk, email_norm, name);
CREATE INDEX customers_unpushed ON customers (store_pk, id) WHERE remote_id IS NULL;
CREATE INDEX customers_by_last_open_for_segments ON customers (
    store_pk, last_open_date, id, daw, student_level, type_of_music, status, type,
    total_spent_cents, opens_email, clicks_links, created_at
);
CREATE INDEX customer_tags_by_tag ON customer_tags (tag_id, customer_id);
COMMIT;
