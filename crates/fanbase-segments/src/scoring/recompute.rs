//! Computing scores in one SQL statement: the points of every condition rule the contact matches,
//! plus the points of its events under the event rules (an expired event's points no longer
//! count). The same statement serves a whole store and the few contacts an import touched, so an
//! incremental update and a full recompute give the same scores at the same `now`.

use std::collections::BTreeMap;

use fanbase_core::{stores, Db};
use serde::Serialize;
use serde_json::Value;
use sqlx::SqliteConnection;

use super::rules::{list_rules_raw, Trigger};
use crate::compile::{compile, Compiled};
use crate::engagement::EventKind;
use crate::parse::days_ago;
use crate::Result;

/// What a recompute did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Recomputed {
    /// Contacts in the store.
    pub contacts: i64,
    /// Contacts whose score changed.
    pub changed: u64,
}

/// Recomputes every contact's score in the store from its rules and events, at `now`. Deterministic.
pub async fn recompute(db: &Db, store_id: &str, now: i64) -> Result<Recomputed> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let changed = rescore_raw(&mut tx, store_pk, None, now).await?;
    let contacts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE store_pk = ?")
        .bind(store_pk)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Recomputed { contacts, changed })
}

/// Recomputes the scores of the store's contacts `only` (all of them when `None`) inside the
/// caller's transaction. Returns how many scores changed.
pub async fn rescore_raw(conn: &mut SqliteConnection, store_pk: i64, only: Option<&[i64]>, now: i64) -> Result<u64> {
    if only.is_some_and(|ids| ids.is_empty()) {
        return Ok(0);
    }
    let rules = list_rules_raw(conn, store_pk).await?;
    let only_json = only.map(|ids| serde_json::to_string(ids).expect("ids serialize"));
    let mut sql = String::from("WITH ");
    let mut binds: Vec<Value> = Vec::new();

    // Event points: per event, the points of the rules of its kind that have not expired, summed
    // per contact in one pass of the covering index engagement_for_scoring (store_pk, customer_id, kind, at).
    let mut by_kind: BTreeMap<EventKind, Vec<(i64, Option<i64>)>> = BTreeMap::new();
    for rule in &rules {
        if let Trigger::Event(kind) = rule.trigger {
            by_kind.entry(kind).or_default().push((rule.points, rule.expires_days));
        }
    }
    if !by_kind.is_empty() {
        sql.push_str("ev(id, pts) AS (SELECT e.customer_id, SUM(CASE e.kind");
        for (kind, kind_rules) in &by_kind {
            sql.push_str(" WHEN ? THEN 0");
            binds.push(kind.name().into());
            for (points, expires) in kind_rules {
                match expires {
                    None => sql.push_str(" + ?"),
                    Some(days) => {
                        sql.push_str(" + (CASE WHEN e.at >= ? THEN ? ELSE 0 END)");
                        binds.push(days_ago(now, *days).into());
                    }
                }
                binds.push((*points).into());
            }
        }
        sql.push_str(" ELSE 0 END) FROM engagement_events e WHERE e.store_pk = ?");
        binds.push(store_pk.into());
        match &only_json {
            Some(list) => {
                sql.push_str(" AND e.customer_id IN (SELECT value FROM json_each(?))");
                binds.push(list.clone().into());
            }
            None => sql.push_str(" AND e.customer_id IS NOT NULL"),
        }
        sql.push_str(" GROUP BY e.customer_id), ");
    }

    // The new score of each contact; only those that differ from the stored one are written.
    let base = if by_kind.is_empty() { "0" } else { "IFNULL(ev.pts, 0)" };
    sql.push_str(&format!("n(id, s) AS (SELECT id, s FROM (SELECT c.id AS id, c.score AS old, {base}"));
    for rule in &rules {
        if let Trigger::Condition(segment) = &rule.trigger {
            let Compiled { where_sql, binds: cond_binds } = compile(segment, now);
            sql.push_str(&format!(" + (CASE WHEN {where_sql} THEN ? ELSE 0 END)"));
            binds.extend(cond_binds);
            binds.push(rule.points.into());
        }
    }
    // A whole store is read in rowid order (NOT INDEXED): sequential pages, rows rewritten in order.
    sql.push_str(if only_json.is_some() { " AS s FROM customers c" } else { " AS s FROM customers c NOT INDEXED" });
    if !by_kind.is_empty() {
        sql.push_str(" LEFT JOIN ev ON ev.id = c.id");
    }
    match &only_json {
        // `+c.store_pk` keeps SQLite from scanning a store index: the id list drives the lookup.
        Some(list) => {
            sql.push_str(" WHERE +c.store_pk = ? AND c.id IN (SELECT value FROM json_each(?))");
            binds.push(store_pk.into());
            binds.push(list.clone().into());
        }
        None => {
            sql.push_str(" WHERE c.store_pk = ?");
            binds.push(store_pk.into());
        }
    }
    sql.push_str(") WHERE old <> s) UPDATE customers SET score = n.s FROM n WHERE customers.id = n.id");

    let compiled = Compiled { where_sql: sql, binds };
    let done = compiled.bind(sqlx::query(&compiled.where_sql)).execute(&mut *conn).await?;
    Ok(done.rows_affected())
}
