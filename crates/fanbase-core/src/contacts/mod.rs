//! Contacts (fans, table `customers`): the rows the contacts view shows, counts and keyset pages,
//! search and filters, the unified fans + users view, and edits recorded for sync.

pub(crate) mod changes;
mod count;
mod edit;
pub mod filter;
mod matches;
mod page;
pub(crate) mod plan;
pub mod search;
mod show;

pub use changes::{record_changes_raw, FieldChange, Origin};
pub use count::{conversion, count_matching, Conversion};
pub use edit::{set_fields, set_fields_raw, Edited, EDITABLE_FIELDS};
pub use filter::{ContactFilter, FanCondition};
pub use page::{page, page_matching, Page, PageRequest, Sort, SortField, MAX_PAGE};
pub use show::{show, Contact};

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
    /// Lead / paying / subscriber from `type`, and registered_user when `has_account`.
    pub badges: Vec<Badge>,
    /// False for a registered user without a fan record in this store (only in the unified view;
    /// such a row has a negative `id`, empty fan fields and cannot be edited or tagged).
    pub fan: bool,
    /// The platform id of the registered user with this email, if any.
    pub user_id: Option<String>,
}

/// A badge shown beside a contact in the unified view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    Lead,
    Paying,
    Subscriber,
    RegisteredUser,
}

impl Badge {
    /// The badges of a contact of type `kind` ('' for a user without a fan record).
    pub fn of(kind: &str, has_account: bool) -> Vec<Badge> {
        let by_type = match kind {
            "lead" => Some(Badge::Lead),
            "paying" => Some(Badge::Paying),
            "subscription" => Some(Badge::Subscriber),
            _ => None,
        };
        by_type.into_iter().chain(has_account.then_some(Badge::RegisteredUser)).collect()
    }
}

/// The id of the store's fan with this email (compared case-insensitively).
pub async fn id_by_email(db: &Db, store_id: &str, email: &str) -> Result<i64> {
    let store_pk = stores::pk(db, store_id).await?;
    sqlx::query_scalar("SELECT id FROM customers WHERE store_pk = ? AND email_norm = ?")
        .bind(store_pk)
        .bind(crate::text::normalize_email(email))
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| crate::Error::InvalidArgument(format!("no fan with email {email:?} in store {store_id:?}")))
}

/// The exact number of fans in a store.
pub async fn count(db: &Db, store_id: &str) -> Result<i64> {
    let store_pk = stores::pk(db, store_id).await?;
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE store_pk = ?")
        .bind(store_pk)
        .fetch_one(db.pool())
        .await?)
}
