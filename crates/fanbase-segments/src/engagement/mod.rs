//! Engagement events (open, click, bounce, unsubscribe, complaint, purchase, enrollment): storing
//! them, applying each once to its contact's fields, and re-scoring the contacts they touched.
//! The sync client stores platform events itself and then calls [`apply_pending`].

mod csv_file;
pub mod effect;

use std::collections::BTreeMap;

use fanbase_core::text::normalize_email;
use fanbase_core::{contacts, stores, Db};
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;

pub use csv_file::{import_csv, parse_csv, Imported};
use effect::{ContactState, Happening};

use crate::{scoring, Result};

/// The kind of an engagement event, as the platform names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Open,
    Click,
    Bounce,
    Unsubscribe,
    Complaint,
    Purchase,
    Enrollment,
}

pub const KINDS: &[EventKind] = &[
    EventKind::Open,
    EventKind::Click,
    EventKind::Bounce,
    EventKind::Unsubscribe,
    EventKind::Complaint,
    EventKind::Purchase,
    EventKind::Enrollment,
];

impl EventKind {
    pub fn name(self) -> &'static str {
        match self {
            EventKind::Open => "open",
            EventKind::Click => "click",
            EventKind::Bounce => "bounce",
            EventKind::Unsubscribe => "unsubscribe",
            EventKind::Complaint => "complaint",
            EventKind::Purchase => "purchase",
            EventKind::Enrollment => "enrollment",
        }
    }

    /// Parses a kind name exactly (`open`, `click`, ...).
    pub fn parse(name: &str) -> Option<EventKind> {
        KINDS.iter().copied().find(|k| k.name() == name)
    }
}

/// Where an event came from: the platform sync, or a CSV import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Sync,
    Import,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::Sync => "sync",
            Origin::Import => "import",
        }
    }

    fn parse(name: &str) -> Origin {
        if name == "import" {
            Origin::Import
        } else {
            Origin::Sync
        }
    }
}

/// An event to store. `key` makes storing idempotent: an event whose key is already stored is skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub key: String,
    pub email: String,
    pub kind: EventKind,
    pub at: i64,
    pub amount_cents: i64,
    pub url: String,
    pub campaign_id: String,
}

/// What [`apply_pending`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Applied {
    /// Events applied to their contact now.
    pub events: u64,
    /// Contacts whose fields or score were recomputed.
    pub contacts: u64,
    /// Events still waiting because no contact of the store has their email (applied once one does).
    pub unmatched: u64,
}

/// Stores events in the caller's transaction, skipping those whose key is stored already.
/// Returns how many were new. Nothing is applied until [`apply_pending_raw`].
pub async fn store_raw(conn: &mut SqliteConnection, store_pk: i64, events: &[NewEvent], origin: Origin) -> Result<u64> {
    let mut inserted = 0;
    for e in events {
        let email_norm = normalize_email(&e.email);
        // The contact is linked now when it exists (saves an update later); else when it appears.
        let done = sqlx::query(
            "INSERT INTO engagement_events (remote_id, store_pk, customer_id, email_norm, campaign_id, kind, at, url,
             amount_cents, origin)
             VALUES (?1, ?2, (SELECT c.id FROM customers c WHERE c.store_pk = ?2 AND c.email_norm = ?3), ?3, ?4, ?5, ?6,
             ?7, ?8, ?9) ON CONFLICT (remote_id) DO NOTHING",
        )
        .bind(&e.key)
        .bind(store_pk)
        .bind(&email_norm)
        .bind(&e.campaign_id)
        .bind(e.kind.name())
        .bind(e.at)
        .bind(&e.url)
        .bind(e.amount_cents)
        .bind(origin.name())
        .execute(&mut *conn)
        .await?;
        inserted += done.rows_affected();
    }
    Ok(inserted)
}

/// Applies every stored, not yet applied event of the store to its contact, once, then re-scores
/// the contacts touched (incrementally: only them, with the same formula as a full recompute).
/// Events whose email matches no contact stay pending and are applied when the contact appears.
pub async fn apply_pending(db: &Db, store_id: &str, now: i64) -> Result<Applied> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let applied = apply_pending_raw(&mut tx, store_pk, now).await?;
    tx.commit().await?;
    Ok(applied)
}

/// [`apply_pending`] inside the caller's transaction.
pub async fn apply_pending_raw(conn: &mut SqliteConnection, store_pk: i64, now: i64) -> Result<Applied> {
    sqlx::query(
        "UPDATE engagement_events AS e INDEXED BY engagement_pending SET customer_id =
             (SELECT c.id FROM customers c WHERE c.store_pk = e.store_pk AND c.email_norm = e.email_norm)
         WHERE e.store_pk = ? AND e.applied_at IS NULL AND e.customer_id IS NULL",
    )
    .bind(store_pk)
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(i64, i64, String, i64, i64, String)> = sqlx::query_as(
        "SELECT id, customer_id, kind, at, amount_cents, origin FROM engagement_events INDEXED BY engagement_pending
         WHERE store_pk = ? AND applied_at IS NULL AND customer_id IS NOT NULL ORDER BY customer_id, at, id",
    )
    .bind(store_pk)
    .fetch_all(&mut *conn)
    .await?;
    let mut per_contact: BTreeMap<i64, Vec<Happening>> = BTreeMap::new();
    let mut event_ids = Vec::with_capacity(rows.len());
    for (id, customer_id, kind, at, amount_cents, origin) in rows {
        let Some(kind) = EventKind::parse(&kind) else { continue };
        event_ids.push(id);
        per_contact.entry(customer_id).or_default().push(Happening {
            kind,
            at,
            amount_cents,
            origin: Origin::parse(&origin),
        });
    }
    for (customer_id, happenings) in &per_contact {
        apply_to_contact(conn, *customer_id, happenings, now).await?;
    }
    mark_applied(conn, &event_ids, now).await?;
    let contacts: Vec<i64> = per_contact.keys().copied().collect();
    scoring::rescore_raw(conn, store_pk, Some(&contacts), now).await?;
    let unmatched: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM engagement_events INDEXED BY engagement_pending
         WHERE store_pk = ? AND applied_at IS NULL AND customer_id IS NULL",
    )
    .bind(store_pk)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Applied { events: event_ids.len() as u64, contacts: contacts.len() as u64, unmatched: unmatched as u64 })
}

async fn apply_to_contact(conn: &mut SqliteConnection, id: i64, happenings: &[Happening], now: i64) -> Result<()> {
    type Row = (bool, bool, i64, String, i64, String, Option<i64>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT opens_email, clicks_links, last_open_date, status, total_spent_cents, type, remote_updated_at
         FROM customers WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((opens_email, clicks_links, last_open_date, status, total_spent_cents, kind, remote_updated_at)) = row
    else {
        return Ok(());
    };
    let before =
        ContactState { opens_email, clicks_links, last_open_date, status, total_spent_cents, kind, remote_updated_at };
    let after = effect::after(&before, happenings);
    if after == before {
        return Ok(());
    }
    sqlx::query(
        "UPDATE customers SET opens_email = ?, clicks_links = ?, last_open_date = ?, status = ?,
         total_spent_cents = ?, type = ?, updated_at = MAX(updated_at, ?) WHERE id = ?",
    )
    .bind(after.opens_email)
    .bind(after.clicks_links)
    .bind(after.last_open_date)
    .bind(&after.status)
    .bind(after.total_spent_cents)
    .bind(&after.kind)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    // What imported events changed is a local edit the platform has not seen: record it for sync,
    // or the next pull of this contact would undo it (an unsubscribe included).
    let set = effect::imported_changes(&before, happenings, &after);
    if !set.is_empty() {
        let change = contacts::FieldChange { customer_id: id, set, add_tags: Vec::new() };
        contacts::record_changes_raw(conn, &[change], contacts::Origin::Import, now).await?;
    }
    Ok(())
}

async fn mark_applied(conn: &mut SqliteConnection, ids: &[i64], now: i64) -> Result<()> {
    for chunk in ids.chunks(10_000) {
        let list = serde_json::to_string(chunk).expect("ids serialize");
        sqlx::query("UPDATE engagement_events SET applied_at = ? WHERE id IN (SELECT value FROM json_each(?))")
            .bind(now)
            .bind(list)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
