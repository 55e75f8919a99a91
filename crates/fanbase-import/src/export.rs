//! Export of a store's contacts as CSV that this importer reads back losslessly (same contacts,
//! fields, custom fields and tags), streamed in pages, with cells that a spreadsheet would run as
//! a formula escaped by a leading `'` (which the importer removes again).

use std::borrow::Cow;
use std::io::Write;

use chrono::{DateTime, SecondsFormat};
use fanbase_core::contacts::filter::Bind;
use fanbase_core::contacts::FanCondition;
use fanbase_core::{stores, Db};
use sqlx::Row as _;

use crate::field::{Kind, FIELDS};
use crate::{Error, Result};

/// Contacts read per query.
const PAGE: i64 = 5_000;

/// The export's header: `email`, every field by its snake_case name, `tags`, `custom` (JSON).
pub fn header() -> Vec<&'static str> {
    let mut h = vec!["email"];
    h.extend(FIELDS.iter().map(|f| f.name()));
    h.extend(["tags", "custom"]);
    h
}

/// A cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a spreadsheet
/// shows it as text instead of running it.
pub fn escape_formula(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Milliseconds since the epoch as ISO 8601 in UTC with milliseconds; 0 (never) as blank.
fn time_cell(ms: i64) -> String {
    if ms == 0 {
        return String::new();
    }
    DateTime::from_timestamp_millis(ms).map(|d| d.to_rfc3339_opts(SecondsFormat::Millis, true)).unwrap_or_default()
}

fn money_cell(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// Tags joined by ", ", quoting any tag that holds a comma or a quote.
fn tags_cell(tags: &[String]) -> String {
    tags.iter()
        .map(|t| if t.contains([',', '"']) { format!("\"{}\"", t.replace('"', "\"\"")) } else { t.clone() })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes every contact of the store as CSV to `out`; returns how many.
pub async fn export(db: &Db, store_id: &str, out: impl Write) -> Result<u64> {
    export_where(db, store_id, None, out).await
}

/// Like [`export`], only the contacts `only` matches (a compiled segment) when given.
pub async fn export_where(db: &Db, store_id: &str, only: Option<&FanCondition>, out: impl Write) -> Result<u64> {
    let store_pk = stores::pk(db, store_id).await?;
    let write_err = |e: csv::Error| Error::Write { path: "the export".into(), source: e.into() };
    let mut w = csv::Writer::from_writer(out);
    w.write_record(header()).map_err(write_err)?;
    let columns: Vec<&str> = FIELDS.iter().map(|f| f.column()).collect();
    let sql = format!(
        "SELECT c.id, c.email, {}, c.custom,
            (SELECT json_group_array(name) FROM
                (SELECT t.name FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
                 WHERE ct.customer_id = c.id ORDER BY t.name_norm)) AS tags
         FROM customers c WHERE c.store_pk = ? AND c.id > ? AND ({}) ORDER BY c.id LIMIT ?",
        columns.iter().map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", "),
        only.map_or("1", |o| o.sql.as_str()),
    );
    let mut after = 0i64;
    let mut written = 0u64;
    loop {
        let mut q = sqlx::query(&sql).bind(store_pk).bind(after);
        for b in only.map_or(&[][..], |o| o.binds.as_slice()) {
            q = match b {
                Bind::Int(n) => q.bind(*n),
                Bind::Text(s) => q.bind(s.clone()),
            };
        }
        let rows = q.bind(PAGE).fetch_all(db.pool()).await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get("id")?;
        for row in &rows {
            let mut record: Vec<String> = vec![row.try_get("email")?];
            for f in FIELDS {
                let cell = match f.kind() {
                    Kind::Text | Kind::Type | Kind::Status => row.try_get::<String, _>(f.column())?,
                    Kind::Bool => (row.try_get::<i64, _>(f.column())? != 0).to_string(),
                    Kind::Int => row.try_get::<i64, _>(f.column())?.to_string(),
                    Kind::Money => money_cell(row.try_get(f.column())?),
                    Kind::Date => time_cell(row.try_get(f.column())?),
                };
                record.push(cell);
            }
            let tags: Vec<String> = serde_json::from_str(&row.try_get::<String, _>("tags")?).unwrap_or_default();
            record.push(tags_cell(&tags));
            let custom: String = row.try_get("custom")?;
            record.push(if custom.trim() == "{}" { String::new() } else { custom });
            w.write_record(record.iter().map(|c| escape_formula(c).into_owned())).map_err(write_err)?;
            written += 1;
        }
    }
    w.flush().map_err(|e| Error::Write { path: "the export".into(), source: e })?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_escaped_and_the_importer_undoes_it() {
        for cell in ["=1+1", "+1555", "-5", "@SUM(A1)", "\tx", "\rx"] {
            let escaped = escape_formula(cell);
            assert!(escaped.starts_with('\''), "{cell:?} must be escaped");
            assert_eq!(crate::value::unescape_formula(&escaped), cell);
        }
        assert_eq!(escape_formula("ana@x.io"), "ana@x.io");
    }

    #[test]
    fn cells_are_what_the_importer_reads() {
        assert_eq!(money_cell(123_450), "1234.50");
        assert_eq!(crate::value::parse_money(&money_cell(5)), Ok(5));
        assert_eq!(time_cell(0), "");
        assert_eq!(crate::value::parse_date(&time_cell(1_704_067_200_123)), Ok(1_704_067_200_123));
        let mut tags = Vec::new();
        crate::value::split_tags(
            &tags_cell(&["rock, pop".into(), "say \"hi\"".into(), "edm".into()]),
            &[","],
            &mut tags,
        )
        .unwrap();
        assert_eq!(tags, ["rock, pop", "say \"hi\"", "edm"]);
    }
}
