//! Saved campaigns (table `campaigns`): drafts by name per store, and where each one stands.

use serde::Serialize;
use sqlx::Row as _;

use crate::campaign::Campaign;
use crate::{Error, Result};
use fanbase_core::Db;

/// A saved campaign and its sending state (`draft`, `sending`, `paused`, `cancelled`, `done`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saved {
    pub id: i64,
    pub state: String,
    pub updated_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub campaign: Campaign,
}

/// The canonical JSON a started campaign is compared by.
pub fn canonical(campaign: &Campaign) -> String {
    serde_json::to_string(campaign).expect("a campaign serializes")
}

/// The store's local key and display name.
pub async fn store(db: &Db, store_id: &str) -> Result<(i64, String)> {
    let row = sqlx::query("SELECT pk, name FROM stores WHERE id = ?").bind(store_id).fetch_optional(db.pool()).await?;
    let row = row.ok_or_else(|| fanbase_core::Error::StoreNotFound(store_id.to_string()))?;
    Ok((row.try_get("pk")?, row.try_get("name")?))
}

/// Saves a draft under its name (creating or replacing it). A campaign that started sending
/// cannot change: saving different content for it is refused.
pub async fn save(db: &Db, store_id: &str, campaign: &Campaign, now: i64) -> Result<i64> {
    campaign.validate()?;
    let (store_pk, _) = store(db, store_id).await?;
    let json = canonical(campaign);
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO campaigns (store_pk, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (store_pk, name) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at
         WHERE campaigns.state = 'draft' OR campaigns.definition = excluded.definition
         RETURNING id",
    )
    .bind(store_pk)
    .bind(campaign.name.trim())
    .bind(&json)
    .bind(now)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    id.ok_or_else(|| Error::CampaignChanged(campaign.name.clone()))
}

/// Every saved campaign of a store, most recently changed first.
pub async fn list(db: &Db, store_id: &str) -> Result<Vec<Saved>> {
    let (store_pk, _) = store(db, store_id).await?;
    let rows = sqlx::query(
        "SELECT id, state, updated_at, started_at, finished_at, definition FROM campaigns
         WHERE store_pk = ? ORDER BY updated_at DESC, id DESC",
    )
    .bind(store_pk)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(saved_from_row).collect()
}

/// One saved campaign by name.
pub async fn get(db: &Db, store_id: &str, name: &str) -> Result<Saved> {
    let (store_pk, _) = store(db, store_id).await?;
    let row = sqlx::query(
        "SELECT id, state, updated_at, started_at, finished_at, definition FROM campaigns WHERE store_pk = ? AND name = ?",
    )
    .bind(store_pk)
    .bind(name.trim())
    .fetch_optional(db.pool())
    .await?;
    let row = row.ok_or_else(|| Error::CampaignNotFound { store: store_id.to_string(), name: name.to_string() })?;
    saved_from_row(&row)
}

/// One saved campaign by id.
pub async fn by_id(db: &Db, id: i64) -> Result<Saved> {
    let row =
        sqlx::query("SELECT id, state, updated_at, started_at, finished_at, definition FROM campaigns WHERE id = ?")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    let row = row.ok_or_else(|| Error::CampaignNotFound { store: String::new(), name: format!("#{id}") })?;
    saved_from_row(&row)
}

/// Deletes a campaign (and its outbox). Refused while it is sending.
pub async fn delete(db: &Db, store_id: &str, name: &str) -> Result<()> {
    let saved = get(db, store_id, name).await?;
    if saved.state == "sending" || saved.state == "paused" {
        return Err(Error::CampaignBusy(name.to_string()));
    }
    sqlx::query("DELETE FROM campaigns WHERE id = ?").bind(saved.id).execute(db.pool()).await?;
    Ok(())
}

/// Campaigns whose sending was interrupted (quit, crash, network loss): the window resumes these
/// on start.
pub async fn unfinished(db: &Db) -> Result<Vec<(String, Saved)>> {
    let rows = sqlx::query(
        "SELECT s.id AS store_id, c.id, c.state, c.updated_at, c.started_at, c.finished_at, c.definition
         FROM campaigns c JOIN stores s ON s.pk = c.store_pk WHERE c.state IN ('sending', 'paused') ORDER BY c.id",
    )
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(|r| Ok((r.try_get("store_id")?, saved_from_row(r)?))).collect()
}

fn saved_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Saved> {
    let definition: String = row.try_get("definition")?;
    let campaign: Campaign = serde_json::from_str(&definition)
        .map_err(|e| Error::InvalidCampaign(format!("a saved campaign could not be read: {e}")))?;
    let at = |col: &str| -> Result<Option<i64>> { Ok(Some(row.try_get::<i64, _>(col)?).filter(|t| *t > 0)) };
    Ok(Saved {
        id: row.try_get("id")?,
        state: row.try_get("state")?,
        updated_at: row.try_get("updated_at")?,
        started_at: at("started_at")?,
        finished_at: at("finished_at")?,
        campaign,
    })
}
