//! The push loop of one store: batch after batch of ≤ 100 frozen changes to
//! `desktop:pushCustomerChanges`. A row leaves the outbox only in the transaction that records the
//! platform's answer for it: applied/duplicate clear it (and take in the returned record),
//! conflict and rejected park it for the user. A failed call leaves every row as it was.

use std::collections::HashSet;

use fanbase_core::text::normalize_email;
use fanbase_core::Db;
use sqlx::{Connection, SqliteConnection};

use crate::apply::{apply_customers_raw, Tx};
use crate::bulk;
use crate::client::Client;
use crate::control::{OnProgress, Phase, Progress};
use crate::outbox::{prepare_batch_raw, Prepared};
use crate::wire::{ChangeResult, ChangeStatus, Customer};
use crate::{Error, Result};

/// The contract's largest batch.
pub const MAX_BATCH: usize = 100;

/// What a push did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pushed {
    pub batches: u64,
    /// Answered applied or duplicate.
    pub pushed: u64,
    pub conflicts: u64,
    pub rejected: u64,
}

/// Pushes every pending change of `store_id` (local key `store_pk`).
#[allow(clippy::too_many_arguments)]
pub async fn push(
    db: &Db,
    client: &Client,
    store_id: &str,
    store_pk: i64,
    batch_size: usize,
    total: Option<u64>,
    clock: fn() -> i64,
    progress: OnProgress<'_>,
) -> Result<Pushed> {
    // One connection for the whole push: its page cache stays warm from batch to batch.
    let mut conn = db.pool().acquire().await?;
    let previous = bulk::begin(&mut conn).await?;
    let result = push_on(&mut conn, client, store_id, store_pk, batch_size, total, clock, progress).await;
    bulk::end(&mut conn, previous).await?;
    result
}

#[allow(clippy::too_many_arguments)]
async fn push_on(
    conn: &mut SqliteConnection,
    client: &Client,
    store_id: &str,
    store_pk: i64,
    batch_size: usize,
    total: Option<u64>,
    clock: fn() -> i64,
    progress: OnProgress<'_>,
) -> Result<Pushed> {
    let batch_size = batch_size.clamp(1, MAX_BATCH);
    let mut created: HashSet<i64> = HashSet::new();
    let mut out = Pushed::default();
    loop {
        if client.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let mut tx = conn.begin().await?;
        let batch = prepare_batch_raw(&mut tx, store_pk, batch_size, &created, clock()).await?;
        tx.commit().await?;
        if batch.changes.is_empty() {
            if batch.settled > 0 {
                continue;
            }
            return Ok(out);
        }
        created.extend(batch.changes.iter().filter(|p| p.is_create).filter_map(|p| p.customer_id));
        let changes: Vec<_> = batch.changes.iter().map(|p| p.change.clone()).collect();
        let results = client.push_customer_changes(store_id, &changes).await?;
        let mut tx = conn.begin().await?;
        let answered = record_answers_raw(&mut tx, store_pk, &batch.changes, &results, clock()).await?;
        tx.commit().await?;
        out.batches += 1;
        out.pushed += answered.pushed;
        out.conflicts += answered.conflicts;
        out.rejected += answered.rejected;
        progress(&Progress {
            store: Some(store_id.to_string()),
            phase: Phase::Push,
            done: out.pushed + out.conflicts + out.rejected,
            total,
        });
    }
}

/// Records the platform's answers for a sent batch, in one transaction.
pub async fn record_answers_raw(
    tx: &mut Tx<'_>,
    store_pk: i64,
    sent: &[Prepared],
    results: &[ChangeResult],
    now: i64,
) -> Result<Pushed> {
    let matches =
        results.len() == sent.len() && sent.iter().zip(results).all(|(p, r)| p.change.change_id == r.change_id);
    if !matches {
        return Err(Error::Malformed {
            function: "desktop:pushCustomerChanges".into(),
            status: 200,
            message: format!("{} results for {} changes, or out of order", results.len(), sent.len()),
        });
    }
    let mut out = Pushed::default();
    let mut take_in: Vec<Customer> = Vec::new();
    for (p, r) in sent.iter().zip(results) {
        let theirs = r.customer.as_ref().map(|c| serde_json::to_string(c).unwrap_or_default());
        match r.status {
            ChangeStatus::Applied | ChangeStatus::Duplicate => {
                sqlx::query("DELETE FROM outbox WHERE id = ?").bind(p.outbox_id).execute(&mut **tx).await?;
                out.pushed += 1;
                if p.change.delete {
                    if let Some(cid) = p.customer_id {
                        sqlx::query("DELETE FROM customers WHERE id = ?").bind(cid).execute(&mut **tx).await?;
                    }
                    continue;
                }
                if let Some(c) = &r.customer {
                    if p.is_create {
                        // A delete recorded while this create was in flight now knows what to delete.
                        sqlx::query(
                            "UPDATE outbox SET remote_id = ? WHERE +store_pk = ? AND customer_id IS NULL
                               AND remote_id IS NULL AND is_delete = 1 AND lower(trim(email)) = ?",
                        )
                        .bind(&c.id)
                        .bind(store_pk)
                        .bind(normalize_email(&p.change.email))
                        .execute(&mut **tx)
                        .await?;
                    }
                    if p.customer_id.is_some() {
                        take_in.push(c.clone());
                    }
                }
            }
            ChangeStatus::Conflict => {
                sqlx::query("UPDATE outbox SET state = 'conflict', theirs = ?, message = ? WHERE id = ?")
                    .bind(theirs)
                    .bind(r.message.clone().unwrap_or_else(|| "changed on the platform since your edit".into()))
                    .bind(p.outbox_id)
                    .execute(&mut **tx)
                    .await?;
                out.conflicts += 1;
            }
            ChangeStatus::Rejected => {
                sqlx::query("UPDATE outbox SET state = 'rejected', theirs = ?, message = ? WHERE id = ?")
                    .bind(theirs)
                    .bind(r.message.clone().unwrap_or_else(|| "the platform rejected this change".into()))
                    .bind(p.outbox_id)
                    .execute(&mut **tx)
                    .await?;
                out.rejected += 1;
            }
        }
    }
    // Take in the platform's version of what was applied (local edits still waiting keep their fields).
    // Several results may name one customer: the newest version wins.
    take_in.sort_by_key(|c| c.updated_at);
    apply_customers_raw(tx, store_pk, &take_in, false, now).await?;
    Ok(out)
}
