//! One contact with every stored field, its custom fields and tags (`fanbase contacts show`).

use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::Row as _;

use crate::text::normalize_email;
use crate::{stores, Db, Result};

/// A fan with all its fields under their stable snake_case names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub first_name: String,
    pub last_name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub source: String,
    pub score: i64,
    pub daw: String,
    pub type_of_music: String,
    pub student_level: String,
    pub phone: String,
    pub opens_email: bool,
    pub clicks_links: bool,
    /// Milliseconds since the epoch, or `None` if the fan never opened an email.
    pub last_open_date: Option<i64>,
    /// In currency units (dollars); `total_spent_cents` is the stored integer.
    pub total_spent: f64,
    pub total_spent_cents: i64,
    /// Tags by name, in alphabetical order (case-insensitive).
    pub tags: Vec<String>,
    /// Imported custom fields (JSON object).
    pub custom: Map<String, Value>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The platform `_id`, once synced.
    pub remote_id: Option<String>,
}

/// The contact of store `store_id` with this email (compared trimmed and case-insensitively).
pub async fn show(db: &Db, store_id: &str, email: &str) -> Result<Option<Contact>> {
    let store_pk = stores::pk(db, store_id).await?;
    let row = sqlx::query(
        "SELECT c.id, c.email, c.name, c.first_name, c.last_name, c.type, c.status, c.source, c.score, c.daw,
                c.type_of_music, c.student_level, c.phone, c.opens_email, c.clicks_links, c.last_open_date,
                c.total_spent_cents, c.custom, c.created_at, c.updated_at, c.remote_id,
                (SELECT json_group_array(name) FROM
                    (SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                     WHERE ct.customer_id = c.id ORDER BY t.name_norm)) AS tags
         FROM customers c WHERE c.store_pk = ? AND c.email_norm = ?",
    )
    .bind(store_pk)
    .bind(normalize_email(email))
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let bad_json = |e: serde_json::Error| crate::Error::InvalidArgument(format!("stored JSON is malformed: {e}"));
    let tags: String = row.try_get("tags")?;
    let custom: String = row.try_get("custom")?;
    let last_open: i64 = row.try_get("last_open_date")?;
    let cents: i64 = row.try_get("total_spent_cents")?;
    Ok(Some(Contact {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        kind: row.try_get("type")?,
        status: row.try_get("status")?,
        source: row.try_get("source")?,
        score: row.try_get("score")?,
        daw: row.try_get("daw")?,
        type_of_music: row.try_get("type_of_music")?,
        student_level: row.try_get("student_level")?,
        phone: row.try_get("phone")?,
        opens_email: row.try_get("opens_email")?,
        clicks_links: row.try_get("clicks_links")?,
        last_open_date: (last_open > 0).then_some(last_open),
        total_spent: cents as f64 / 100.0,
        total_spent_cents: cents,
        tags: serde_json::from_str(&tags).map_err(bad_json)?,
        custom: serde_json::from_str(&custom).map_err(bad_json)?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        remote_id: row.try_get("remote_id")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shows_every_field_or_none() {
        let db = Db::open_in_memory().await.unwrap();
        let pk = stores::ensure(&db, "s1", "Store", 1).await.unwrap();
        sqlx::query(
            "INSERT INTO customers (store_pk, email, email_norm, name, type, total_spent_cents, custom, created_at, updated_at)
             VALUES (?, 'Ana@X.io', 'ana@x.io', 'Ana', 'paying', 1999, '{\"City\":\"Lyon\"}', 5, 6)",
        )
        .bind(pk)
        .execute(db.pool())
        .await
        .unwrap();
        let c = show(&db, "s1", " ANA@x.io ").await.unwrap().expect("found case-insensitively");
        assert_eq!((c.email.as_str(), c.kind.as_str(), c.total_spent_cents), ("Ana@X.io", "paying", 1999));
        assert_eq!(c.custom["City"], "Lyon");
        assert_eq!(c.last_open_date, None, "0 means never opened");
        assert!(show(&db, "s1", "nobody@x.io").await.unwrap().is_none());
    }
}
