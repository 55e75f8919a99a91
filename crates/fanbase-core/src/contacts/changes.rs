//! Local edits recorded for sync: one outbox row per contact and edit, shaped as platform-api.md's
//! Change (a fresh UUID v4 `change_id` as idempotency key, `base_updated_at` = the contact's
//! `remote_updated_at`). Bulk edits go through a temporary target table and INSERT ... SELECT.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::{Error, Result};

/// Who made an edit; stored with each outbox row so sync and the UI never echo each other's writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    #[default]
    Ui,
    Cli,
    Import,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Ui => "ui",
            Origin::Cli => "cli",
            Origin::Import => "import",
        }
    }
}

/// Records a field edit of one contact: `set` holds platform field names and values.
pub(crate) async fn record_set_raw(
    conn: &mut SqliteConnection,
    customer_id: i64,
    set: &Map<String, Value>,
    origin: Origin,
    now: i64,
) -> Result<String> {
    let change_id = Uuid::new_v4().to_string();
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, set_fields, origin, created_at)
         SELECT ?, c.store_pk, c.id, c.email, c.remote_updated_at, ?, ?, ? FROM customers c WHERE c.id = ?",
    )
    .bind(&change_id)
    .bind(Value::Object(set.clone()).to_string())
    .bind(origin.as_str())
    .bind(now)
    .bind(customer_id)
    .execute(&mut *conn)
    .await?;
    Ok(change_id)
}

/// One contact's edit for [`record_changes_raw`]: platform field names and values, and tags added.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub customer_id: i64,
    pub set: Map<String, Value>,
    pub add_tags: Vec<String>,
}

/// Records many contacts' edits, one outbox row each, a few thousand per statement (an import's
/// updates of contacts that exist).
pub async fn record_changes_raw(
    conn: &mut SqliteConnection,
    changes: &[FieldChange],
    origin: Origin,
    now: i64,
) -> Result<()> {
    for chunk in changes.chunks(5_000) {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|c| {
                serde_json::json!({
                    "change_id": Uuid::new_v4().to_string(),
                    "id": c.customer_id,
                    "set": c.set,
                    "add": c.add_tags,
                })
            })
            .collect();
        sqlx::query(
            "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, set_fields, add_tags,
                                 origin, created_at)
             SELECT j.value ->> 'change_id', c.store_pk, c.id, c.email, c.remote_updated_at,
                    j.value -> 'set', j.value -> 'add', ?, ?
             FROM json_each(?) AS j JOIN customers c ON c.id = j.value ->> 'id' ORDER BY j.key",
        )
        .bind(origin.as_str())
        .bind(now)
        .bind(Value::Array(rows).to_string())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Empties (creating if needed) the connection's target table `temp.edit_targets`. The caller
/// then fills it with one `INSERT INTO temp.edit_targets (customer_id) SELECT ...`.
pub(crate) async fn clear_targets_raw(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "CREATE TEMP TABLE IF NOT EXISTS edit_targets (
             n INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL UNIQUE, change_id TEXT)",
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM temp.edit_targets").execute(&mut *conn).await?;
    Ok(())
}

/// For every contact in `temp.edit_targets`: one outbox row adding `add` and removing `remove`.
/// The contacts' rows are left as they are (tags live in `customer_tags`; rewriting 100,000 rows
/// just to touch `updated_at` would cost more than the whole edit). Returns the number of contacts.
pub(crate) async fn record_tag_changes_raw(
    conn: &mut SqliteConnection,
    add: &[&str],
    remove: &[&str],
    origin: Origin,
    now: i64,
) -> Result<u64> {
    let (count, first): (i64, i64) =
        sqlx::query_as("SELECT count(*), IFNULL(min(n), 1) FROM temp.edit_targets").fetch_one(&mut *conn).await?;
    if count == 0 {
        return Ok(0);
    }
    // One fresh UUID v4 per contact, bound as a single JSON array and matched to the targets by
    // position (the targets were numbered consecutively by their one INSERT).
    let keys: Vec<String> = (0..count).map(|_| Uuid::new_v4().to_string()).collect();
    let keys = serde_json::to_string(&keys).map_err(|e| Error::InvalidArgument(e.to_string()))?;
    let keyed = sqlx::query(
        "UPDATE temp.edit_targets SET change_id = k.value
         FROM json_each(?) AS k WHERE temp.edit_targets.n = k.key + ?",
    )
    .bind(keys)
    .bind(first)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if keyed != count as u64 {
        return Err(Error::InvalidArgument(format!(
            "internal: {keyed} of {count} edit targets got a change id; nothing was changed"
        )));
    }
    let json = |tags: &[&str]| Value::from(tags.to_vec()).to_string();
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, add_tags, remove_tags,
                             origin, created_at)
         SELECT t.change_id, c.store_pk, c.id, c.email, c.remote_updated_at, ?, ?, ?, ?
         FROM temp.edit_targets t JOIN customers c ON c.id = t.customer_id ORDER BY t.n",
    )
    .bind(json(add))
    .bind(json(remove))
    .bind(origin.as_str())
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(count as u64)
}
