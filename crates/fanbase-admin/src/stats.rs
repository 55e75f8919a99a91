//! Platform stats for the admin area, from the local copy: total users, admins, creators (Stripe
//! connected), students, sign-ups per calendar week (Monday 00:00 UTC) over the last 26 weeks, and
//! the fan → user conversion of each store.
//!
//! A *student* is a registered user whose email is a fan (in any local store) that is a paying or
//! subscription customer, or that has a `purchase` or `enrollment` engagement event.

use serde::Serialize;

use fanbase_core::{contacts, stores, Db};

use crate::Result;

pub const DAY_MS: i64 = 86_400_000;
pub const WEEK_MS: i64 = 7 * DAY_MS;
/// Weeks in the sign-up chart, the current (partial) week included.
pub const SIGNUP_WEEKS: usize = 26;
/// 1970-01-05, the first Monday after the epoch (a Thursday).
const FIRST_MONDAY_MS: i64 = 4 * DAY_MS;

/// The sign-ups of one week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WeekCount {
    /// Monday 00:00 UTC, ms since the epoch.
    pub week_start: i64,
    pub signups: i64,
}

/// One store's fan → user conversion: fans whose email is a registered user ÷ fans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoreConversion {
    pub store_id: String,
    pub store_name: String,
    pub fans: i64,
    pub users: i64,
    /// 0 when the store has no fans.
    pub rate: f64,
}

/// The stats panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The `now` the figures were computed for.
    pub as_of: i64,
    pub total_users: i64,
    pub admins: i64,
    /// Users with a Stripe Connect account (they can sell).
    pub creators: i64,
    pub students: i64,
    /// Oldest week first; exactly [`SIGNUP_WEEKS`] entries, the last one holding `now`.
    pub signups_per_week: Vec<WeekCount>,
    /// By store name.
    pub conversion: Vec<StoreConversion>,
}

/// Monday 00:00 UTC of the week holding `t`.
pub fn week_start(t: i64) -> i64 {
    (t - FIRST_MONDAY_MS).div_euclid(WEEK_MS) * WEEK_MS + FIRST_MONDAY_MS
}

/// Computes the stats as of `now`.
pub async fn stats(db: &Db, now: i64) -> Result<Stats> {
    let (total_users, admins, creators): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(sum(admin), 0), COALESCE(sum(stripe_connect_account_id <> ''), 0) FROM users",
    )
    .fetch_one(db.pool())
    .await?;
    let students: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM users u WHERE EXISTS (
            SELECT 1 FROM stores s CROSS JOIN customers c ON c.store_pk = s.pk AND c.email_norm = u.email_norm
            WHERE c.type IN ('paying', 'subscription')
               OR EXISTS (SELECT 1 FROM engagement_events e
                          WHERE e.customer_id = c.id AND e.kind IN ('purchase', 'enrollment')))",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(Stats {
        as_of: now,
        total_users,
        admins,
        creators,
        students,
        signups_per_week: signups_per_week(db, now).await?,
        conversion: conversion(db).await?,
    })
}

async fn signups_per_week(db: &Db, now: i64) -> Result<Vec<WeekCount>> {
    let first = week_start(now) - (SIGNUP_WEEKS as i64 - 1) * WEEK_MS;
    let counted: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT (created_at - ?1) / ?2 AS week, count(*) FROM users
         WHERE created_at >= ?1 AND created_at <= ?3 GROUP BY week",
    )
    .bind(first)
    .bind(WEEK_MS)
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let mut weeks: Vec<WeekCount> =
        (0..SIGNUP_WEEKS as i64).map(|i| WeekCount { week_start: first + i * WEEK_MS, signups: 0 }).collect();
    for (week, n) in counted {
        if let Some(w) = usize::try_from(week).ok().and_then(|i| weeks.get_mut(i)) {
            w.signups = n;
        }
    }
    Ok(weeks)
}

async fn conversion(db: &Db) -> Result<Vec<StoreConversion>> {
    let mut out = Vec::new();
    for store in stores::list(db).await? {
        let c = contacts::conversion(db, &store.id).await?;
        out.push(StoreConversion {
            store_id: store.id,
            store_name: store.name,
            fans: c.fans,
            users: c.with_account,
            rate: c.rate,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_utc() {
        // 2025-10-09 (a Thursday) 12:00 UTC → Monday 2025-10-06 00:00 UTC.
        assert_eq!(week_start(1_760_011_200_000), 1_759_708_800_000);
        assert_eq!(week_start(1_759_708_800_000), 1_759_708_800_000, "Monday midnight starts its own week");
        assert_eq!(week_start(1_759_708_799_999), 1_759_708_800_000 - WEEK_MS, "a Sunday belongs to the week before");
    }
}
