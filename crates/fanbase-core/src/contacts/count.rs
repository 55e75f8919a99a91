//! Exact counts of the contacts view for a filter, and the store header's conversion rate.

use serde::Serialize;

use super::filter::{self, Bind, ContactFilter, Sql, USERS_ONLY};
use super::matches::Matches;
use super::plan;
use crate::{stores, Db, Result};

/// The exact number of rows the view shows for `filter` (fans, plus users without a fan record
/// when `filter.include_users`), read in one statement so both parts see the same snapshot.
pub async fn count_matching(db: &Db, store_id: &str, filter: &ContactFilter) -> Result<i64> {
    count_planned(db, store_id, filter, plan::Caps::default()).await
}

pub(crate) async fn count_planned(db: &Db, store_id: &str, filter: &ContactFilter, caps: plan::Caps) -> Result<i64> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut conn = db.pool().acquire().await?;
    let mut sql = Sql::default();
    if filter.has_account == Some(false) {
        // "No account" = all - "has account": two counts that can use indexes instead of probing
        // every fan for a missing user. Users without a fan record all have an account: none to add.
        let all = filter::compile(&mut conn, store_pk, &ContactFilter { has_account: None, ..filter.clone() }).await?;
        let with =
            filter::compile(&mut conn, store_pk, &ContactFilter { has_account: Some(true), ..filter.clone() }).await?;
        let all = plan::count_fans(&mut conn, store_pk, &all, caps).await?;
        let with = plan::count_fans(&mut conn, store_pk, &with, caps).await?;
        sql.push("SELECT (").append(&all).push(") - (").append(&with).push(")");
    } else {
        let compiled = filter::compile(&mut conn, store_pk, filter).await?;
        match filter.only_words().filter(|_| caps.gather) {
            Some(words) => {
                let fans = Matches::gather(&mut conn, store_pk, &words).await?.len();
                sql.push("SELECT ?").bind(Bind::Int(fans as i64));
            }
            None => {
                let fans = plan::count_fans(&mut conn, store_pk, &compiled, caps).await?;
                sql.push("SELECT (").append(&fans).push(")");
            }
        }
        if let Some(users) = &compiled.users {
            sql.push(format!(" + (SELECT count(*) FROM users u WHERE {USERS_ONLY}"))
                .bind(Bind::Int(store_pk))
                .append(users)
                .push(")");
        }
    }
    Ok(sqlx::query_scalar_with(&sql.text, sql.arguments()?).fetch_one(&mut *conn).await?)
}

/// How many of a store's fans have a platform account.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Conversion {
    pub fans: i64,
    pub with_account: i64,
    /// `with_account / fans`, 0 when the store has no fans.
    pub rate: f64,
}

/// The conversion rate shown in the store header: fans with an account ÷ fans.
pub async fn conversion(db: &Db, store_id: &str) -> Result<Conversion> {
    let store_pk = stores::pk(db, store_id).await?;
    let (fans, with_account): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM customers WHERE store_pk = ?1),
                (SELECT count(*) FROM customers c
                 WHERE c.store_pk = ?1 AND c.email_norm IN (SELECT email_norm FROM users))",
    )
    .bind(store_pk)
    .fetch_one(db.pool())
    .await?;
    let rate = if fans == 0 { 0.0 } else { with_account as f64 / fans as f64 };
    Ok(Conversion { fans, with_account, rate })
}
