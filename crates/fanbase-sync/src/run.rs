//! One full sync: whoami, then per store pull customers and engagement and push the outbox; admins
//! also pull users. Logged in `sync_runs` for the status bar. Cancel it with a [`Cancel`].

use fanbase_core::{stores, Db};
use serde::Serialize;

use crate::client::Client;
use crate::control::{Cancel, OnProgress};
use crate::pull::{pull, Target, MAX_PAGE};
use crate::push::{push, MAX_BATCH};
use crate::state::{self, Feed};
use crate::status::{begin_run, end_run, status, RunCounts};
use crate::wire::Whoami;
use crate::{Error, Result};

static RUNNING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How to run a sync.
#[derive(Clone, Debug)]
pub struct SyncOptions {
    /// Only this platform storeId; `None` = every store of the account.
    pub store: Option<String>,
    /// Items per pulled page (1..=1000).
    pub page_size: u32,
    /// Changes per push (1..=100).
    pub batch_size: usize,
    /// The clock, read at the edges of each step (tests pass their own).
    pub clock: fn() -> i64,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions { store: None, page_size: MAX_PAGE, batch_size: MAX_BATCH, clock: fanbase_core::now_ms }
    }
}

/// What one sync did. The CLI prints `{pulled, pushed, conflicts, rejected}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Customers inserted, updated or deleted locally.
    pub pulled: u64,
    /// Changes the platform applied (or had applied already).
    pub pushed: u64,
    /// New conflicts (push conflicts and contacts deleted on the platform while edited here).
    pub conflicts: u64,
    /// Changes the platform rejected.
    pub rejected: u64,
    /// Platform users written (admins).
    pub users: u64,
    /// New engagement events.
    pub events: u64,
    /// Storeids synced.
    pub stores: Vec<String>,
}

/// Makes the account's stores known locally (created with their platform name if missing) and
/// marks them as platform stores.
pub async fn remember_stores(db: &Db, who: &Whoami, now: i64) -> Result<()> {
    for s in &who.stores {
        stores::ensure(db, &s.store_id, &s.name, now).await?;
        let mut tx = db.pool().begin().await?;
        state::register_store_raw(&mut tx, &s.store_id, now).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Runs one full sync (pull, then push) and logs it. On error, what was applied stays applied and
/// every unanswered change stays in the outbox; the next sync resumes. A second call while one
/// runs in this process waits for it to finish.
pub async fn sync(
    db: &Db,
    client: &Client,
    options: &SyncOptions,
    progress: OnProgress<'_>,
    cancel: &Cancel,
) -> Result<SyncReport> {
    // One sync at a time in this process: a background run and "Sync now" never interleave.
    let _running = RUNNING.lock().await;
    let clock = options.clock;
    let run = begin_run(db, options.store.as_deref(), clock()).await?;
    let client = client.with_cancel(cancel);
    let mut report = SyncReport::default();
    let result = sync_steps(db, &client, options, progress, &mut report).await;
    let counts = RunCounts {
        pulled: report.pulled,
        pushed: report.pushed,
        conflicts: report.conflicts,
        rejected: report.rejected,
    };
    end_run(db, run, counts, result.as_ref().err(), clock()).await?;
    result.map(|()| report)
}

async fn sync_steps(
    db: &Db,
    client: &Client,
    options: &SyncOptions,
    progress: OnProgress<'_>,
    report: &mut SyncReport,
) -> Result<()> {
    let clock = options.clock;
    let who = client.whoami().await?;
    remember_stores(db, &who, clock()).await?;
    let mut created_here = None;
    let store_ids: Vec<String> = match &options.store {
        Some(id) => {
            let name = who.stores.iter().find(|s| &s.store_id == id).map_or(id.as_str(), |s| s.name.as_str());
            if stores::pk(db, id).await.is_err() {
                created_here = Some(id.clone());
            }
            stores::ensure(db, id, name, clock()).await?;
            vec![id.clone()]
        }
        None => who.stores.iter().map(|s| s.store_id.clone()).collect(),
    };
    for store_id in &store_ids {
        let store_pk = stores::pk(db, store_id).await?;
        let customers = Target { feed: Feed::Customers, store_id: Some(store_id), store_pk };
        let pulled = match pull(db, client, &customers, options.page_size, clock, progress).await {
            Err(e @ Error::Forbidden(_)) if created_here.as_ref() == Some(store_id) => {
                // Not this account's store: leave no empty local copy behind.
                sqlx::query("DELETE FROM stores WHERE pk = ?").bind(store_pk).execute(db.pool()).await?;
                return Err(e);
            }
            other => other?,
        };
        report.pulled += pulled.applied.changed();
        report.conflicts += pulled.applied.conflicts;
        let engagement = Target { feed: Feed::Engagement, store_id: Some(store_id), store_pk };
        report.events += pull(db, client, &engagement, options.page_size, clock, progress).await?.written;
        let total = status(db).await?.pending_changes.max(0) as u64;
        let pushed = push(db, client, store_id, store_pk, options.batch_size, Some(total), clock, progress).await?;
        report.pushed += pushed.pushed;
        report.conflicts += pushed.conflicts;
        report.rejected += pushed.rejected;
        report.stores.push(store_id.clone());
    }
    if who.admin {
        let users = Target { feed: Feed::Users, store_id: None, store_pk: 0 };
        report.users += pull(db, client, &users, options.page_size, clock, progress).await?.written;
    }
    Ok(())
}
