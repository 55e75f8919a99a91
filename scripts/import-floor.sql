-- The floor of an import into Fanbase's schema (scripts/bench-import.sh): SQLite's own shell writes
-- the rows of an already-parsed table (`plain.fans`, from `.import --csv`) into `customers`, their
-- tags into `tags` and `customer_tags`, and their search entries in one pass, the way
-- `fanbase import` does. It parses, checks and merges nothing, so no import into this schema can
-- take less. The bench runs it in one transaction, between dropping the secondary indexes and
-- creating them again from the SQL the migrations left in `sqlite_master` (as `import/bulk.rs`
-- does). Expects the database to hold store 1 and `plain` to be attached; prints nothing.
INSERT INTO contacts_fts_pending (from_id) VALUES (1);
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
