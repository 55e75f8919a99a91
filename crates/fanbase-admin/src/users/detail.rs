//! One user's drawer: their details and every local store where their email is a fan, with the
//! fan's type, status, spend and purchase/enrollment counts.

use serde::Serialize;

use fanbase_core::Db;

use super::page::{row_to_user, ROWS};
use super::query::UserSort;
use super::UserRow;
use crate::{Error, Result};

/// A store where the user is a fan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FanOf {
    pub store_id: String,
    pub store_name: String,
    /// The local contact id in that store.
    pub customer_id: i64,
    /// lead | paying | subscription
    #[serde(rename = "type")]
    pub kind: String,
    pub status: String,
    pub total_spent_cents: i64,
    /// Engagement events of kind purchase / enrollment stored for this fan.
    pub purchases: i64,
    pub enrollments: i64,
}

/// The user drawer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserDetail {
    pub user: UserRow,
    pub clerk_id: String,
    pub updated_at: i64,
    /// By store name.
    pub fan_of: Vec<FanOf>,
}

/// One user's table row from the local copy, or `USER_NOT_FOUND`.
pub async fn get(db: &Db, user_id: &str) -> Result<UserRow> {
    let sql = format!("{ROWS}u.id = ?");
    let row = sqlx::query(&sql)
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| Error::UserNotFound(user_id.to_string()))?;
    row_to_user(&row, UserSort::default())
}

/// The detail of user `user_id` from the local copy, or `USER_NOT_FOUND`.
pub async fn detail(db: &Db, user_id: &str) -> Result<UserDetail> {
    let user = get(db, user_id).await?;
    let (clerk_id, updated_at, email_norm): (String, i64, String) =
        sqlx::query_as("SELECT clerk_id, updated_at, email_norm FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_one(db.pool())
            .await?;
    let fan_of: Vec<FanOf> = sqlx::query_as(
        "SELECT s.id AS store_id, s.name AS store_name, c.id AS customer_id, c.type AS kind, c.status AS status,
            c.total_spent_cents AS total_spent_cents,
            (SELECT count(*) FROM engagement_events e WHERE e.customer_id = c.id AND e.kind = 'purchase') AS purchases,
            (SELECT count(*) FROM engagement_events e WHERE e.customer_id = c.id AND e.kind = 'enrollment')
                AS enrollments
         FROM stores s CROSS JOIN customers c ON c.store_pk = s.pk AND c.email_norm = ?
         ORDER BY s.name COLLATE NOCASE, s.id",
    )
    .bind(&email_norm)
    .fetch_all(db.pool())
    .await?;
    Ok(UserDetail { user, clerk_id, updated_at, fan_of })
}
