//! Named segments saved per store (table `segments`), listed together with the built-in ones.

use fanbase_core::{stores, Db};
use serde::Serialize;

use crate::definition::Segment;
use crate::{builtin, query, Error, Result};

/// A named segment of a store: a built-in one or one the user saved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Saved {
    pub name: String,
    pub builtin: bool,
    #[serde(rename = "definition")]
    pub segment: Segment,
    /// When it was saved first and last (ms); `None` for built-ins.
    pub created_at: Option<i64>,
    pub updated_at: Option<i64>,
}

/// A named segment with its exact count at some instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counted {
    #[serde(flatten)]
    pub saved: Saved,
    pub count: i64,
}

fn built_in(name: &str, segment: Segment) -> Saved {
    Saved { name: name.to_string(), builtin: true, segment, created_at: None, updated_at: None }
}

/// Saves `segment` under `name` in the store. Refuses an empty name, a built-in name, and an
/// existing name unless `replace` (then the definition is replaced and `created_at` kept).
pub async fn save(db: &Db, store_id: &str, name: &str, segment: &Segment, replace: bool, now: i64) -> Result<Saved> {
    let name = name.trim();
    if name.is_empty() {
        return Err(fanbase_core::Error::InvalidArgument("a segment needs a non-empty name".into()).into());
    }
    if let Some((builtin_name, _)) = builtin::find(name) {
        return Err(Error::BuiltIn(builtin_name.to_string()));
    }
    let store_pk = stores::pk(db, store_id).await?;
    let definition = segment.to_json().to_string();
    let sql = if replace {
        "INSERT INTO segments (store_pk, name, name_norm, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (store_pk, name_norm) DO UPDATE SET name = excluded.name, definition = excluded.definition,
         updated_at = excluded.updated_at"
    } else {
        "INSERT INTO segments (store_pk, name, name_norm, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (store_pk, name_norm) DO NOTHING"
    };
    let written = sqlx::query(sql)
        .bind(store_pk)
        .bind(name)
        .bind(name.to_lowercase())
        .bind(&definition)
        .bind(now)
        .bind(now)
        .execute(db.pool())
        .await?;
    if written.rows_affected() == 0 {
        return Err(Error::SegmentExists(name.to_string()));
    }
    find(db, store_id, name).await
}

/// Every named segment of the store: the built-in ones first, then the saved ones by name.
pub async fn list(db: &Db, store_id: &str) -> Result<Vec<Saved>> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut out: Vec<Saved> = builtin::BUILT_IN
        .iter()
        .filter_map(|(name, _)| builtin::find(name))
        .map(|(name, segment)| built_in(name, segment))
        .collect();
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT name, definition, created_at, updated_at FROM segments WHERE store_pk = ? ORDER BY name_norm, id",
    )
    .bind(store_pk)
    .fetch_all(db.pool())
    .await?;
    for (name, definition, created, updated) in rows {
        out.push(stored(name, &definition, created, updated)?);
    }
    Ok(out)
}

/// Every named segment with its exact count at `now` (for the sidebar).
pub async fn list_counted(db: &Db, store_id: &str, now: i64) -> Result<Vec<Counted>> {
    let mut out = Vec::new();
    for saved in list(db, store_id).await? {
        let count = query::count(db, store_id, &saved.segment, now).await?;
        out.push(Counted { saved, count });
    }
    Ok(out)
}

/// The named segment, built-in or saved; names compare case-insensitively after trimming.
pub async fn find(db: &Db, store_id: &str, name: &str) -> Result<Saved> {
    let store_pk = stores::pk(db, store_id).await?;
    if let Some((name, segment)) = builtin::find(name) {
        return Ok(built_in(name, segment));
    }
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT name, definition, created_at, updated_at FROM segments WHERE store_pk = ? AND name_norm = ?",
    )
    .bind(store_pk)
    .bind(name.trim().to_lowercase())
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some((name, definition, created, updated)) => stored(name, &definition, created, updated),
        None => Err(Error::SegmentNotFound { store: store_id.to_string(), name: name.trim().to_string() }),
    }
}

/// Deletes a saved segment. Built-in segments cannot be deleted.
pub async fn delete(db: &Db, store_id: &str, name: &str) -> Result<()> {
    if let Some((builtin_name, _)) = builtin::find(name) {
        return Err(Error::BuiltIn(builtin_name.to_string()));
    }
    let store_pk = stores::pk(db, store_id).await?;
    let deleted = sqlx::query("DELETE FROM segments WHERE store_pk = ? AND name_norm = ?")
        .bind(store_pk)
        .bind(name.trim().to_lowercase())
        .execute(db.pool())
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(Error::SegmentNotFound { store: store_id.to_string(), name: name.trim().to_string() });
    }
    Ok(())
}

fn stored(name: String, definition: &str, created: i64, updated: i64) -> Result<Saved> {
    let segment = Segment::from_json_str(definition).map_err(|e| e.under(&format!("saved segment {name:?}")))?;
    Ok(Saved { name, builtin: false, segment, created_at: Some(created), updated_at: Some(updated) })
}
