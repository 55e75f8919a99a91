//! A store's tags: the list with exact counts, rename, merge, delete with undo, and adding or
//! removing a tag on chosen contacts or on everything a filter matches. Every change to a contact's
//! tags is recorded in the outbox (one Change per contact) in the same transaction.

use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, SqliteConnection, Transaction};

use crate::contacts::changes as changes_raw;
use crate::contacts::filter::{self, Bind, ContactFilter, Sql};
use crate::contacts::plan;
use crate::contacts::Origin;
use crate::text::{normalize_email, normalize_tag};
use crate::{stores, Db, Error, Result};

/// Longest tag name accepted, in characters.
pub const MAX_TAG_CHARS: usize = 100;
/// How many deletions per store stay undoable (older ones are forgotten).
pub const UNDO_DEPTH: i64 = 20;

/// A tag and the exact number of the store's contacts that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagCount {
    pub name: String,
    pub count: i64,
}

/// Which contacts a bulk tag change applies to. JSON: `{"ids": [1, 2]}`, `{"emails": ["a@b.c"]}`
/// or `{"matching": {ContactFilter}}` (every fan the filter matches, however many).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // one short-lived value per bulk change
pub enum Target {
    Ids(Vec<i64>),
    Emails(Vec<String>),
    Matching(ContactFilter),
}

/// The outcome of adding or removing a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tagged {
    pub tag: String,
    /// Contacts whose tags changed (one outbox row each).
    pub changed: u64,
    /// Target emails (normalised) or ids with no contact in this store.
    pub not_found: Vec<String>,
}

/// The outcome of a rename or merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    /// Contacts that had `from` (one outbox row each).
    pub contacts: u64,
}

/// A deletion that can be undone with `undo_delete(.., Some(deletion_id), ..)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deleted {
    pub deletion_id: i64,
    pub tag: String,
    pub contacts: u64,
}

/// Every tag of the store by name, with exact counts.
pub async fn list(db: &Db, store_id: &str) -> Result<Vec<TagCount>> {
    let store_pk = stores::pk(db, store_id).await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.name, (SELECT count(*) FROM customer_tags ct WHERE ct.tag_id = t.id)
         FROM tags t WHERE t.store_pk = ? ORDER BY t.name_norm",
    )
    .bind(store_pk)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(name, count)| TagCount { name, count }).collect())
}

/// Adds `tag` (created if new) to the target contacts that lack it.
pub async fn add(db: &Db, store_id: &str, tag: &str, target: &Target, origin: Origin, now: i64) -> Result<Tagged> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let tagged = add_raw(&mut tx, store_pk, tag, target, origin, now).await?;
    tx.commit().await?;
    Ok(tagged)
}

/// `add` inside the caller's transaction.
pub async fn add_raw(
    tx: &mut Transaction<'_, Sqlite>,
    store_pk: i64,
    tag: &str,
    target: &Target,
    origin: Origin,
    now: i64,
) -> Result<Tagged> {
    let name = clean_name(tag)?;
    let tag_id = ensure_tag(tx, store_pk, &name).await?;
    let display = tag_name(tx, tag_id).await?;
    let not_found = fill_targets(tx, store_pk, target, "AND NOT EXISTS", tag_id).await?;
    sqlx::query("INSERT INTO customer_tags (customer_id, tag_id) SELECT customer_id, ? FROM temp.edit_targets")
        .bind(tag_id)
        .execute(&mut **tx)
        .await?;
    let changed = changes_raw::record_tag_changes_raw(tx, &[&display], &[], origin, now).await?;
    Ok(Tagged { tag: display, changed, not_found })
}

/// Removes `tag` from the target contacts that have it. The tag itself stays (count may reach 0).
pub async fn remove(db: &Db, store_id: &str, tag: &str, target: &Target, origin: Origin, now: i64) -> Result<Tagged> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let tagged = remove_raw(&mut tx, store_pk, tag, target, origin, now).await?;
    tx.commit().await?;
    Ok(tagged)
}

/// `remove` inside the caller's transaction.
pub async fn remove_raw(
    tx: &mut Transaction<'_, Sqlite>,
    store_pk: i64,
    tag: &str,
    target: &Target,
    origin: Origin,
    now: i64,
) -> Result<Tagged> {
    let tag_id = existing_tag(tx, store_pk, tag).await?;
    let display = tag_name(tx, tag_id).await?;
    let not_found = fill_targets(tx, store_pk, target, "AND EXISTS", tag_id).await?;
    sqlx::query(
        "DELETE FROM customer_tags WHERE tag_id = ? AND customer_id IN (SELECT customer_id FROM temp.edit_targets)",
    )
    .bind(tag_id)
    .execute(&mut **tx)
    .await?;
    let changed = changes_raw::record_tag_changes_raw(tx, &[], &[&display], origin, now).await?;
    Ok(Tagged { tag: display, changed, not_found })
}

/// Renames a tag (a change of case only is allowed). Refuses a name another tag has: use `merge`.
pub async fn rename(db: &Db, store_id: &str, from: &str, to: &str, origin: Origin, now: i64) -> Result<Renamed> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let tag_id = existing_tag(&mut tx, store_pk, from).await?;
    let old = tag_name(&mut tx, tag_id).await?;
    let new = clean_name(to)?;
    if old == new {
        return Ok(Renamed { from: old, to: new, contacts: 0 });
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM tags WHERE store_pk = ? AND name_norm = ? AND id <> ?")
        .bind(store_pk)
        .bind(normalize_tag(&new))
        .bind(tag_id)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(Error::InvalidArgument(format!(
            "a tag named {new:?} already exists: merge {old:?} into it instead (`fanbase tags merge`)"
        )));
    }
    members_as_targets(&mut tx, tag_id).await?;
    sqlx::query("UPDATE tags SET name = ?, name_norm = ? WHERE id = ?")
        .bind(&new)
        .bind(normalize_tag(&new))
        .bind(tag_id)
        .execute(&mut *tx)
        .await?;
    let contacts = changes_raw::record_tag_changes_raw(&mut tx, &[&new], &[&old], origin, now).await?;
    tx.commit().await?;
    Ok(Renamed { from: old, to: new, contacts })
}

/// Moves every contact of tag `from` to tag `into` (both must exist) and deletes `from`.
pub async fn merge(db: &Db, store_id: &str, from: &str, into: &str, origin: Origin, now: i64) -> Result<Renamed> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let from_id = existing_tag(&mut tx, store_pk, from).await?;
    let into_id = existing_tag(&mut tx, store_pk, into).await?;
    if from_id == into_id {
        return Err(Error::InvalidArgument(format!("{from:?} and {into:?} are the same tag: nothing to merge")));
    }
    let (old, new) = (tag_name(&mut tx, from_id).await?, tag_name(&mut tx, into_id).await?);
    members_as_targets(&mut tx, from_id).await?;
    sqlx::query(
        "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id) SELECT customer_id, ? FROM temp.edit_targets",
    )
    .bind(into_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM tags WHERE id = ?").bind(from_id).execute(&mut *tx).await?;
    let contacts = changes_raw::record_tag_changes_raw(&mut tx, &[&new], &[&old], origin, now).await?;
    tx.commit().await?;
    Ok(Renamed { from: old, to: new, contacts })
}

/// Deletes a tag from every contact and from the list, remembering exactly who had it for undo.
pub async fn delete(db: &Db, store_id: &str, tag: &str, origin: Origin, now: i64) -> Result<Deleted> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let tag_id = existing_tag(&mut tx, store_pk, tag).await?;
    let name = tag_name(&mut tx, tag_id).await?;
    let deletion_id: i64 =
        sqlx::query_scalar("INSERT INTO tag_deletions (store_pk, name, deleted_at) VALUES (?, ?, ?) RETURNING id")
            .bind(store_pk)
            .bind(&name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
    sqlx::query(
        "INSERT INTO tag_deletion_members (deletion_id, customer_id)
         SELECT ?, customer_id FROM customer_tags WHERE tag_id = ?",
    )
    .bind(deletion_id)
    .bind(tag_id)
    .execute(&mut *tx)
    .await?;
    members_as_targets(&mut tx, tag_id).await?;
    sqlx::query("DELETE FROM tags WHERE id = ?").bind(tag_id).execute(&mut *tx).await?;
    let contacts = changes_raw::record_tag_changes_raw(&mut tx, &[], &[&name], origin, now).await?;
    sqlx::query(
        "DELETE FROM tag_deletions WHERE store_pk = ?1
           AND id NOT IN (SELECT id FROM tag_deletions WHERE store_pk = ?1 ORDER BY id DESC LIMIT ?2)",
    )
    .bind(store_pk)
    .bind(UNDO_DEPTH)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Deleted { deletion_id, tag: name, contacts })
}

/// Undoes a deletion (the store's latest when `deletion_id` is `None`): the tag comes back on
/// exactly the contacts that had it and still exist. Returns how many got it back.
pub async fn undo_delete(
    db: &Db,
    store_id: &str,
    deletion_id: Option<i64>,
    origin: Origin,
    now: i64,
) -> Result<Tagged> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let found: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM tag_deletions WHERE store_pk = ? AND (? IS NULL OR id = ?) ORDER BY id DESC LIMIT 1",
    )
    .bind(store_pk)
    .bind(deletion_id)
    .bind(deletion_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (deletion_id, name) = found.ok_or_else(|| {
        Error::InvalidArgument("there is no tag deletion to undo in this store (or it was already undone)".into())
    })?;
    let tag_id = ensure_tag(&mut tx, store_pk, &name).await?;
    let display = tag_name(&mut tx, tag_id).await?;
    changes_raw::clear_targets_raw(&mut tx).await?;
    sqlx::query(
        "INSERT INTO temp.edit_targets (customer_id)
         SELECT m.customer_id FROM tag_deletion_members m WHERE m.deletion_id = ?
           AND NOT EXISTS (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = m.customer_id AND ct.tag_id = ?)
         ORDER BY m.customer_id",
    )
    .bind(deletion_id)
    .bind(tag_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO customer_tags (customer_id, tag_id) SELECT customer_id, ? FROM temp.edit_targets")
        .bind(tag_id)
        .execute(&mut *tx)
        .await?;
    let changed = changes_raw::record_tag_changes_raw(&mut tx, &[&display], &[], origin, now).await?;
    sqlx::query("DELETE FROM tag_deletions WHERE id = ?").bind(deletion_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(Tagged { tag: display, changed, not_found: Vec::new() })
}

/// Fills `temp.edit_targets` with the target fans of the store for which
/// `{presence} (customer has tag_id)` holds, and reports targets that are no fan of the store.
async fn fill_targets(
    tx: &mut Transaction<'_, Sqlite>,
    store_pk: i64,
    target: &Target,
    presence: &str,
    tag_id: i64,
) -> Result<Vec<String>> {
    changes_raw::clear_targets_raw(tx).await?;
    let mut sql = Sql::default();
    sql.push("INSERT INTO temp.edit_targets (customer_id) SELECT c.id");
    let mut not_found = Vec::new();
    match target {
        Target::Ids(ids) => {
            let json = serde_json::to_string(ids).map_err(|e| Error::InvalidArgument(e.to_string()))?;
            sql.push(" FROM customers c WHERE c.store_pk = ?").bind(Bind::Int(store_pk));
            sql.push(" AND c.id IN (SELECT value FROM json_each(?))").bind(Bind::Text(json.clone()));
            not_found = sqlx::query_scalar(
                "SELECT CAST(j.value AS TEXT) FROM json_each(?) j
                 WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = j.value AND c.store_pk = ?)",
            )
            .bind(json)
            .bind(store_pk)
            .fetch_all(&mut **tx)
            .await?;
        }
        Target::Emails(emails) => {
            let norms: Vec<String> = emails.iter().map(|e| normalize_email(e)).collect();
            let json = serde_json::to_string(&norms).map_err(|e| Error::InvalidArgument(e.to_string()))?;
            sql.push(" FROM customers c WHERE c.store_pk = ?").bind(Bind::Int(store_pk));
            sql.push(" AND c.email_norm IN (SELECT value FROM json_each(?))").bind(Bind::Text(json.clone()));
            not_found = sqlx::query_scalar(
                "SELECT DISTINCT j.value FROM json_each(?) j
                 WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.store_pk = ? AND c.email_norm = j.value)",
            )
            .bind(json)
            .bind(store_pk)
            .fetch_all(&mut **tx)
            .await?;
        }
        Target::Matching(f) => {
            let compiled = filter::compile(tx, store_pk, f).await?;
            if compiled.never {
                return Ok(not_found);
            }
            sql.append(&plan::all_from(tx, store_pk, &compiled, plan::Caps::default()).await?);
        }
    }
    sql.push(format!(
        " {presence} (SELECT 1 FROM customer_tags ct WHERE ct.customer_id = c.id AND ct.tag_id = ?) ORDER BY c.id"
    ))
    .bind(Bind::Int(tag_id));
    sqlx::query_with(&sql.text, sql.arguments()?).execute(&mut **tx).await?;
    Ok(not_found)
}

/// Fills `temp.edit_targets` with every contact that has `tag_id`.
async fn members_as_targets(conn: &mut SqliteConnection, tag_id: i64) -> Result<()> {
    changes_raw::clear_targets_raw(conn).await?;
    sqlx::query(
        "INSERT INTO temp.edit_targets (customer_id)
         SELECT customer_id FROM customer_tags WHERE tag_id = ? ORDER BY customer_id",
    )
    .bind(tag_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Trims and checks a tag name given by the user.
fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::InvalidArgument("a tag needs a name: it cannot be empty".into()));
    }
    if name.chars().count() > MAX_TAG_CHARS || name.chars().any(char::is_control) {
        return Err(Error::InvalidArgument(format!(
            "a tag name has at most {MAX_TAG_CHARS} characters and no control characters"
        )));
    }
    Ok(name.to_string())
}

/// The id of the store's tag named `name` (case-insensitively), creating it with this spelling.
async fn ensure_tag(conn: &mut SqliteConnection, store_pk: i64, name: &str) -> Result<i64> {
    sqlx::query("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        .bind(store_pk)
        .bind(name)
        .bind(normalize_tag(name))
        .execute(&mut *conn)
        .await?;
    existing_tag(conn, store_pk, name).await
}

/// The id of the store's tag named `name` (case-insensitively), or an error naming it.
async fn existing_tag(conn: &mut SqliteConnection, store_pk: i64, name: &str) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM tags WHERE store_pk = ? AND name_norm = ?")
        .bind(store_pk)
        .bind(normalize_tag(name))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            Error::InvalidArgument(format!("there is no tag {name:?} in this store: see `fanbase tags list`"))
        })
}

async fn tag_name(conn: &mut SqliteConnection, tag_id: i64) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT name FROM tags WHERE id = ?").bind(tag_id).fetch_one(&mut *conn).await?)
}
