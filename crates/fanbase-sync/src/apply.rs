//! The executor of a planned page of customers: loads the local state the planner needs and writes
//! its operations, all inside the caller's transaction (`*_raw`), so a page lands whole or not at all.

use std::collections::{HashMap, HashSet};

use fanbase_core::text::{normalize_email, normalize_tag};
use serde_json::{Map, Value};
use sqlx::{Row, Sqlite, Transaction};

use crate::fields::{Field, Values};
use crate::plan::{plan, LocalContact, Op, Pending};
use crate::upsert::{record_change_raw, update_raw, Writes};
use crate::wire::Customer;
use crate::Result;

pub type Tx<'c> = Transaction<'c, Sqlite>;

/// What applying a page did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub inserted: u64,
    pub updated: u64,
    pub deleted: u64,
    /// Deleted on the platform while local edits wait (now in the conflicts list).
    pub conflicts: u64,
    pub skipped: u64,
}

impl Applied {
    /// Records that changed the local database.
    pub fn changed(&self) -> u64 {
        self.inserted + self.updated + self.deleted
    }
}

/// Plans and applies `page` to store `store_pk`. With `force`, versions already taken in are
/// applied again (keep theirs).
pub async fn apply_customers_raw(
    tx: &mut Tx<'_>,
    store_pk: i64,
    page: &[Customer],
    force: bool,
    now: i64,
) -> Result<Applied> {
    if page.is_empty() {
        return Ok(Applied::default());
    }
    let (local, deleted_locally) = load_local_raw(tx, store_pk, page).await?;
    let ops = plan(page, &local, &deleted_locally, force);
    let by_id: HashMap<i64, &LocalContact> = local.iter().map(|l| (l.id, l)).collect();
    let mut writes = Writes::new(tx, page, store_pk).await?;
    let mut out = Applied::default();
    for op in ops {
        match op {
            Op::Insert { remote, tags } => {
                writes.insert(remote, tags);
                out.inserted += 1;
            }
            Op::Update { local_id, remote, keep, tags, fill } => {
                let r = &page[remote];
                update_raw(tx, local_id, r, &keep).await?;
                writes.retag(local_id, tags);
                let l = by_id.get(&local_id).copied();
                if let (Some(fill), Some(l)) = (fill, l) {
                    let set: Map<String, Value> =
                        fill.fields.iter().map(|f| (f.wire().to_string(), l.values.wire_value(*f))).collect();
                    record_change_raw(tx, store_pk, local_id, &r.email, Some(r.updated_at), &set, &fill.add_tags, now)
                        .await?;
                }
                if l.is_some_and(|l| !l.pending.is_empty()) {
                    sqlx::query("UPDATE outbox SET theirs = ? WHERE customer_id = ? AND state = 'conflict'")
                        .bind(serde_json::to_string(r).unwrap_or_default())
                        .bind(local_id)
                        .execute(&mut **tx)
                        .await?;
                }
                out.updated += 1;
            }
            Op::Delete { local_id, drop_outbox } => {
                writes.flush_raw(tx).await?;
                if drop_outbox {
                    sqlx::query("DELETE FROM outbox WHERE customer_id = ? AND is_delete = 1")
                        .bind(local_id)
                        .execute(&mut **tx)
                        .await?;
                }
                sqlx::query("DELETE FROM customers WHERE id = ?").bind(local_id).execute(&mut **tx).await?;
                out.deleted += 1;
            }
            Op::DeletedWithPendingEdits { local_id, remote } => {
                sqlx::query(
                    "UPDATE outbox SET state = 'conflict', theirs = ?, message = 'deleted on the platform'
                     WHERE customer_id = ? AND state = 'pending'",
                )
                .bind(serde_json::to_string(&page[remote]).unwrap_or_default())
                .bind(local_id)
                .execute(&mut **tx)
                .await?;
                out.conflicts += 1;
            }
            Op::Skip { .. } => out.skipped += 1,
        }
    }
    writes.flush_raw(tx).await?;
    Ok(out)
}

/// The local contacts a page may touch (by platform id or email), with their pending changes, and
/// the platform ids deleted locally whose delete waits.
pub async fn load_local_raw(
    tx: &mut Tx<'_>,
    store_pk: i64,
    page: &[Customer],
) -> Result<(Vec<LocalContact>, HashSet<String>)> {
    let ids = serde_json::to_string(&page.iter().map(|c| c.id.as_str()).collect::<Vec<_>>()).unwrap_or_default();
    let emails =
        serde_json::to_string(&page.iter().map(|c| normalize_email(&c.email)).collect::<Vec<_>>()).unwrap_or_default();
    // Two index lookups (by platform id, by email); `+store_pk` keeps the planner off the store scan.
    let rows = sqlx::query(
        "SELECT id, remote_id, email_norm, remote_updated_at, email, name, type, source, total_spent_cents, score,
                daw, type_of_music, student_level, phone, opens_email, clicks_links, last_open_date, status
         FROM customers WHERE remote_id IN (SELECT value FROM json_each(?2)) AND +store_pk = ?1
         UNION
         SELECT id, remote_id, email_norm, remote_updated_at, email, name, type, source, total_spent_cents, score,
                daw, type_of_music, student_level, phone, opens_email, clicks_links, last_open_date, status
         FROM customers WHERE store_pk = ?1 AND email_norm IN (SELECT value FROM json_each(?3))",
    )
    .bind(store_pk)
    .bind(&ids)
    .bind(&emails)
    .fetch_all(&mut **tx)
    .await?;
    let mut local: Vec<LocalContact> = rows
        .iter()
        .map(|r| LocalContact {
            id: r.get(0),
            remote_id: r.get(1),
            email_norm: r.get(2),
            remote_updated_at: r.get(3),
            values: Values {
                email: r.get(4),
                name: r.get(5),
                kind: r.get(6),
                source: r.get(7),
                total_spent_cents: r.get(8),
                score: r.get(9),
                daw: r.get(10),
                type_of_music: r.get(11),
                student_level: r.get(12),
                phone: r.get(13),
                opens_email: r.get(14),
                clicks_links: r.get(15),
                last_open_date: r.get(16),
                status: r.get(17),
            },
            tags: Vec::new(),
            pending: Pending::default(),
        })
        .collect();

    let mut deleted_locally = HashSet::new();
    let pending_deletes: Vec<String> = sqlx::query_scalar(
        "SELECT remote_id FROM outbox WHERE store_pk = ? AND is_delete = 1 AND customer_id IS NULL AND state = 'pending'
           AND remote_id IN (SELECT value FROM json_each(?))",
    )
    .bind(store_pk)
    .bind(&ids)
    .fetch_all(&mut **tx)
    .await?;
    deleted_locally.extend(pending_deletes);
    if local.is_empty() {
        return Ok((local, deleted_locally));
    }

    let local_ids = serde_json::to_string(&local.iter().map(|l| l.id).collect::<Vec<_>>()).unwrap_or_default();
    let index: HashMap<i64, usize> = local.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
    let tag_rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.customer_id IN (SELECT value FROM json_each(?)) ORDER BY t.name",
    )
    .bind(&local_ids)
    .fetch_all(&mut **tx)
    .await?;
    for (cid, name) in tag_rows {
        local[index[&cid]].tags.push(name);
    }
    let outbox = sqlx::query(
        "SELECT customer_id, set_fields, add_tags, remove_tags, is_delete, is_create, payload IS NOT NULL, state
         FROM outbox WHERE customer_id IN (SELECT value FROM json_each(?)) AND state IN ('pending', 'conflict', 'rejected')
         ORDER BY id",
    )
    .bind(&local_ids)
    .fetch_all(&mut **tx)
    .await?;
    for row in outbox {
        let cid: i64 = row.get(0);
        let p = &mut local[index[&cid]].pending;
        add_pending(p, &row.get::<String, _>(1), &row.get::<String, _>(2), &row.get::<String, _>(3));
        p.delete |= row.get::<bool, _>(4);
        let (is_create, frozen, state): (bool, bool, String) = (row.get(5), row.get(6), row.get(7));
        p.create_in_flight |= is_create && frozen && state == "pending";
    }
    Ok((local, deleted_locally))
}

/// Folds one outbox row's JSON columns into `p`, in order (a later add undoes an earlier remove).
pub(crate) fn add_pending(p: &mut Pending, set_fields: &str, add_tags: &str, remove_tags: &str) {
    if let Ok(Value::Object(set)) = serde_json::from_str::<Value>(set_fields) {
        p.fields.extend(set.keys().filter_map(|k| Field::parse_key(k).map(|(f, _)| f)));
    }
    for t in string_list(remove_tags) {
        let n = normalize_tag(&t);
        p.add_tags.retain(|a| normalize_tag(a) != n);
        p.remove_tags.insert(n);
    }
    for t in string_list(add_tags) {
        let n = normalize_tag(&t);
        p.remove_tags.remove(&n);
        if !p.add_tags.iter().any(|a| normalize_tag(a) == n) {
            p.add_tags.push(t);
        }
    }
}

pub(crate) fn string_list(json: &str) -> Vec<String> {
    serde_json::from_str::<Vec<String>>(json).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_folds_rows_in_order() {
        let mut p = Pending::default();
        add_pending(&mut p, r#"{"type_of_music":"House","name":"X","custom.foo":1}"#, r#"["vip"]"#, "[]");
        add_pending(&mut p, "{}", "[]", r#"["VIP"]"#);
        add_pending(&mut p, "{}", r#"["edm"]"#, "[]");
        assert_eq!(p.fields, [Field::Name, Field::TypeOfMusic].into_iter().collect(), "unknown keys are ignored");
        assert!(p.add_tags == vec!["edm".to_string()] && p.remove_tags.contains("vip"), "later rows win: {p:?}");
    }
}
