//! Exact counts of the contacts view for a filter, and the store header's conversion rate.

use serde::Serialize;
use sqlx::SqliteConnection;

use super::filter::{self, Bind, Compiled, ContactFilter, Sql};
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
    let no_account_only =
        ContactFilter { has_account: Some(false), include_users: filter.include_users, ..Default::default() };
    if *filter == no_account_only {
        // "No account" = all - "has account": two counts that need no probe of each fan (see
        // `fans_count`). Users without a fan record all have an account: none to add.
        let all = ContactFilter { has_account: None, ..filter.clone() };
        let with = ContactFilter { has_account: Some(true), ..filter.clone() };
        let all = fans_count(&mut conn, store_pk, &all, None, caps).await?;
        let with = fans_count(&mut conn, store_pk, &with, None, caps).await?;
        sql.push("SELECT (").append(&all).push(") - (").append(&with).push(")");
    } else {
        let compiled = filter::compile(&mut conn, store_pk, filter).await?;
        sql.push("SELECT (").append(&fans_count(&mut conn, store_pk, filter, Some(&compiled), caps).await?).push(")");
        match &compiled.users {
            // Each users_only row stands for exactly one user shown.
            Some(users) if users.text.is_empty() => {
                sql.push(" + (SELECT count(*) FROM users_only WHERE store_pk = ?)").bind(Bind::Int(store_pk));
            }
            Some(users) => {
                let from = filter::users_only_from(&mut conn, store_pk, caps.users_listed).await?;
                sql.push(format!(" + (SELECT count(*){from}")).bind(Bind::Int(store_pk)).append(users).push(")");
            }
            None => {}
        }
    }
    Ok(sqlx::query_scalar_with(&sql.text, sql.arguments()?).fetch_one(&mut *conn).await?)
}

/// `SELECT count(*) ...` of the store's fans that `filter` matches (its users aside); `compiled`
/// is `filter` compiled, when the caller has it already.
async fn fans_count(
    conn: &mut SqliteConnection,
    store_pk: i64,
    filter: &ContactFilter,
    compiled: Option<&Compiled>,
    caps: plan::Caps,
) -> Result<Sql> {
    let mut sql = Sql::default();
    let account_only =
        ContactFilter { has_account: Some(true), include_users: filter.include_users, ..Default::default() };
    if caps.gather && *filter == account_only {
        // Every distinct user email belongs to one fan of the store or is one of its users_only rows.
        sql.push(
            "SELECT (SELECT count(DISTINCT email_norm) FROM users) - (SELECT count(*) FROM users_only WHERE store_pk = ?)",
        )
        .bind(Bind::Int(store_pk));
    } else if let Some(words) = filter.only_words().filter(|_| caps.gather) {
        let fans = Matches::gather(conn, store_pk, &words).await?.len();
        sql.push("SELECT ?").bind(Bind::Int(fans as i64));
    } else {
        let own;
        let compiled = match compiled {
            Some(c) => c,
            None => {
                own = filter::compile(conn, store_pk, filter).await?;
                &own
            }
        };
        sql = plan::count_fans(conn, store_pk, compiled, caps).await?;
    }
    Ok(sql)
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
    // As in `fans_count`: user emails less the store's users without a fan record.
    let (fans, with_account): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM customers WHERE store_pk = ?1),
                (SELECT count(DISTINCT email_norm) FROM users)
                  - (SELECT count(*) FROM users_only WHERE store_pk = ?1)",
    )
    .bind(store_pk)
    .fetch_one(db.pool())
    .await?;
    let rate = if fans == 0 { 0.0 } else { with_account as f64 / fans as f64 };
    Ok(Conversion { fans, with_account, rate })
}
