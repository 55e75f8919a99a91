//! Who a campaign goes to: the whole list or a segment, always without suppressed fans
//! (unsubscribed, bounced, complained), who are counted instead. `filter` is the one place that
//! turns a campaign's recipients choice into SQL (segments compile with `fanbase-segments`).

use serde::Serialize;
use serde_json::Value;
use sqlx::sqlite::SqliteRow;
use sqlx::Row as _;

use crate::campaign::Campaign;
use crate::merge::{first_name_of, Fan};
use crate::{Error, Result};
use fanbase_core::Db;
use fanbase_segments::Segment;

/// Statuses that are never emailed.
pub const SUPPRESSED: [&str; 3] = ["unsubscribed", "bounced", "complained"];

/// The recipients choice: a SQL condition on `customers c` with its bound values.
#[derive(Debug, Clone)]
pub struct Filter {
    sql: String,
    binds: Vec<Value>,
}

/// How many fans the campaign reaches, and how many it leaves out and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Exactly the fans who will get the email.
    pub recipients: i64,
    /// Fans of the list or segment left out because they are suppressed.
    pub suppressed: i64,
    pub unsubscribed: i64,
    pub bounced: i64,
    pub complained: i64,
}

/// The recipients choice of `campaign`: its inline `segment`, its saved `segment_name` (built-in
/// or saved with `fanbase segments save`), or the whole list when it names none.
pub async fn filter(db: &Db, store_id: &str, campaign: &Campaign, now: i64) -> Result<Filter> {
    let segment = match (&campaign.segment, &campaign.segment_name) {
        (None, None) => return Ok(Filter { sql: "1".into(), binds: Vec::new() }),
        (Some(json), _) => Segment::from_json(json).map_err(|e| Error::Segments(e.into()))?,
        (None, Some(name)) => fanbase_segments::saved::find(db, store_id, name).await?.segment,
    };
    let compiled = fanbase_segments::compile(&segment, now);
    Ok(Filter { sql: compiled.where_sql, binds: compiled.binds })
}

const FAN_COLUMNS: &str = "c.id, c.remote_id, c.email, c.name, c.first_name, c.daw, c.type_of_music, \
     c.student_level, c.status, c.custom, \
     (SELECT json_group_array(t.name_norm) FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id \
      WHERE ct.customer_id = c.id) AS tags";

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    filter: &'q Filter,
) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
    for v in &filter.binds {
        q = match v {
            Value::String(s) => q.bind(s.as_str()),
            Value::Number(n) => match n.as_i64() {
                Some(i) => q.bind(i),
                None => q.bind(n.as_f64()),
            },
            Value::Bool(b) => q.bind(*b),
            Value::Null => q.bind(Option::<i64>::None),
            other => q.bind(other.to_string()),
        };
    }
    q
}

/// Exact counts of recipients and of suppressed fans left out.
pub async fn counts(db: &Db, store_pk: i64, filter: &Filter) -> Result<Counts> {
    let sql = format!(
        "SELECT COUNT(*) FILTER (WHERE c.status = 'active'),
                COUNT(*) FILTER (WHERE c.status = 'unsubscribed'),
                COUNT(*) FILTER (WHERE c.status = 'bounced'),
                COUNT(*) FILTER (WHERE c.status = 'complained')
         FROM customers c WHERE c.store_pk = ? AND ({})",
        filter.sql
    );
    let row = bind_all(sqlx::query(&sql).bind(store_pk), filter).fetch_one(db.pool()).await?;
    let (recipients, unsubscribed, bounced, complained): (i64, i64, i64, i64) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
    Ok(Counts { recipients, suppressed: unsubscribed + bounced + complained, unsubscribed, bounced, complained })
}

/// The exact counts of `campaign`'s recipients choice, without rendering anything (so they show
/// even while a template has an error).
pub async fn count(db: &Db, store_id: &str, campaign: &Campaign, now: i64) -> Result<Counts> {
    let (store_pk, _) = crate::drafts::store(db, store_id).await?;
    let filter = filter(db, store_id, campaign, now).await?;
    counts(db, store_pk, &filter).await
}

/// How many recipients have no value for each of `fields` (`first_name`, `custom.level`, ...).
pub async fn missing(db: &Db, store_pk: i64, filter: &Filter, fields: &[String]) -> Result<Vec<i64>> {
    if fields.is_empty() {
        return Ok(Vec::new());
    }
    let mut binds = Vec::new();
    let exprs: Vec<String> = fields
        .iter()
        .map(|f| match f.as_str() {
            // first_name falls back to the first word of name (see merge::first_name_of).
            "first_name" => {
                "COUNT(*) FILTER (WHERE trim(c.first_name) = '' AND (trim(c.name) = '' OR instr(c.name, '@') > 0))"
                    .into()
            }
            "name" => "COUNT(*) FILTER (WHERE trim(c.name) = '')".into(),
            "daw" => "COUNT(*) FILTER (WHERE trim(c.daw) = '')".into(),
            "type_of_music" => "COUNT(*) FILTER (WHERE trim(c.type_of_music) = '')".into(),
            "student_level" => "COUNT(*) FILTER (WHERE trim(c.student_level) = '')".into(),
            other => {
                let key = other.strip_prefix("custom.").unwrap_or(other);
                binds.push(format!("$.\"{}\"", key.replace('"', "")));
                "COUNT(*) FILTER (WHERE trim(IFNULL(json_extract(c.custom, ?), '')) = '')".into()
            }
        })
        .collect();
    let sql = format!(
        "SELECT {} FROM customers c WHERE c.store_pk = ? AND c.status = 'active' AND ({})",
        exprs.join(", "),
        filter.sql
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.as_str());
    }
    let row = bind_all(q.bind(store_pk), filter).fetch_one(db.pool()).await?;
    (0..fields.len()).map(|i| row.try_get::<i64, _>(i).map_err(Error::from)).collect()
}

/// A page of recipients in email order, after `after_email` (a normalized email) when given.
pub async fn page(db: &Db, store_pk: i64, filter: &Filter, after_email: Option<&str>, limit: i64) -> Result<Vec<Fan>> {
    let sql = format!(
        "SELECT {FAN_COLUMNS} FROM customers c
         WHERE c.store_pk = ? AND c.status = 'active' AND c.email_norm > ? AND ({})
         ORDER BY c.email_norm LIMIT ?",
        filter.sql
    );
    let q = sqlx::query(&sql).bind(store_pk).bind(after_email.unwrap_or(""));
    let rows = bind_all(q, filter).bind(limit).fetch_all(db.pool()).await?;
    rows.iter().map(fan_from_row).collect()
}

/// The recipient just before `before_email` in email order.
pub async fn previous(db: &Db, store_pk: i64, filter: &Filter, before_email: &str) -> Result<Option<Fan>> {
    let sql = format!(
        "SELECT {FAN_COLUMNS} FROM customers c
         WHERE c.store_pk = ? AND c.status = 'active' AND c.email_norm < ? AND ({})
         ORDER BY c.email_norm DESC LIMIT 1",
        filter.sql
    );
    let row = bind_all(sqlx::query(&sql).bind(store_pk).bind(before_email), filter).fetch_optional(db.pool()).await?;
    row.as_ref().map(fan_from_row).transpose()
}

/// How many recipients come before `email_norm` in email order (a 0-based position).
pub async fn position(db: &Db, store_pk: i64, filter: &Filter, email_norm: &str) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM customers c
         WHERE c.store_pk = ? AND c.status = 'active' AND c.email_norm < ? AND ({})",
        filter.sql
    );
    Ok(bind_all(sqlx::query(&sql).bind(store_pk).bind(email_norm), filter).fetch_one(db.pool()).await?.try_get(0)?)
}

/// The recipient with this email, if the fan is in the audience and not suppressed.
pub async fn by_email(db: &Db, store_pk: i64, filter: &Filter, email: &str) -> Result<Option<Fan>> {
    let sql = format!(
        "SELECT {FAN_COLUMNS} FROM customers c
         WHERE c.store_pk = ? AND c.email_norm = ? AND c.status = 'active' AND ({})",
        filter.sql
    );
    let q = sqlx::query(&sql).bind(store_pk).bind(fanbase_core::text::normalize_email(email));
    let row = bind_all(q, filter).fetch_optional(db.pool()).await?;
    row.as_ref().map(fan_from_row).transpose()
}

/// A fan by id, whatever the status (the sender re-checks suppression itself).
pub async fn by_id(db: &Db, customer_id: i64) -> Result<Option<Fan>> {
    let sql = format!("SELECT {FAN_COLUMNS} FROM customers c WHERE c.id = ?");
    let row = sqlx::query(&sql).bind(customer_id).fetch_optional(db.pool()).await?;
    row.as_ref().map(fan_from_row).transpose()
}

fn fan_from_row(row: &SqliteRow) -> Result<Fan> {
    let name: String = row.try_get("name")?;
    let first: String = row.try_get("first_name")?;
    let custom: String = row.try_get("custom")?;
    let tags: String = row.try_get("tags")?;
    Ok(Fan {
        customer_id: row.try_get("id")?,
        remote_id: row.try_get("remote_id")?,
        email: row.try_get("email")?,
        first_name: first_name_of(&first, &name),
        name,
        daw: row.try_get("daw")?,
        type_of_music: row.try_get("type_of_music")?,
        student_level: row.try_get("student_level")?,
        status: row.try_get("status")?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        custom: serde_json::from_str(&custom).unwrap_or_default(),
    })
}
