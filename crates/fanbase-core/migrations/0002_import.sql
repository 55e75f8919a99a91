-- CSV imports (issue 3): one report per import, kept with the rows it rejected so that they can be
-- saved as a CSV, fixed and imported again. Written in the import's own transaction: an import that
-- is cancelled or killed leaves neither contacts nor a report behind.

CREATE TABLE import_reports (
    id                  INTEGER PRIMARY KEY,
    store_pk            INTEGER NOT NULL REFERENCES stores(pk) ON DELETE CASCADE,
    file_name           TEXT    NOT NULL,
    format              TEXT    NOT NULL,                 -- activecampaign, mailchimp, kit, ... csv
    encoding            TEXT    NOT NULL,                 -- utf-8, utf-8-bom, utf-16le, utf-16be, windows-1252
    delimiter           TEXT    NOT NULL,
    options             TEXT    NOT NULL DEFAULT '{}',    -- JSON: on_existing, tags, map
    headers             TEXT    NOT NULL DEFAULT '[]',    -- JSON array: the file's header row
    rows_read           INTEGER NOT NULL DEFAULT 0,
    inserted            INTEGER NOT NULL DEFAULT 0,
    updated             INTEGER NOT NULL DEFAULT 0,
    unchanged           INTEGER NOT NULL DEFAULT 0,
    duplicates_in_file  INTEGER NOT NULL DEFAULT 0,
    rejected            INTEGER NOT NULL DEFAULT 0,
    warnings            TEXT    NOT NULL DEFAULT '[]',    -- JSON array of strings
    started_at          INTEGER NOT NULL,
    elapsed_ms          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_reports_by_store ON import_reports (store_pk, id);

-- Every rejected row: where (line where the record starts, header = line 1), which column (NULL
-- when the row as a whole is at fault), why, and its cells as read (JSON array of strings).
CREATE TABLE import_rejected_rows (
    report_id    INTEGER NOT NULL REFERENCES import_reports(id) ON DELETE CASCADE,
    line         INTEGER NOT NULL,
    column_name  TEXT,
    reason       TEXT    NOT NULL,
    cells        TEXT    NOT NULL,
    PRIMARY KEY (report_id, line)
) WITHOUT ROWID;
