//! What an import sets aside while it loads, inside its transaction (so a cancel, a crash or a
//! dry run leaves the database as it was): the search entries of the contacts it creates, written
//! in one pass before the commit; in bulk, the secondary indexes of `customers` and
//! `customer_tags`, rebuilt by one sort each; in a dry run, the triggers that keep derived tables
//! current.

use sqlx::SqliteConnection;

use crate::Result;

/// An import of at least this many rows (estimated from the file size), into a table that holds
/// fewer contacts than that, takes the bulk path: sorting once is faster than many random index
/// insertions. Measured on 50,000 rows into an empty table: 1.4 s of CPU instead of 1.8 s.
const BULK_MIN_ROWS: u64 = 10_000;
/// A conservative estimate of the bytes in one exported row, for the estimate above.
const BYTES_PER_ROW_ESTIMATE: u64 = 100;
/// Page cache while the indexes are rebuilt (KiB); the sorter takes as much again.
const REBUILD_CACHE_KIB: i64 = 16 * 1024;
/// The triggers that keep derived tables current as contacts are created or changed: the search
/// index (migration 0003) and the users without a fan (0009). The import itself never reads those
/// tables, so a dry run, whose rows are rolled back, drops them instead of doing that work (on
/// 1,000,000 new rows, about a fifth of it).
const DERIVED_TRIGGERS: [&str; 4] =
    ["customers_fts_insert", "customers_fts_update", "users_only_fan_insert", "users_only_fan_move"];

/// Drops the [`DERIVED_TRIGGERS`] for a dry run, inside its transaction (its rollback puts them
/// back), before any contact is written.
pub async fn skip_derived_tables(conn: &mut SqliteConnection) -> Result<()> {
    for name in DERIVED_TRIGGERS {
        sqlx::query(&format!("DROP TRIGGER {name}")).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Makes the search-index triggers leave the contacts from `first_new_id` on (those the import
/// creates) to [`write_search_entries`] (migration 0010). Call it before any contact is written.
pub async fn defer_search_entries(conn: &mut SqliteConnection, first_new_id: i64) -> Result<()> {
    sqlx::query("INSERT INTO contacts_fts_pending (from_id) VALUES (?)").bind(first_new_id).execute(&mut *conn).await?;
    Ok(())
}

/// Writes the search entries of the contacts from `first_new_id` on, as they stand after every
/// row, in one pass, and gives the triggers back their work.
pub async fn write_search_entries(conn: &mut SqliteConnection, first_new_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO contacts_fts (rowid, email, name, store)
         SELECT id, email, name, '0s' || store_pk FROM customers WHERE id >= ?",
    )
    .bind(first_new_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM contacts_fts_pending").execute(&mut *conn).await?;
    Ok(())
}

/// Whether an import of a file of `total_bytes` is big enough, relative to the table, to load in
/// bulk.
pub async fn worth_it(conn: &mut SqliteConnection, total_bytes: u64) -> Result<bool> {
    let estimate = total_bytes / BYTES_PER_ROW_ESTIMATE;
    if estimate < BULK_MIN_ROWS {
        return Ok(false);
    }
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers").fetch_one(&mut *conn).await?;
    Ok(estimate >= existing as u64)
}

/// The indexes set aside, to put back.
pub struct SetAside {
    indexes: Vec<String>,
}

/// Drops the secondary indexes of the tables the import fills. Call it inside the import's
/// transaction, before any contact is written.
pub async fn set_aside(conn: &mut SqliteConnection) -> Result<SetAside> {
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'index' AND tbl_name IN ('customers', 'customer_tags') AND sql IS NOT NULL",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name, _) in &indexes {
        sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\""))).execute(&mut *conn).await?;
    }
    Ok(SetAside { indexes: indexes.into_iter().map(|(_, sql)| sql).collect() })
}

impl SetAside {
    /// Rebuilds the indexes exactly as the migrations made them. (A dry run skips this: its
    /// rollback puts everything back.)
    pub async fn put_back(self, conn: &mut SqliteConnection) -> Result<()> {
        sqlx::query(&format!("PRAGMA cache_size = -{REBUILD_CACHE_KIB}")).execute(&mut *conn).await?;
        // The SQL SQLite itself recorded for each index when the migrations created it.
        for sql in &self.indexes {
            sqlx::query(sql).execute(&mut *conn).await?;
        }
        Ok(())
    }
}
