//! The outbox as the push sees it: picking the next batch (≤ 100 changes, at most one per contact),
//! merging a contact's unsent rows into one change, making creates for contacts that were never
//! pushed (remote_id NULL, e.g. imported), and freezing each change's JSON before it is sent.
//!
//! Rows written by other modules: `set_fields` keys are contract names (contract units) or local
//! column names (local units); `add_tags`/`remove_tags` are JSON arrays; `base_updated_at` is the
//! contact's `remote_updated_at` when the edit was made. A frozen row (`payload` set) is resent
//! byte for byte until the platform answers; unfrozen rows may be merged, since the platform never saw them.

use std::collections::{HashMap, HashSet};

use fanbase_core::text::normalize_email;
use serde_json::{Map, Value};
use sqlx::Row;

use crate::apply::{add_pending, Tx};
use crate::fields::{Field, Values};
use crate::plan::Pending;
use crate::wire::Change;
use crate::Result;

/// One outbox row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutboxRow {
    pub id: i64,
    pub change_id: String,
    pub customer_id: Option<i64>,
    pub email: String,
    pub base_updated_at: Option<i64>,
    pub set_fields: String,
    pub add_tags: String,
    pub remove_tags: String,
    pub is_delete: bool,
    pub is_create: bool,
    pub remote_id: Option<String>,
}

/// The content of several unsent rows of one contact, folded in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merged {
    /// Contract names → contract values; a later row's value wins.
    pub set: Map<String, Value>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    pub delete: bool,
    /// The base of the earliest row: the platform version the first of these edits was made on.
    pub base: Option<i64>,
}

impl Merged {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.add_tags.is_empty() && self.remove_tags.is_empty() && !self.delete
    }
}

/// Folds rows (in id order) into one change. Pure.
pub fn merge(rows: &[&OutboxRow]) -> Merged {
    let mut m = Merged { base: rows.iter().find_map(|r| r.base_updated_at), ..Merged::default() };
    let mut tags = Pending::default();
    for r in rows {
        if let Ok(Value::Object(set)) = serde_json::from_str::<Value>(&r.set_fields) {
            for (k, v) in set {
                if let Some((f, local_units)) = Field::parse_key(&k) {
                    m.set.insert(f.wire().to_string(), f.to_wire(&v, local_units));
                }
            }
        }
        add_pending(&mut tags, "{}", &r.add_tags, &r.remove_tags);
        m.delete |= r.is_delete;
    }
    m.add_tags = tags.add_tags;
    m.remove_tags = tags.remove_tags.into_iter().collect();
    m
}

/// A change ready to send, and the outbox row that answers for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    pub outbox_id: i64,
    pub customer_id: Option<i64>,
    pub is_create: bool,
    pub change: Change,
}

const COLUMNS: &str =
    "id, change_id, customer_id, email, base_updated_at, set_fields, add_tags, remove_tags, is_delete,
                       is_create, remote_id";

fn row_of(r: &sqlx::sqlite::SqliteRow) -> OutboxRow {
    OutboxRow {
        id: r.get(0),
        change_id: r.get(1),
        customer_id: r.get(2),
        email: r.get(3),
        base_updated_at: r.get(4),
        set_fields: r.get(5),
        add_tags: r.get(6),
        remove_tags: r.get(7),
        is_delete: r.get(8),
        is_create: r.get(9),
        remote_id: r.get(10),
    }
}

/// A contact as a change needs it.
struct Contact {
    remote_id: Option<String>,
    remote_updated_at: Option<i64>,
    values: Values,
    tags: Vec<String>,
}

async fn contacts_raw(tx: &mut Tx<'_>, ids: &[i64]) -> Result<HashMap<i64, Contact>> {
    let list = serde_json::to_string(ids).unwrap_or_default();
    let rows = sqlx::query(
        "SELECT id, remote_id, remote_updated_at, email, name, type, source, total_spent_cents, score, daw,
                type_of_music, student_level, phone, opens_email, clicks_links, last_open_date, status
         FROM customers WHERE id IN (SELECT value FROM json_each(?))",
    )
    .bind(&list)
    .fetch_all(&mut **tx)
    .await?;
    let mut out: HashMap<i64, Contact> = rows
        .iter()
        .map(|r| {
            let values = Values {
                email: r.get(3),
                name: r.get(4),
                kind: r.get(5),
                source: r.get(6),
                total_spent_cents: r.get(7),
                score: r.get(8),
                daw: r.get(9),
                type_of_music: r.get(10),
                student_level: r.get(11),
                phone: r.get(12),
                opens_email: r.get(13),
                clicks_links: r.get(14),
                last_open_date: r.get(15),
                status: r.get(16),
            };
            (r.get(0), Contact { remote_id: r.get(1), remote_updated_at: r.get(2), values, tags: Vec::new() })
        })
        .collect();
    let tags: Vec<(i64, String)> = sqlx::query_as(
        "SELECT ct.customer_id, t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
         WHERE ct.customer_id IN (SELECT value FROM json_each(?)) ORDER BY t.name",
    )
    .bind(&list)
    .fetch_all(&mut **tx)
    .await?;
    for (cid, name) in tags {
        if let Some(c) = out.get_mut(&cid) {
            c.tags.push(name);
        }
    }
    Ok(out)
}

fn create_change(change_id: &str, c: &Contact) -> Change {
    Change {
        change_id: change_id.to_string(),
        customer_id: None,
        email: c.values.email.clone(),
        base_updated_at: None,
        set: c.values.create_set(),
        add_tags: c.tags.clone(),
        remove_tags: Vec::new(),
        delete: false,
    }
}

/// The next batch, and how many units were settled locally without a send (nothing left to tell).
#[derive(Debug, Default)]
pub struct Batch {
    pub changes: Vec<Prepared>,
    pub settled: u64,
}

/// Picks, merges and freezes the next batch of at most `max` changes for store `store_pk`.
/// `skip_creates` holds contacts already created in this run (never re-created in one run).
pub async fn prepare_batch_raw(
    tx: &mut Tx<'_>,
    store_pk: i64,
    max: usize,
    skip_creates: &HashSet<i64>,
    now: i64,
) -> Result<Batch> {
    let mut batch: Vec<Prepared> = Vec::new();
    let mut settled = 0u64;
    let mut busy: HashSet<i64> = HashSet::new();

    // 1. Frozen changes first, exactly as they were sent before.
    let frozen = sqlx::query(
        "SELECT id, customer_id, is_create, payload FROM outbox INDEXED BY outbox_frozen
         WHERE store_pk = ? AND state = 'pending' AND payload IS NOT NULL ORDER BY id LIMIT ?",
    )
    .bind(store_pk)
    .bind(max as i64)
    .fetch_all(&mut **tx)
    .await?;
    for r in frozen {
        let payload: String = r.get(3);
        let Ok(change) = serde_json::from_str::<Change>(&payload) else {
            // Unreadable (never expected): unfreeze so it is rebuilt from its columns.
            sqlx::query("UPDATE outbox SET payload = NULL WHERE id = ?")
                .bind(r.get::<i64, _>(0))
                .execute(&mut **tx)
                .await?;
            continue;
        };
        let customer_id: Option<i64> = r.get(1);
        busy.extend(customer_id);
        batch.push(Prepared { outbox_id: r.get(0), customer_id, is_create: r.get(2), change });
    }

    // 2. Unfrozen rows, one unit per contact in order of its oldest row.
    if batch.len() < max {
        let scan = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE store_pk = ? AND state = 'pending' AND payload IS NULL ORDER BY id LIMIT ?"
        ))
        .bind(store_pk)
        .bind(((max - batch.len()) * 20) as i64)
        .fetch_all(&mut **tx)
        .await?;
        let mut units: Vec<Result<i64, OutboxRow>> = Vec::new();
        let mut chosen: HashSet<i64> = HashSet::new();
        for r in scan.iter().map(row_of) {
            if units.len() + batch.len() >= max {
                break;
            }
            match r.customer_id {
                Some(c) if busy.contains(&c) || !chosen.insert(c) => {}
                Some(c) => units.push(Ok(c)),
                None => units.push(Err(r)),
            }
        }
        let ids: Vec<i64> = chosen.iter().copied().collect();
        let contacts = contacts_raw(tx, &ids).await?;
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE customer_id IN (SELECT value FROM json_each(?))
               AND state = 'pending' AND payload IS NULL ORDER BY id"
        ))
        .bind(serde_json::to_string(&ids).unwrap_or_default())
        .fetch_all(&mut **tx)
        .await?;
        let mut by_customer: HashMap<i64, Vec<OutboxRow>> = HashMap::new();
        for r in rows.iter().map(row_of) {
            by_customer.entry(r.customer_id.unwrap_or_default()).or_default().push(r);
        }
        for unit in units {
            let prepared = match unit {
                Ok(cid) => match (contacts.get(&cid), by_customer.get(&cid)) {
                    (Some(c), Some(rows)) if !rows.is_empty() => freeze_contact_raw(tx, cid, c, rows, now).await?,
                    _ => Freeze::Waiting,
                },
                Err(orphan) => freeze_orphan_raw(tx, store_pk, &orphan, now).await?,
            };
            match prepared {
                Freeze::Send(p) => batch.push(p),
                Freeze::Settled => settled += 1,
                Freeze::Waiting => {}
            }
        }
    }

    // 3. Contacts never pushed and with no outbox row at all (imports): a create each.
    if batch.len() < max {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT c.id FROM customers c INDEXED BY customers_unpushed WHERE c.store_pk = ? AND c.remote_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.customer_id = c.id)
               AND c.id NOT IN (SELECT value FROM json_each(?))
             ORDER BY c.id LIMIT ?",
        )
        .bind(store_pk)
        .bind(serde_json::to_string(&skip_creates.iter().collect::<Vec<_>>()).unwrap_or_default())
        .bind((max - batch.len()) as i64)
        .fetch_all(&mut **tx)
        .await?;
        let contacts = contacts_raw(tx, &ids).await?;
        for cid in ids {
            let Some(c) = contacts.get(&cid) else { continue };
            let change = create_change(&uuid::Uuid::new_v4().to_string(), c);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO outbox (change_id, store_pk, customer_id, email, is_create, payload, sent_at, origin, created_at)
                 VALUES (?, ?, ?, ?, 1, ?, ?, 'import', ?) RETURNING id",
            )
            .bind(&change.change_id)
            .bind(store_pk)
            .bind(cid)
            .bind(&change.email)
            .bind(serde_json::to_string(&change).unwrap_or_default())
            .bind(now)
            .bind(now)
            .fetch_one(&mut **tx)
            .await?;
            batch.push(Prepared { outbox_id: id, customer_id: Some(cid), is_create: true, change });
        }
    }
    Ok(Batch { changes: batch, settled })
}

/// What became of one unit of unsent rows.
enum Freeze {
    Send(Prepared),
    /// Nothing to tell the platform; the rows are gone.
    Settled,
    /// Must wait for another change's answer.
    Waiting,
}

/// Merges a contact's unsent rows into the first one and freezes it; `None` when nothing is left to send.
async fn freeze_contact_raw(
    tx: &mut Tx<'_>,
    customer_id: i64,
    c: &Contact,
    rows: &[OutboxRow],
    now: i64,
) -> Result<Freeze> {
    let refs: Vec<&OutboxRow> = rows.iter().collect();
    let merged = merge(&refs);
    let keeper = rows.iter().find(|r| r.is_create).unwrap_or(&rows[0]);
    let others: Vec<i64> = rows.iter().map(|r| r.id).filter(|id| *id != keeper.id).collect();
    let (change, is_create) = match &c.remote_id {
        None if merged.delete => {
            // Created and deleted before the platform heard of it: nothing to tell it.
            drop_rows_raw(tx, rows.iter().map(|r| r.id)).await?;
            sqlx::query("DELETE FROM customers WHERE id = ?").bind(customer_id).execute(&mut **tx).await?;
            return Ok(Freeze::Settled);
        }
        None => (create_change(&keeper.change_id, c), true),
        Some(_) if merged.is_empty() => {
            drop_rows_raw(tx, rows.iter().map(|r| r.id)).await?;
            return Ok(Freeze::Settled);
        }
        Some(remote_id) => {
            let change = Change {
                change_id: keeper.change_id.clone(),
                customer_id: Some(remote_id.clone()),
                email: c.values.email.clone(),
                base_updated_at: merged.base.or(c.remote_updated_at),
                set: merged.set.clone(),
                add_tags: merged.add_tags.clone(),
                remove_tags: merged.remove_tags.clone(),
                delete: merged.delete,
            };
            (change, false)
        }
    };
    sqlx::query(
        "UPDATE outbox SET payload = ?, is_create = ?, set_fields = ?, add_tags = ?, remove_tags = ?,
            base_updated_at = ?, is_delete = ?, email = ?, sent_at = ? WHERE id = ?",
    )
    .bind(serde_json::to_string(&change).unwrap_or_default())
    .bind(is_create)
    .bind(Value::Object(merged.set.clone()).to_string())
    .bind(serde_json::to_string(&merged.add_tags).unwrap_or_default())
    .bind(serde_json::to_string(&merged.remove_tags).unwrap_or_default())
    .bind(change.base_updated_at)
    .bind(merged.delete)
    .bind(&change.email)
    .bind(now)
    .bind(keeper.id)
    .execute(&mut **tx)
    .await?;
    drop_rows_raw(tx, others).await?;
    Ok(Freeze::Send(Prepared { outbox_id: keeper.id, customer_id: Some(customer_id), is_create, change }))
}

/// A row whose contact is gone locally: a delete of a platform record, or nothing to send.
async fn freeze_orphan_raw(tx: &mut Tx<'_>, store_pk: i64, r: &OutboxRow, now: i64) -> Result<Freeze> {
    match (&r.remote_id, r.is_delete) {
        (Some(remote_id), true) => {
            let change = Change {
                change_id: r.change_id.clone(),
                customer_id: Some(remote_id.clone()),
                email: r.email.clone(),
                base_updated_at: r.base_updated_at,
                set: Map::new(),
                add_tags: Vec::new(),
                remove_tags: Vec::new(),
                delete: true,
            };
            sqlx::query("UPDATE outbox SET payload = ?, sent_at = ? WHERE id = ?")
                .bind(serde_json::to_string(&change).unwrap_or_default())
                .bind(now)
                .bind(r.id)
                .execute(&mut **tx)
                .await?;
            Ok(Freeze::Send(Prepared { outbox_id: r.id, customer_id: None, is_create: false, change }))
        }
        (None, true) => {
            // Deleted before its first push. If its create is in flight, wait for the platform's answer
            // (which gives this delete the platform id); otherwise there is nothing to tell the platform.
            let create_in_flight: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM outbox WHERE store_pk = ? AND is_create = 1 AND state = 'pending'
                   AND payload IS NOT NULL AND lower(trim(email)) = ? LIMIT 1",
            )
            .bind(store_pk)
            .bind(normalize_email(&r.email))
            .fetch_optional(&mut **tx)
            .await?;
            if create_in_flight.is_some() {
                return Ok(Freeze::Waiting);
            }
            drop_rows_raw(tx, [r.id]).await?;
            Ok(Freeze::Settled)
        }
        // An edit of a contact deleted since: the delete supersedes it.
        (_, false) => {
            drop_rows_raw(tx, [r.id]).await?;
            Ok(Freeze::Settled)
        }
    }
}

pub(crate) async fn drop_rows_raw(tx: &mut Tx<'_>, ids: impl IntoIterator<Item = i64>) -> Result<()> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query("DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))")
        .bind(serde_json::to_string(&ids).unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A pending change as the user sees it (mine, in a conflict or a rejection).
pub(crate) fn describe_row(set_fields: &str, add_tags: &str, remove_tags: &str, is_delete: bool) -> Value {
    let row = OutboxRow {
        set_fields: set_fields.to_string(),
        add_tags: add_tags.to_string(),
        remove_tags: remove_tags.to_string(),
        is_delete,
        ..OutboxRow::default()
    };
    let m = merge(&[&row]);
    serde_json::json!({"set": m.set, "addTags": m.add_tags, "removeTags": m.remove_tags, "delete": m.delete})
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(id: i64, set: Value, add: &[&str], remove: &[&str], base: Option<i64>) -> OutboxRow {
        OutboxRow {
            id,
            change_id: format!("c{id}"),
            customer_id: Some(1),
            email: "a@x.co".into(),
            base_updated_at: base,
            set_fields: set.to_string(),
            add_tags: json!(add).to_string(),
            remove_tags: json!(remove).to_string(),
            ..OutboxRow::default()
        }
    }

    #[test]
    fn merge_folds_edits_in_order() {
        let a = row(1, json!({"name": "First", "total_spent_cents": 1250}), &["vip"], &[], Some(100));
        let b = row(2, json!({"name": "Second", "opens_email": 1}), &["edm"], &["VIP"], Some(200));
        let c = row(3, json!({"custom.instrument": "bass"}), &["vip"], &["edm"], None);
        let m = merge(&[&a, &b, &c]);
        assert_eq!(m.set.get("name"), Some(&json!("Second")), "the later value of a field wins");
        assert_eq!(m.set.get("totalSpent"), Some(&json!(12.5)), "local cents become contract dollars");
        assert_eq!(m.set.get("opensEmail"), Some(&json!(true)));
        assert!(!m.set.contains_key("custom.instrument"), "local-only fields are not sent");
        assert_eq!(m.add_tags, vec!["vip".to_string()], "add after remove adds");
        assert_eq!(m.remove_tags, vec!["edm".to_string()], "remove after add removes");
        assert_eq!(m.base, Some(100), "the earliest edit's base guards every field");
        assert!(!m.is_empty());
        assert!(merge(&[&row(4, json!({}), &[], &[], None)]).is_empty());
    }
}
