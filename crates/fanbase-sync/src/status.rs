//! What the status bar shows: last synced, pending changes, conflicts, rejected changes and the
//! last error, read from the outbox and the run log (`sync_runs`).

use fanbase_core::Db;
use serde::Serialize;

use crate::{Error, Result};

/// The last error of a sync run, as `{code, message}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastError {
    pub code: String,
    pub message: String,
    pub at: i64,
}

/// The sync's state for the status bar.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncStatus {
    /// When a sync last finished without error.
    pub last_synced_at: Option<i64>,
    /// When a sync last started.
    pub last_attempt_at: Option<i64>,
    /// Local changes not yet answered by the platform, creates of never-pushed contacts included.
    pub pending_changes: i64,
    pub conflicts: i64,
    pub rejected: i64,
    /// The error of the last run, if it failed.
    pub last_error: Option<LastError>,
}

/// Reads the status of every platform store.
pub async fn status(db: &Db) -> Result<SyncStatus> {
    let (pending, conflicts, rejected): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'conflict'), 0),
                COALESCE(SUM(state = 'rejected'), 0) FROM outbox",
    )
    .fetch_one(db.pool())
    .await?;
    // Per platform store through the partial index of never-pushed contacts (local-only stores,
    // such as a demo store of 1,000,000 fans, are never read).
    let creates: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM((SELECT COUNT(*) FROM customers c INDEXED BY customers_unpushed
                              WHERE c.store_pk = s.pk AND c.remote_id IS NULL
                                AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.customer_id = c.id))), 0)
         FROM sync_state st JOIN stores s ON s.id = st.scope WHERE st.feed = 'customers'",
    )
    .fetch_one(db.pool())
    .await?;
    let last_ok: Option<i64> =
        sqlx::query_scalar("SELECT MAX(finished_at) FROM sync_runs WHERE error_code = '' AND finished_at IS NOT NULL")
            .fetch_one(db.pool())
            .await?;
    let last: Option<(i64, Option<i64>, String, String)> = sqlx::query_as(
        "SELECT started_at, finished_at, error_code, error_message FROM sync_runs ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    Ok(SyncStatus {
        last_synced_at: last_ok,
        last_attempt_at: last.as_ref().map(|l| l.0),
        pending_changes: pending + creates,
        conflicts,
        rejected,
        last_error: last.filter(|l| !l.2.is_empty()).map(|(started, finished, code, message)| LastError {
            code,
            message,
            at: finished.unwrap_or(started),
        }),
    })
}

/// Starts a run in the log; returns its id.
pub(crate) async fn begin_run(db: &Db, store_id: Option<&str>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("INSERT INTO sync_runs (store_id, started_at) VALUES (?, ?) RETURNING id")
        .bind(store_id.unwrap_or(""))
        .bind(now)
        .fetch_one(db.pool())
        .await?)
}

/// Counts of a run, for the log.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RunCounts {
    pub pulled: u64,
    pub pushed: u64,
    pub conflicts: u64,
    pub rejected: u64,
}

/// Ends a run in the log with its counts and error (never containing the token: no error does).
pub(crate) async fn end_run(db: &Db, id: i64, counts: RunCounts, error: Option<&Error>, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE sync_runs SET finished_at = ?, pulled = ?, pushed = ?, conflicts = ?, rejected = ?, error_code = ?,
            error_message = ? WHERE id = ?",
    )
    .bind(now)
    .bind(counts.pulled as i64)
    .bind(counts.pushed as i64)
    .bind(counts.conflicts as i64)
    .bind(counts.rejected as i64)
    .bind(error.map(|e| e.code()).unwrap_or(""))
    .bind(error.map(|e| e.to_string()).unwrap_or_default())
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}
