//! Changes that wait for the user: conflicts (the platform changed the same field, or deleted the
//! contact) resolved "keep mine" or "keep theirs", and rejected changes with the platform's message.
//! Both are outbox rows (state `conflict` / `rejected`); their id is the outbox row id.

use fanbase_core::Db;
use serde::Serialize;
use serde_json::Value;
use sqlx::Row;

use crate::apply::{apply_customers_raw, Tx};
use crate::outbox::describe_row;
use crate::wire::Customer;
use crate::{Error, Result};

/// Which side wins a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// Re-send my change on top of the platform's current version (re-create it if deleted there).
    Mine,
    /// Take the platform's version and drop my change.
    Theirs,
}

impl Keep {
    pub fn parse(text: &str) -> Result<Keep> {
        match text.trim() {
            "mine" => Ok(Keep::Mine),
            "theirs" => Ok(Keep::Theirs),
            other => Err(Error::Local(fanbase_core::Error::InvalidArgument(format!(
                "keep must be `mine` or `theirs`, not {other:?}"
            )))),
        }
    }
}

/// A change waiting for the user.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Waiting {
    /// Pass this to `resolve` or `dismiss`.
    pub id: i64,
    pub store_id: String,
    /// The local contact, if it still exists.
    pub contact_id: Option<i64>,
    pub email: String,
    /// `conflict` or `rejected`.
    pub state: String,
    /// For conflicts: `edit` (the same field changed on the platform) or `deleted` (deleted there).
    pub kind: String,
    /// My change: `{set, addTags, removeTags, delete}` in contract names.
    pub mine: Value,
    /// The platform's record when the answer carried it.
    pub theirs: Option<Value>,
    /// The platform's message (why it conflicted or was rejected).
    pub message: String,
    pub created_at: i64,
}

/// Conflicts and rejected changes, oldest first, of one store or all.
pub async fn list(db: &Db, store_id: Option<&str>) -> Result<Vec<Waiting>> {
    let rows = sqlx::query(
        "SELECT o.id, s.id, o.customer_id, o.email, o.state, o.set_fields, o.add_tags, o.remove_tags, o.is_delete,
                o.theirs, o.message, o.created_at
         FROM outbox o JOIN stores s ON s.pk = o.store_pk
         WHERE o.state IN ('conflict', 'rejected') AND (?1 IS NULL OR s.id = ?1)
         ORDER BY o.id",
    )
    .bind(store_id)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let theirs: Option<Value> = r.get::<Option<String>, _>(9).and_then(|t| serde_json::from_str(&t).ok());
            let deleted = theirs.as_ref().is_some_and(|t| t.get("deletedAt").is_some_and(|d| !d.is_null()));
            let state: String = r.get(4);
            Waiting {
                id: r.get(0),
                store_id: r.get(1),
                contact_id: r.get(2),
                email: r.get(3),
                kind: if state == "rejected" {
                    "rejected"
                } else if deleted {
                    "deleted"
                } else {
                    "edit"
                }
                .to_string(),
                state,
                mine: describe_row(&r.get::<String, _>(5), &r.get::<String, _>(6), &r.get::<String, _>(7), r.get(8)),
                theirs,
                message: r.get(10),
                created_at: r.get(11),
            }
        })
        .collect())
}

struct Parked {
    store_pk: i64,
    customer_id: Option<i64>,
    state: String,
    theirs: Option<Customer>,
}

async fn parked_raw(tx: &mut Tx<'_>, id: i64) -> Result<Parked> {
    let row = sqlx::query(
        "SELECT store_pk, customer_id, state, theirs FROM outbox WHERE id = ? AND state IN ('conflict', 'rejected')",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(Error::NoSuchConflict(id))?;
    Ok(Parked {
        store_pk: row.get(0),
        customer_id: row.get(1),
        state: row.get(2),
        theirs: row.get::<Option<String>, _>(3).and_then(|t| serde_json::from_str(&t).ok()),
    })
}

/// Resolves conflict `id`. "Keep mine" makes the change pending again with the platform's current
/// `updatedAt` as its base and a new changeId (a contact deleted on the platform is re-created);
/// "keep theirs" takes the platform's record and drops the change. Sent by the next sync.
pub async fn resolve(db: &Db, id: i64, keep: Keep, now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    let p = parked_raw(&mut tx, id).await?;
    if p.state != "conflict" {
        return Err(Error::Local(fanbase_core::Error::InvalidArgument(format!(
            "change {id} was rejected, not in conflict: dismiss it (`fanbase conflicts dismiss {id}`) and edit again"
        ))));
    }
    let deleted_there = p.theirs.as_ref().is_some_and(|t| t.deleted_at.is_some());
    match (keep, deleted_there) {
        (Keep::Mine, false) => {
            sqlx::query(
                "UPDATE outbox SET state = 'pending', change_id = ?, payload = NULL, base_updated_at = ?, theirs = NULL,
                    message = '', sent_at = NULL WHERE id = ?",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(p.theirs.as_ref().map(|t| t.updated_at))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        (Keep::Mine, true) => {
            // Re-create: the contact becomes never-pushed again; its changes fold into one create.
            if let Some(cid) = p.customer_id {
                sqlx::query("UPDATE customers SET remote_id = NULL, remote_updated_at = NULL WHERE id = ?")
                    .bind(cid)
                    .execute(&mut *tx)
                    .await?;
            }
            let rows: Vec<i64> = match p.customer_id {
                Some(cid) => {
                    sqlx::query_scalar("SELECT id FROM outbox WHERE customer_id = ? AND state = 'conflict'")
                        .bind(cid)
                        .fetch_all(&mut *tx)
                        .await?
                }
                None => vec![id],
            };
            for row in rows {
                sqlx::query(
                    "UPDATE outbox SET state = 'pending', change_id = ?, payload = NULL, base_updated_at = NULL,
                        theirs = NULL, message = '', sent_at = NULL, is_delete = 0 WHERE id = ?",
                )
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(row)
                .execute(&mut *tx)
                .await?;
            }
        }
        (Keep::Theirs, true) => {
            match p.customer_id {
                Some(cid) => {
                    sqlx::query("DELETE FROM outbox WHERE customer_id = ? AND state = 'conflict'")
                        .bind(cid)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM customers WHERE id = ?").bind(cid).execute(&mut *tx).await?;
                }
                None => {
                    sqlx::query("DELETE FROM outbox WHERE id = ?").bind(id).execute(&mut *tx).await?;
                }
            };
        }
        (Keep::Theirs, false) => drop_and_take_theirs_raw(&mut tx, id, &p, now).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// Drops rejected change `id`; the contact takes the platform's record when the answer carried one.
pub async fn dismiss(db: &Db, id: i64, now: i64) -> Result<()> {
    let mut tx = db.pool().begin().await?;
    let p = parked_raw(&mut tx, id).await?;
    if p.state != "rejected" {
        return Err(Error::Local(fanbase_core::Error::InvalidArgument(format!(
            "change {id} is a conflict: resolve it with --keep mine or --keep theirs"
        ))));
    }
    drop_and_take_theirs_raw(&mut tx, id, &p, now).await?;
    tx.commit().await?;
    Ok(())
}

async fn drop_and_take_theirs_raw(tx: &mut Tx<'_>, id: i64, p: &Parked, now: i64) -> Result<()> {
    sqlx::query("DELETE FROM outbox WHERE id = ?").bind(id).execute(&mut **tx).await?;
    if let (Some(theirs), Some(_)) = (&p.theirs, p.customer_id) {
        apply_customers_raw(tx, p.store_pk, std::slice::from_ref(theirs), true, now).await?;
    }
    Ok(())
}
