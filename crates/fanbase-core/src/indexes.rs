//! Secondary indexes of `customers` set aside while a bulk load writes many pages, and put back
//! after: one `CREATE INDEX` over the loaded rows instead of rewriting scattered index pages at
//! every page's commit. Crash-safe: what was set aside is recorded in `set_aside_indexes` in the
//! same transaction, and opening the database puts back anything still recorded.

use sqlx::{Connection, SqliteConnection};

use crate::Result;

/// Below this many contacts in the whole table (every store), rebuilding the indexes after a
/// load costs less than keeping them current page by page (a rebuild reads the whole table).
pub const SMALL_TABLE: i64 = 50_000;

/// Whether `customers` is small enough for [`set_aside`] to pay off.
pub async fn table_is_small(conn: &mut SqliteConnection) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM (SELECT 1 FROM customers LIMIT ?)")
        .bind(SMALL_TABLE)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n < SMALL_TABLE)
}

/// Indexes that stay: cheap to keep (rows arrive in their order, or never enter them when pulled)
/// and named by queries (`INDEXED BY`) that must keep working during the load.
const KEPT: [&str; 2] = ["customers_text_by_id", "customers_unpushed"];

/// Whether some indexes are set aside right now (queries then name none of them).
pub async fn any_set_aside(conn: &mut SqliteConnection) -> Result<bool> {
    Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM set_aside_indexes)").fetch_one(&mut *conn).await?)
}

/// Drops the sort and filter indexes of `customers` (never a UNIQUE one: they enforce identity
/// and serve the upsert's lookups; nor the [`KEPT`] ones) and records them; returns how many were
/// set aside.
pub async fn set_aside(conn: &mut SqliteConnection) -> Result<usize> {
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master
         WHERE type = 'index' AND tbl_name = 'customers' AND sql IS NOT NULL
           AND sql NOT LIKE 'CREATE UNIQUE%' AND name NOT IN (SELECT name FROM set_aside_indexes)
           AND name NOT IN (?, ?)",
    )
    .bind(KEPT[0])
    .bind(KEPT[1])
    .fetch_all(&mut *tx)
    .await?;
    for (name, sql) in &indexes {
        sqlx::query("INSERT INTO set_aside_indexes (name, sql) VALUES (?, ?)")
            .bind(name)
            .bind(sql)
            .execute(&mut *tx)
            .await?;
        // The name comes from sqlite_master (the migrations), quoted all the same.
        sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\""))).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(indexes.len())
}

/// Rebuilds every index recorded by [`set_aside`] that is missing, and clears the record.
/// Returns how many were rebuilt (0, quickly, when nothing was set aside).
pub async fn restore(conn: &mut SqliteConnection) -> Result<usize> {
    let recorded: i64 = sqlx::query_scalar("SELECT count(*) FROM set_aside_indexes").fetch_one(&mut *conn).await?;
    if recorded == 0 {
        return Ok(0);
    }
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT a.name, a.sql FROM set_aside_indexes a
         WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = a.name)",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (_, sql) in &indexes {
        // The SQL SQLite itself recorded for the index when the migrations created it.
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    sqlx::query("DELETE FROM set_aside_indexes").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(indexes.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{demo, Db};

    async fn index_names(db: &Db) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name",
        )
        .fetch_all(db.pool())
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn indexes_set_aside_come_back_with_the_same_definition_and_the_rows_they_missed() {
        let db = Db::open_in_memory().await.unwrap();
        demo::fill(&db, "s", 200, 3, 1_700_000_000_000).await.unwrap();
        let before = index_names(&db).await;
        // One connection at a time: the in-memory database has only one.
        let conn = || async { db.pool().acquire().await.unwrap() };
        assert!(table_is_small(&mut *conn().await).await.unwrap());
        let set = set_aside(&mut *conn().await).await.unwrap();
        assert!(set >= 9, "the sort indexes were set aside: {set}");
        let during = index_names(&db).await;
        assert!(
            during.iter().all(|i| i.starts_with("sqlite_autoindex") || KEPT.contains(&i.as_str())),
            "only the unique and the kept ones stay: {during:?}"
        );
        assert!(any_set_aside(&mut *conn().await).await.unwrap());
        // The contacts view keeps working meanwhile, filters included (they name no missing index).
        let filter = crate::contacts::ContactFilter { kind: vec!["paying".into()], ..Default::default() };
        let n = crate::contacts::count_matching(&db, "s", &filter).await.unwrap();
        let req = crate::contacts::PageRequest { limit: 1000, ..Default::default() };
        let page = crate::contacts::page_matching(&db, "s", &filter, &req).await.unwrap();
        assert_eq!(page.rows.len() as i64, n);
        let search = crate::contacts::ContactFilter {
            status: vec!["active".into()],
            ..crate::contacts::ContactFilter::search("ma")
        };
        crate::contacts::page_matching(&db, "s", &search, &req).await.unwrap();
        demo::fill(&db, "s", 300, 3, 1_700_000_000_000).await.unwrap();
        assert_eq!(restore(&mut *conn().await).await.unwrap(), set);
        assert!(!any_set_aside(&mut *conn().await).await.unwrap());
        assert_eq!(index_names(&db).await, before, "every index is back");
        let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(db.pool()).await.unwrap();
        assert_eq!(check, "ok", "the rebuilt indexes hold the rows written while they were away");
        assert_eq!(restore(&mut *conn().await).await.unwrap(), 0, "nothing left to restore");
    }

    #[tokio::test]
    async fn opening_the_database_puts_back_what_a_crash_left_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.db");
        let db = Db::open(&path).await.unwrap();
        let before = index_names(&db).await;
        let mut conn = db.pool().acquire().await.unwrap();
        set_aside(&mut conn).await.unwrap();
        drop(conn);
        db.close().await; // the load never got to restore
        let db = Db::open(&path).await.unwrap();
        assert_eq!(index_names(&db).await, before, "the open rebuilt them");
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM set_aside_indexes").fetch_one(db.pool()).await.unwrap();
        assert_eq!(left, 0);
    }
}
