//! Contacts (fans, table `customers`): the rows the contacts view shows, counts and keyset pages.

mod page;

pub use page::{page, Page, PageRequest, Sort, SortField};

use serde::Serialize;

use crate::{stores, Db, Result};

/// One fan as the contacts table shows it. Field names are the stable snake_case names that the
/// CLI's JSON and segments use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContactRow {
    pub id: i64,
    /// Opaque keyset cursor of this row under the sort that produced it.
    pub cursor: String,
    pub email: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub tags: Vec<String>,
    pub score: i64,
    pub daw: String,
    pub type_of_music: String,
    pub student_level: String,
    /// Milliseconds since the epoch, or `None` if the fan never opened an email.
    pub last_open_date: Option<i64>,
    /// In currency units (dollars); stored as integer cents.
    pub total_spent: f64,
    pub has_account: bool,
}

/// The exact number of fans in a store.
pub async fn count(db: &Db, store_id: &str) -> Result<i64> {
    let store_pk = stores::pk(db, store_id).await?;
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE store_pk = ?")
        .bind(store_pk)
        .fetch_one(db.pool())
        .await?)
}
