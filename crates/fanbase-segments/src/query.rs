//! Running a segment against a store: the exact count and the matching contact ids.

use fanbase_core::{stores, Db};

use crate::compile::compile_for_store;
use crate::definition::Segment;
use crate::Result;

/// The exact number of the store's contacts that match `segment` at time `now`.
pub async fn count(db: &Db, store_id: &str, segment: &Segment, now: i64) -> Result<i64> {
    let store_pk = stores::pk(db, store_id).await?;
    let compiled = compile_for_store(store_pk, segment, now);
    let sql = format!("SELECT COUNT(*) FROM customers c WHERE {}", compiled.where_sql);
    Ok(compiled.bind_scalar(sqlx::query_scalar(&sql)).fetch_one(db.pool()).await?)
}

/// The ids (`customers.id`) of the store's contacts that match `segment`, ascending.
pub async fn ids(db: &Db, store_id: &str, segment: &Segment, now: i64) -> Result<Vec<i64>> {
    let store_pk = stores::pk(db, store_id).await?;
    let compiled = compile_for_store(store_pk, segment, now);
    let sql = format!("SELECT c.id FROM customers c WHERE {} ORDER BY c.id", compiled.where_sql);
    Ok(compiled.bind_scalar(sqlx::query_scalar(&sql)).fetch_all(db.pool()).await?)
}

/// The emails of the store's contacts that match `segment`, in id order (for exports and scripts).
pub async fn emails(db: &Db, store_id: &str, segment: &Segment, now: i64) -> Result<Vec<String>> {
    let store_pk = stores::pk(db, store_id).await?;
    let compiled = compile_for_store(store_pk, segment, now);
    let sql = format!("SELECT c.email FROM customers c WHERE {} ORDER BY c.id", compiled.where_sql);
    Ok(compiled.bind_scalar(sqlx::query_scalar(&sql)).fetch_all(db.pool()).await?)
}

/// The names of the custom fields used by the store's contacts, sorted, for the field picker.
/// Reads every contact's custom JSON: a full scan of the store (about a second at 1,000,000).
pub async fn custom_field_names(db: &Db, store_id: &str) -> Result<Vec<String>> {
    let store_pk = stores::pk(db, store_id).await?;
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT j.key FROM customers c, json_each(c.custom) j
         WHERE c.store_pk = ? AND c.custom <> '{}' AND json_valid(c.custom) ORDER BY j.key",
    )
    .bind(store_pk)
    .fetch_all(db.pool())
    .await?)
}
