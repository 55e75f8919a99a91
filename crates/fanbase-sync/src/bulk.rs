//! A long run of page-sized transactions on one connection (a pull, a push): the WAL is
//! checkpointed every ~64 MB instead of every 4 MB, so each page's scattered index pages are not
//! copied back into the database file after nearly every commit. The setting is restored after.

use sqlx::SqliteConnection;

use crate::Result;

/// WAL pages between automatic checkpoints during a run (64 MB of 4 KB pages).
const RUN_AUTOCHECKPOINT: i64 = 16_384;

/// Raises the connection's auto-checkpoint interval; returns the previous one for [`end`].
pub async fn begin(conn: &mut SqliteConnection) -> Result<i64> {
    let previous: i64 = sqlx::query_scalar("PRAGMA wal_autocheckpoint").fetch_one(&mut *conn).await?;
    sqlx::query(&format!("PRAGMA wal_autocheckpoint = {RUN_AUTOCHECKPOINT}")).execute(&mut *conn).await?;
    Ok(previous)
}

/// Restores the interval `begin` returned (a number SQLite gave, never outside input).
pub async fn end(conn: &mut SqliteConnection, previous: i64) -> Result<()> {
    sqlx::query(&format!("PRAGMA wal_autocheckpoint = {previous}")).execute(&mut *conn).await?;
    Ok(())
}
