//! Applying parsed rows inside the import's transaction, in batches: rows with the same email are
//! folded together, existing contacts are looked up by (store, email) many at a time, and every
//! write is a multi-row statement. Every row is counted exactly once. What the import changes on
//! contacts that existed goes to the sync outbox (created contacts go up as creates).

use std::collections::hash_map::{DefaultHasher, Entry};
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use fanbase_core::contacts::{record_changes_raw, FieldChange, Origin};
use fanbase_core::text::normalize_tag;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Row as _, Sqlite, SqliteConnection};

use crate::field::{Kind, Val, Values, FIELDS};
use crate::merge::{self, Changed, Fields, OnExisting, Rule};
use crate::parse::Item;
use crate::record::{Candidate, Rejection};
use crate::Result;

/// Distinct emails gathered before they are written.
pub const FLUSH_ROWS: usize = 7_000;
/// Rows per multi-row INSERT/UPDATE: 22 columns × 1,400 rows stays under SQLite's 32,766 variables.
/// Fewer, larger statements also mean fewer flushes of the full-text index (one per statement).
const ROWS_PER_STATEMENT: usize = 1_400;
/// Rows per multi-row INSERT into customer_tags (2 columns). Statements of any other length
/// than these full sizes are not kept in the prepared-statement cache (each would hold memory), so
/// they are compiled again at every flush: this size keeps that remainder small.
const LINKS_PER_STATEMENT: usize = 2_000;
/// Emails per look-up query.
const EMAILS_PER_LOOKUP: usize = 5_000;
/// Rejected rows listed in the returned report (all of them are kept in the database).
pub const MAX_LISTED_ERRORS: usize = 10_000;

/// How the rows of a file ended. `inserted + updated + unchanged + duplicates_in_file + rejected
/// = rows_read`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub duplicates_in_file: u64,
    pub rejected: u64,
}

/// What the loader needs to know about the import.
#[derive(Debug, Clone)]
pub struct Settings {
    pub store_pk: i64,
    pub report_id: i64,
    pub on_existing: OnExisting,
    /// `--tag` values, added to every imported contact.
    pub extra_tags: Vec<String>,
    /// The `source` of created contacts when the file has none.
    pub default_source: String,
    pub now: i64,
}

struct Group {
    cand: Box<Candidate>,
    rows: u64,
}

/// A contact that existed before the import and that the file matched.
struct Touch {
    mask: u32,
    updated: bool,
}

struct NewContact {
    id: i64,
    email: String,
    email_norm: String,
    fields: Fields,
}

struct Stored {
    id: i64,
    fields: Fields,
    tag_ids: HashSet<i64>,
}

/// Accumulates rows and writes them batch by batch. `flush` must be called at the end.
pub struct Loader {
    s: Settings,
    first_new_id: i64,
    next_id: i64,
    store_was_empty: bool,
    /// 32-bit hashes of the emails created so far, when the store was empty: a miss needs no
    /// look-up; a hit (or a rare collision) is looked up by email, so the filter is exact.
    seen: HashSet<u32>,
    /// Fields given by the file for each created contact, indexed by `id - first_new_id`.
    created_masks: Vec<u32>,
    touched: HashMap<i64, Touch>,
    tag_ids: HashMap<String, i64>,
    extra_tag_ids: Vec<i64>,
    groups: Vec<Group>,
    index: HashMap<String, usize>,
    rejected: Vec<Rejection>,
    pub counts: Counts,
    pub errors: Vec<Rejection>,
}

impl Loader {
    /// Reads what the batches need to know: the next free id, whether the store is empty, its tags.
    pub async fn start(conn: &mut SqliteConnection, s: Settings) -> Result<Loader> {
        let first_new_id: i64 =
            sqlx::query_scalar("SELECT IFNULL(MAX(id), 0) + 1 FROM customers").fetch_one(&mut *conn).await?;
        let store_was_empty: bool =
            sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM customers WHERE store_pk = ?)")
                .bind(s.store_pk)
                .fetch_one(&mut *conn)
                .await?;
        let tag_ids: HashMap<String, i64> = sqlx::query_as("SELECT name_norm, id FROM tags WHERE store_pk = ?")
            .bind(s.store_pk)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .collect();
        let mut loader = Loader {
            first_new_id,
            next_id: first_new_id,
            store_was_empty,
            seen: HashSet::new(),
            created_masks: Vec::new(),
            touched: HashMap::new(),
            tag_ids,
            extra_tag_ids: Vec::new(),
            groups: Vec::new(),
            index: HashMap::new(),
            rejected: Vec::new(),
            counts: Counts::default(),
            errors: Vec::new(),
            s,
        };
        let extra = loader.s.extra_tags.clone();
        loader.ensure_tags(conn, extra.iter()).await?;
        loader.extra_tag_ids = extra.iter().map(|t| loader.tag_ids[&normalize_tag(t)]).collect();
        Ok(loader)
    }

    /// The id of the first contact this import creates (every one it creates has a higher id).
    pub fn first_new_id(&self) -> i64 {
        self.first_new_id
    }

    /// Takes one parsed row. Rows with an email already waiting are folded into it at once.
    pub fn push(&mut self, item: Item) {
        self.counts.rows_read += 1;
        match item {
            Item::Rejected(r) => {
                self.counts.rejected += 1;
                if self.errors.len() < MAX_LISTED_ERRORS {
                    self.errors.push(r.clone());
                }
                self.rejected.push(r);
            }
            Item::Row(c) => match self.index.get(&c.email_norm) {
                Some(&i) => {
                    self.groups[i].rows += 1;
                    self.groups[i].cand.absorb(*c);
                }
                None => {
                    self.index.insert(c.email_norm.clone(), self.groups.len());
                    self.groups.push(Group { cand: c, rows: 1 });
                }
            },
        }
    }

    pub fn should_flush(&self) -> bool {
        self.groups.len() >= FLUSH_ROWS || self.rejected.len() >= FLUSH_ROWS
    }

    /// Writes everything gathered so far.
    pub async fn flush(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        self.write_rejected(conn).await?;
        if self.groups.is_empty() {
            return Ok(());
        }
        let groups = std::mem::take(&mut self.groups);
        self.index.clear();
        self.ensure_tags(conn, groups.iter().flat_map(|g| g.cand.tags.iter())).await?;
        let need: Vec<&str> = groups
            .iter()
            .map(|g| g.cand.email_norm.as_str())
            .filter(|e| !self.store_was_empty || self.seen.contains(&hash(e)))
            .collect();
        let mut found = self.lookup(conn, &need).await?;

        let mut inserts: Vec<NewContact> = Vec::new();
        let mut updates: Vec<(i64, Fields)> = Vec::new();
        let mut links: Vec<(i64, i64)> = Vec::new();
        let mut changes: Vec<FieldChange> = Vec::new();
        for g in groups {
            let mut tag_ids: Vec<i64> = g.cand.tags.iter().map(|t| self.tag_ids[&normalize_tag(t)]).collect();
            tag_ids.extend(&self.extra_tag_ids);
            tag_ids.sort_unstable();
            tag_ids.dedup();
            let Some(mut stored) = found.remove(&g.cand.email_norm) else {
                let id = self.next_id;
                self.next_id += 1;
                let mut fields = merge::new_fields(&self.s.default_source, self.s.now);
                let mut mask = 0;
                merge::apply(&mut fields, &g.cand, Rule::Created, &mut mask);
                self.created_masks.push(mask);
                if self.store_was_empty {
                    self.seen.insert(hash(&g.cand.email_norm));
                }
                self.counts.inserted += 1;
                self.counts.duplicates_in_file += g.rows - 1;
                links.extend(tag_ids.iter().map(|t| (id, *t)));
                inserts.push(NewContact { id, email: g.cand.email, email_norm: g.cand.email_norm, fields });
                continue;
            };
            let id = stored.id;
            let created = id >= self.first_new_id;
            let (rule, mut mask, first) = if created {
                (Rule::Created, self.created_masks[(id - self.first_new_id) as usize], false)
            } else {
                match self.touched.entry(id) {
                    Entry::Occupied(e) => (Rule::Existing(self.s.on_existing), e.get().mask, false),
                    Entry::Vacant(e) => {
                        e.insert(Touch { mask: 0, updated: false });
                        (Rule::Existing(self.s.on_existing), 0, true)
                    }
                }
            };
            let fields_changed = merge::apply(&mut stored.fields, &g.cand, rule, &mut mask);
            let new_links: Vec<i64> = tag_ids.into_iter().filter(|t| !stored.tag_ids.contains(t)).collect();
            let changed = fields_changed.any() || !new_links.is_empty();
            links.extend(new_links.iter().map(|t| (id, *t)));
            if changed && !created {
                // A contact that existed: the platform learns of the change through the outbox.
                let change = self.field_change(id, fields_changed, &stored.fields.values, &g.cand.tags, &new_links);
                if !change.set.is_empty() || !change.add_tags.is_empty() {
                    changes.push(change);
                }
            }
            if changed {
                updates.push((id, stored.fields));
            }
            self.counts.duplicates_in_file += if first { g.rows - 1 } else { g.rows };
            if created {
                self.created_masks[(id - self.first_new_id) as usize] = mask;
                continue;
            }
            let touch = self.touched.get_mut(&id).expect("inserted above");
            touch.mask = mask;
            if first {
                touch.updated = changed;
                if changed {
                    self.counts.updated += 1;
                } else {
                    self.counts.unchanged += 1;
                }
            } else if changed && !touch.updated {
                touch.updated = true;
                self.counts.unchanged -= 1;
                self.counts.updated += 1;
            }
        }
        self.insert_contacts(conn, inserts).await?;
        self.update_contacts(conn, updates).await?;
        insert_links(conn, &links).await?;
        record_changes_raw(conn, &changes, Origin::Import, self.s.now).await?;
        Ok(())
    }

    /// What the import changed on a contact that existed, for sync: the synced fields whose value
    /// changed, by column and in local units (the push converts them to the contract), and the tags
    /// it added (first spelling in the file, then `--tag`).
    fn field_change(&self, id: i64, changed: Changed, after: &Values, tags: &[String], added: &[i64]) -> FieldChange {
        let set = FIELDS
            .into_iter()
            .filter(|f| f.synced() && changed.has(*f))
            .map(|f| (f.column().to_string(), after[f.index()].to_json()))
            .collect();
        let mut recorded: Vec<i64> = Vec::new();
        let mut add_tags: Vec<String> = Vec::new();
        for t in tags.iter().chain(&self.s.extra_tags) {
            let tag_id = self.tag_ids[&normalize_tag(t)];
            if added.contains(&tag_id) && !recorded.contains(&tag_id) {
                recorded.push(tag_id);
                add_tags.push(t.trim().to_string());
            }
        }
        FieldChange { customer_id: id, set, add_tags }
    }

    /// Gives every tag in `tags` an id, creating the store's missing tags (first spelling kept).
    async fn ensure_tags<'t>(
        &mut self,
        conn: &mut SqliteConnection,
        tags: impl Iterator<Item = &'t String>,
    ) -> Result<()> {
        let mut missing: Vec<(&str, String)> = Vec::new();
        for t in tags {
            let norm = normalize_tag(t);
            if !self.tag_ids.contains_key(&norm) && !missing.iter().any(|(_, n)| *n == norm) {
                missing.push((t.trim(), norm));
            }
        }
        for (name, norm) in missing {
            let id: i64 =
                sqlx::query_scalar("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) RETURNING id")
                    .bind(self.s.store_pk)
                    .bind(name)
                    .bind(&norm)
                    .fetch_one(&mut *conn)
                    .await?;
            self.tag_ids.insert(norm, id);
        }
        Ok(())
    }

    /// The store's contacts with these normalised emails, with their tag ids.
    async fn lookup(&self, conn: &mut SqliteConnection, emails: &[&str]) -> Result<HashMap<String, Stored>> {
        let mut found = HashMap::new();
        let columns: Vec<&str> = FIELDS.iter().map(|f| f.column()).collect();
        let sql = format!(
            "SELECT id, email_norm, {}, custom FROM customers
             WHERE store_pk = ? AND email_norm IN (SELECT value FROM json_each(?))",
            columns.join(", ")
        );
        for chunk in emails.chunks(EMAILS_PER_LOOKUP) {
            let list = serde_json::to_string(chunk).expect("strings serialize");
            let rows = sqlx::query(&sql).bind(self.s.store_pk).bind(list).fetch_all(&mut *conn).await?;
            for row in rows {
                let mut values = crate::field::blank_values();
                for (i, f) in FIELDS.iter().enumerate() {
                    values[i] = match f.kind() {
                        Kind::Text | Kind::Type | Kind::Status => Val::Text(row.try_get(i + 2)?),
                        _ => Val::Int(row.try_get(i + 2)?),
                    };
                }
                let custom: String = row.try_get(FIELDS.len() + 2)?;
                let custom: Map<String, Value> = serde_json::from_str(&custom).unwrap_or_default();
                let id: i64 = row.try_get(0)?;
                let email_norm: String = row.try_get(1)?;
                found.insert(email_norm, Stored { id, fields: Fields { values, custom }, tag_ids: HashSet::new() });
            }
        }
        if found.is_empty() {
            return Ok(found);
        }
        let by_id: HashMap<i64, String> = found.iter().map(|(e, s)| (s.id, e.clone())).collect();
        let ids: Vec<i64> = by_id.keys().copied().collect();
        for chunk in ids.chunks(EMAILS_PER_LOOKUP) {
            let list = serde_json::to_string(chunk).expect("ids serialize");
            let links: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT customer_id, tag_id FROM customer_tags WHERE customer_id IN (SELECT value FROM json_each(?))",
            )
            .bind(list)
            .fetch_all(&mut *conn)
            .await?;
            for (customer, tag) in links {
                if let Some(s) = by_id.get(&customer).and_then(|e| found.get_mut(e)) {
                    s.tag_ids.insert(tag);
                }
            }
        }
        Ok(found)
    }

    async fn insert_contacts(&self, conn: &mut SqliteConnection, rows: Vec<NewContact>) -> Result<()> {
        let columns: Vec<&str> = FIELDS.iter().map(|f| f.column()).collect();
        let head = format!(
            "INSERT INTO customers (id, store_pk, email, email_norm, {}, custom, updated_at) ",
            columns.join(", ")
        );
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<NewContact> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
            let full = chunk.len() == ROWS_PER_STATEMENT;
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(&head);
            // Owned values are bound by move: sqlx copies borrowed text once more.
            q.push_values(chunk, |mut b, c| {
                b.push_bind(c.id).push_bind(self.s.store_pk).push_bind(c.email).push_bind(c.email_norm);
                bind_fields(&mut b, c.fields);
                b.push_bind(self.s.now);
            });
            q.build().persistent(full).execute(&mut *conn).await?;
        }
        Ok(())
    }

    async fn update_contacts(&self, conn: &mut SqliteConnection, rows: Vec<(i64, Fields)>) -> Result<()> {
        let columns: Vec<&str> = FIELDS.iter().map(|f| f.column()).collect();
        let n = columns.len();
        let targets = columns.join(", ");
        let sources: Vec<String> = (2..n + 4).map(|i| format!("v.column{i}")).collect();
        let head = format!("UPDATE customers SET ({targets}, custom, updated_at) = ({}) FROM (", sources.join(", "));
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk: Vec<(i64, Fields)> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
            let full = chunk.len() == ROWS_PER_STATEMENT;
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(&head);
            q.push_values(chunk, |mut b, (id, fields)| {
                b.push_bind(id);
                bind_fields(&mut b, fields);
                b.push_bind(self.s.now);
            });
            q.push(") AS v WHERE customers.id = v.column1");
            q.build().persistent(full).execute(&mut *conn).await?;
        }
        Ok(())
    }

    async fn write_rejected(&mut self, conn: &mut SqliteConnection) -> Result<()> {
        let rejected = std::mem::take(&mut self.rejected);
        for chunk in rejected.chunks(ROWS_PER_STATEMENT) {
            let mut q: QueryBuilder<Sqlite> =
                QueryBuilder::new("INSERT INTO import_rejected_rows (report_id, line, column_name, reason, cells) ");
            q.push_values(chunk, |mut b, r| {
                b.push_bind(self.s.report_id)
                    .push_bind(r.line as i64)
                    .push_bind(r.column.as_deref())
                    .push_bind(r.reason.as_str())
                    .push_bind(serde_json::to_string(&r.cells).expect("strings serialize"));
            });
            q.build().persistent(chunk.len() == ROWS_PER_STATEMENT).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// Binds every field value, then the custom fields as JSON text.
fn bind_fields(b: &mut sqlx::query_builder::Separated<'_, '_, Sqlite, &'static str>, fields: Fields) {
    for v in fields.values {
        match v {
            Val::Text(s) => b.push_bind(s),
            Val::Int(n) => b.push_bind(n),
        };
    }
    b.push_bind(Value::Object(fields.custom).to_string());
}

async fn insert_links(conn: &mut SqliteConnection, links: &[(i64, i64)]) -> Result<()> {
    for chunk in links.chunks(LINKS_PER_STATEMENT) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO customer_tags (customer_id, tag_id) ");
        q.push_values(chunk, |mut b, (c, t)| {
            b.push_bind(*c).push_bind(*t);
        });
        q.push(" ON CONFLICT DO NOTHING");
        q.build().persistent(chunk.len() == LINKS_PER_STATEMENT).execute(&mut *conn).await?;
    }
    Ok(())
}

fn hash(email_norm: &str) -> u32 {
    let mut h = DefaultHasher::new();
    email_norm.hash(&mut h);
    h.finish() as u32
}
