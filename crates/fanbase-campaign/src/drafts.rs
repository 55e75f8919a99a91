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

/// Renames a draft, keeping its id (the window's editor follows it). Refused when another
/// campaign has the new name, and for a campaign that started sending.
pub async fn rename(db: &Db, store_id: &str, from: &str, to: &str, now: i64) -> Result<()> {
    let (from, to) = (from.trim(), to.trim());
    if to.is_empty() {
        return Err(Error::InvalidCampaign("`name` is empty: give the campaign a name".into()));
    }
    let saved = get(db, store_id, from).await?;
    if saved.state != "draft" {
        return Err(Error::CampaignChanged(from.to_string()));
    }
    if from == to {
        return Ok(());
    }
    if get(db, store_id, to).await.is_ok() {
        return Err(Error::InvalidCampaign(format!("a campaign named {to:?} already exists: choose another name")));
    }
    let mut campaign = saved.campaign;
    campaign.name = to.to_string();
    sqlx::query("UPDATE campaigns SET name = ?, definition = ?, updated_at = ? WHERE id = ? AND state = 'draft'")
        .bind(to)
        .bind(canonical(&campaign))
        .bind(now)
        .bind(saved.id)
        .execute(db.pool())
        .await?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn db_with_store() -> Db {
        let db = Db::open_in_memory().await.unwrap();
        fanbase_core::stores::add(&db, "s1", "Store", 1).await.unwrap();
        db
    }

    fn draft(name: &str) -> Campaign {
        Campaign {
            name: name.into(),
            subject: "Hi".into(),
            body_markdown: Some("Hello".into()),
            from_email: "a@b.co".into(),
            ..Campaign::default()
        }
    }

    #[tokio::test]
    async fn a_rename_keeps_the_id_and_never_overwrites_another_campaign() {
        let db = db_with_store().await;
        let id = save(&db, "s1", &draft("Spring"), 1).await.unwrap();
        save(&db, "s1", &draft("Summer"), 1).await.unwrap();
        rename(&db, "s1", "Spring", "Spring launch", 2).await.unwrap();
        let renamed = get(&db, "s1", "Spring launch").await.unwrap();
        assert_eq!(renamed.id, id, "the same draft, renamed");
        assert_eq!(renamed.campaign.name, "Spring launch", "the stored definition has the new name too");
        assert_eq!(get(&db, "s1", "Spring").await.unwrap_err().code(), "CAMPAIGN_NOT_FOUND", "no copy left behind");
        let clash = rename(&db, "s1", "Spring launch", "Summer", 3).await.unwrap_err();
        assert_eq!(clash.code(), "INVALID_CAMPAIGN", "renaming onto another campaign is refused: {clash}");
        assert_eq!(get(&db, "s1", "Summer").await.unwrap().campaign, draft("Summer"), "the other campaign is intact");
    }
}
