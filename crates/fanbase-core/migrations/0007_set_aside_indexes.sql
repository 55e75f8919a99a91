-- Secondary indexes set aside during a bulk load (a first sync), with the SQL that puts each back.
-- Written in the same transaction as the DROP INDEX, so a crash in the middle of the load leaves a
-- record here and the next open of the database rebuilds what is missing (`indexes::restore`).
CREATE TABLE set_aside_indexes (
    name  TEXT PRIMARY KEY,
    sql   TEXT NOT NULL
);
