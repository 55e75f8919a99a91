//! SQL writes of platform customers into `customers` and `customer_tags`: new records and tag
//! lists are buffered and written a page at a time (multi-row INSERTs, one `json_each` statement for
//! the tag pairs) instead of a round trip per row; updates go row by row with one fixed statement.

use std::collections::{BTreeSet, HashMap};

use fanbase_core::text::{normalize_email, normalize_tag};
use serde_json::{json, Map, Value};
use sqlx::{QueryBuilder, Sqlite};

use crate::apply::Tx;
use crate::fields::{Field, Values};
use crate::wire::Customer;
use crate::Result;

/// Buffered writes of one page; `flush_raw` before any write that depends on them (deletes).
pub(crate) struct Writes<'p> {
    page: &'p [Customer],
    store_pk: i64,
    inserts: Vec<(usize, Vec<String>)>,
    retags: Vec<(i64, Vec<String>)>,
    tags: TagIds,
}

impl<'p> Writes<'p> {
    pub(crate) async fn new(tx: &mut Tx<'_>, page: &'p [Customer], store_pk: i64) -> Result<Writes<'p>> {
        Ok(Writes { page, store_pk, inserts: Vec::new(), retags: Vec::new(), tags: TagIds::load(tx, store_pk).await? })
    }

    /// A new record (page index) with its tags.
    pub(crate) fn insert(&mut self, remote: usize, tags: Vec<String>) {
        self.inserts.push((remote, tags));
    }

    /// The full tag list of an existing row.
    pub(crate) fn retag(&mut self, id: i64, tags: Vec<String>) {
        self.retags.push((id, tags));
    }

    pub(crate) async fn flush_raw(&mut self, tx: &mut Tx<'_>) -> Result<()> {
        let mut pairs: Vec<(i64, Vec<String>)> = std::mem::take(&mut self.retags);
        if !pairs.is_empty() {
            let ids: Vec<i64> = pairs.iter().map(|p| p.0).collect();
            sqlx::query("DELETE FROM customer_tags WHERE customer_id IN (SELECT value FROM json_each(?))")
                .bind(json!(ids).to_string())
                .execute(&mut **tx)
                .await?;
        }
        let inserts = std::mem::take(&mut self.inserts);
        if !inserts.is_empty() {
            let ids = insert_many_raw(tx, self.store_pk, inserts.iter().map(|(r, _)| &self.page[*r])).await?;
            for (remote, tags) in inserts {
                if let Some(id) = ids.get(&self.page[remote].id) {
                    pairs.push((*id, tags));
                }
            }
        }
        let mut rows: Vec<[i64; 2]> = Vec::new();
        for (id, tags) in pairs {
            for name in tags {
                rows.push([id, self.tags.id_raw(tx, &name).await?]);
            }
        }
        if !rows.is_empty() {
            sqlx::query(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id)
                 SELECT value ->> 0, value ->> 1 FROM json_each(?)",
            )
            .bind(json!(rows).to_string())
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }
}

/// Rows per multi-row INSERT: 23 columns × 100 rows stays well under SQLite's parameter limit.
const INSERT_CHUNK: usize = 100;

/// Inserts records with multi-row INSERTs (plain bound values: no JSON to parse); returns their
/// local ids by platform id.
async fn insert_many_raw<'a>(
    tx: &mut Tx<'_>,
    store_pk: i64,
    records: impl Iterator<Item = &'a Customer>,
) -> Result<HashMap<String, i64>> {
    let records: Vec<(&Customer, Values)> = records.map(|r| (r, Values::from_wire(r))).collect();
    let mut ids = HashMap::with_capacity(records.len());
    for chunk in records.chunks(INSERT_CHUNK) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO customers (store_pk, remote_id, admin_user_id, email, email_norm, name, first_name, last_name,
                type, source, total_spent_cents, score, daw, type_of_music, student_level, phone, opens_email,
                clicks_links, last_open_date, status, created_at, updated_at, remote_updated_at) ",
        );
        q.push_values(chunk, |mut b, (r, v)| {
            let (first, last) = split_name(&v.name);
            b.push_bind(store_pk)
                .push_bind(&r.id)
                .push_bind(&r.admin_user_id)
                .push_bind(&v.email)
                .push_bind(normalize_email(&v.email))
                .push_bind(&v.name)
                .push_bind(first)
                .push_bind(last)
                .push_bind(&v.kind)
                .push_bind(&v.source)
                .push_bind(v.total_spent_cents)
                .push_bind(v.score)
                .push_bind(&v.daw)
                .push_bind(&v.type_of_music)
                .push_bind(&v.student_level)
                .push_bind(&v.phone)
                .push_bind(v.opens_email)
                .push_bind(v.clicks_links)
                .push_bind(v.last_open_date)
                .push_bind(&v.status)
                .push_bind(if r.creation_time > 0 { r.creation_time } else { r.updated_at })
                .push_bind(r.updated_at)
                .push_bind(r.updated_at);
        });
        q.push(" RETURNING remote_id, id");
        let rows: Vec<(String, i64)> = q.build_query_as().fetch_all(&mut **tx).await?;
        ids.extend(rows);
    }
    Ok(ids)
}

/// `first last` from a full name: the first word and the rest.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    name.split_once(char::is_whitespace).map(|(f, l)| (f, l.trim())).unwrap_or((name, ""))
}

/// Takes the platform record into row `id`, except the fields in `keep`. One fixed statement: each
/// column is `CASE WHEN keep THEN column ELSE new END`.
pub(crate) async fn update_raw(tx: &mut Tx<'_>, id: i64, r: &Customer, keep: &BTreeSet<Field>) -> Result<()> {
    let v = Values::from_wire(r);
    let (first, last) = split_name(&v.name);
    let k = |f: Field| keep.contains(&f);
    sqlx::query(
        "UPDATE customers SET
            remote_id = ?, remote_updated_at = ?, admin_user_id = ?,
            email = CASE WHEN ? THEN email ELSE ? END,
            email_norm = CASE WHEN ? THEN email_norm ELSE ? END,
            first_name = CASE WHEN ? THEN first_name ELSE ? END,
            last_name = CASE WHEN ? THEN last_name ELSE ? END,
            name = CASE WHEN ? THEN name ELSE ? END,
            type = CASE WHEN ? THEN type ELSE ? END,
            source = CASE WHEN ? THEN source ELSE ? END,
            total_spent_cents = CASE WHEN ? THEN total_spent_cents ELSE ? END,
            score = CASE WHEN ? THEN score ELSE ? END,
            daw = CASE WHEN ? THEN daw ELSE ? END,
            type_of_music = CASE WHEN ? THEN type_of_music ELSE ? END,
            student_level = CASE WHEN ? THEN student_level ELSE ? END,
            phone = CASE WHEN ? THEN phone ELSE ? END,
            opens_email = CASE WHEN ? THEN opens_email ELSE ? END,
            clicks_links = CASE WHEN ? THEN clicks_links ELSE ? END,
            last_open_date = CASE WHEN ? THEN last_open_date ELSE ? END,
            status = CASE WHEN ? THEN status ELSE ? END,
            updated_at = MAX(updated_at, ?)
         WHERE id = ?",
    )
    .bind(&r.id)
    .bind(r.updated_at)
    .bind(&r.admin_user_id)
    .bind(k(Field::Email))
    .bind(&v.email)
    .bind(k(Field::Email))
    .bind(normalize_email(&v.email))
    .bind(k(Field::Name))
    .bind(first)
    .bind(k(Field::Name))
    .bind(last)
    .bind(k(Field::Name))
    .bind(&v.name)
    .bind(k(Field::Type))
    .bind(&v.kind)
    .bind(k(Field::Source))
    .bind(&v.source)
    .bind(k(Field::TotalSpent))
    .bind(v.total_spent_cents)
    .bind(k(Field::Score))
    .bind(v.score)
    .bind(k(Field::Daw))
    .bind(&v.daw)
    .bind(k(Field::TypeOfMusic))
    .bind(&v.type_of_music)
    .bind(k(Field::StudentLevel))
    .bind(&v.student_level)
    .bind(k(Field::Phone))
    .bind(&v.phone)
    .bind(k(Field::OpensEmail))
    .bind(v.opens_email)
    .bind(k(Field::ClicksLinks))
    .bind(v.clicks_links)
    .bind(k(Field::LastOpenDate))
    .bind(v.last_open_date)
    .bind(k(Field::Status))
    .bind(&v.status)
    .bind(r.updated_at)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Records a local change for the push (used for values that fill a platform record's gaps).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_change_raw(
    tx: &mut Tx<'_>,
    store_pk: i64,
    customer_id: i64,
    email: &str,
    base_updated_at: Option<i64>,
    set: &Map<String, Value>,
    add_tags: &[String],
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, set_fields, add_tags, origin,
            created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'import', ?)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(store_pk)
    .bind(customer_id)
    .bind(email.trim())
    .bind(base_updated_at)
    .bind(Value::Object(set.clone()).to_string())
    .bind(serde_json::to_string(add_tags).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The store's tag ids by normalised name, creating tags on first use.
struct TagIds {
    store_pk: i64,
    ids: HashMap<String, i64>,
}

impl TagIds {
    async fn load(tx: &mut Tx<'_>, store_pk: i64) -> Result<TagIds> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT name_norm, id FROM tags WHERE store_pk = ?")
            .bind(store_pk)
            .fetch_all(&mut **tx)
            .await?;
        Ok(TagIds { store_pk, ids: rows.into_iter().collect() })
    }

    async fn id_raw(&mut self, tx: &mut Tx<'_>, name: &str) -> Result<i64> {
        let norm = normalize_tag(name);
        if let Some(id) = self.ids.get(&norm) {
            return Ok(*id);
        }
        sqlx::query("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(self.store_pk)
            .bind(name.trim())
            .bind(&norm)
            .execute(&mut **tx)
            .await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM tags WHERE store_pk = ? AND name_norm = ?")
            .bind(self.store_pk)
            .bind(&norm)
            .fetch_one(&mut **tx)
            .await?;
        self.ids.insert(norm, id);
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(split_name(" Ana  de la Cruz "), ("Ana", "de la Cruz"));
        assert_eq!(split_name("Björk"), ("Björk", ""));
    }
}
