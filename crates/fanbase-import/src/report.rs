//! Import reports: the accounting of every row, kept in the database with the rejected rows, read
//! back later, and the rejected rows written as a CSV to fix and import again.

use std::io::Write;

use fanbase_core::{stores, Db};
use serde::Serialize;
use sqlx::{Row as _, SqliteConnection};

use crate::load::{Counts, MAX_LISTED_ERRORS};
use crate::mapping::REJECT_REASON_HEADER;
use crate::record::Rejection;
use crate::{export, Error, Result};

/// The outcome of an import (or of a dry run, which has no `id`). JSON field names are a contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The saved report's id; `None` for a dry run (nothing is saved).
    pub id: Option<i64>,
    pub store_id: String,
    pub file_name: String,
    pub dry_run: bool,
    pub format: String,
    pub encoding: String,
    pub delimiter: String,
    #[serde(flatten)]
    pub counts: Counts,
    /// Rejected rows (the first 10,000; the database keeps all of them).
    pub errors: Vec<Rejection>,
    pub warnings: Vec<String>,
    pub started_at: i64,
    pub elapsed_ms: u64,
}

/// What a report row is created with, before any row is read.
pub(crate) struct NewReport<'a> {
    pub store_pk: i64,
    pub file_name: &'a str,
    pub format: &'a str,
    pub encoding: &'a str,
    pub delimiter: &'a str,
    pub options: String,
    pub headers: &'a [String],
    pub started_at: i64,
}

pub(crate) async fn create_raw(conn: &mut SqliteConnection, r: &NewReport<'_>) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO import_reports (store_pk, file_name, format, encoding, delimiter, options, headers, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(r.store_pk)
    .bind(r.file_name)
    .bind(r.format)
    .bind(r.encoding)
    .bind(r.delimiter)
    .bind(&r.options)
    .bind(serde_json::to_string(r.headers).expect("strings serialize"))
    .bind(r.started_at)
    .fetch_one(&mut *conn)
    .await?)
}

pub(crate) async fn finish_raw(conn: &mut SqliteConnection, id: i64, report: &Report) -> Result<()> {
    let c = &report.counts;
    sqlx::query(
        "UPDATE import_reports SET encoding = ?, rows_read = ?, inserted = ?, updated = ?, unchanged = ?,
         duplicates_in_file = ?, rejected = ?, warnings = ?, elapsed_ms = ? WHERE id = ?",
    )
    .bind(&report.encoding)
    .bind(c.rows_read as i64)
    .bind(c.inserted as i64)
    .bind(c.updated as i64)
    .bind(c.unchanged as i64)
    .bind(c.duplicates_in_file as i64)
    .bind(c.rejected as i64)
    .bind(serde_json::to_string(&report.warnings).expect("strings serialize"))
    .bind(report.elapsed_ms as i64)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

const REPORT_COLUMNS: &str = "r.id, s.id AS store_id, r.file_name, r.format, r.encoding, r.delimiter, r.rows_read,
    r.inserted, r.updated, r.unchanged, r.duplicates_in_file, r.rejected, r.warnings, r.started_at, r.elapsed_ms";

fn report_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Report> {
    let n = |name: &str| -> Result<u64> { Ok(row.try_get::<i64, _>(name)? as u64) };
    let warnings: String = row.try_get("warnings")?;
    Ok(Report {
        id: Some(row.try_get("id")?),
        store_id: row.try_get("store_id")?,
        file_name: row.try_get("file_name")?,
        dry_run: false,
        format: row.try_get("format")?,
        encoding: row.try_get("encoding")?,
        delimiter: row.try_get("delimiter")?,
        counts: Counts {
            rows_read: n("rows_read")?,
            inserted: n("inserted")?,
            updated: n("updated")?,
            unchanged: n("unchanged")?,
            duplicates_in_file: n("duplicates_in_file")?,
            rejected: n("rejected")?,
        },
        errors: Vec::new(),
        warnings: serde_json::from_str(&warnings).unwrap_or_default(),
        started_at: row.try_get("started_at")?,
        elapsed_ms: n("elapsed_ms")?,
    })
}

/// A saved report with its rejected rows (the first 10,000).
pub async fn load(db: &Db, id: i64) -> Result<Report> {
    let sql =
        format!("SELECT {REPORT_COLUMNS} FROM import_reports r JOIN stores s ON s.pk = r.store_pk WHERE r.id = ?");
    let row = sqlx::query(&sql).bind(id).fetch_optional(db.pool()).await?.ok_or(Error::ReportNotFound(id))?;
    let mut report = report_from_row(&row)?;
    let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
        "SELECT line, column_name, reason, cells FROM import_rejected_rows WHERE report_id = ? ORDER BY line LIMIT ?",
    )
    .bind(id)
    .bind(MAX_LISTED_ERRORS as i64)
    .fetch_all(db.pool())
    .await?;
    report.errors = rows
        .into_iter()
        .map(|(line, column, reason, cells)| Rejection {
            line: line as u64,
            column,
            reason,
            cells: serde_json::from_str(&cells).unwrap_or_default(),
        })
        .collect();
    Ok(report)
}

/// A store's saved reports, newest first, without their rejected rows.
pub async fn list(db: &Db, store_id: &str) -> Result<Vec<Report>> {
    let store_pk = stores::pk(db, store_id).await?;
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM import_reports r JOIN stores s ON s.pk = r.store_pk
         WHERE r.store_pk = ? ORDER BY r.id DESC"
    );
    let rows = sqlx::query(&sql).bind(store_pk).fetch_all(db.pool()).await?;
    rows.iter().map(report_from_row).collect()
}

/// Writes the rejected rows of report `id` as CSV: a first column with the line and the reason
/// (a re-import ignores it), then the file's own header and cells. Returns the number of rows.
pub async fn write_rejected_csv(db: &Db, id: i64, out: impl Write) -> Result<u64> {
    let headers: String = sqlx::query_scalar("SELECT headers FROM import_reports WHERE id = ?")
        .bind(id)
        .fetch_optional(db.pool())
        .await?
        .ok_or(Error::ReportNotFound(id))?;
    let headers: Vec<String> = serde_json::from_str(&headers).unwrap_or_default();
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let write_err = |e: csv::Error| Error::Write { path: "the rejected-rows file".into(), source: e.into() };
    let mut header = vec![REJECT_REASON_HEADER.to_string()];
    header.extend(headers);
    w.write_record(&header).map_err(write_err)?;
    let mut written = 0u64;
    let mut after = 0i64;
    loop {
        let rows: Vec<(i64, Option<String>, String, String)> = sqlx::query_as(
            "SELECT line, column_name, reason, cells FROM import_rejected_rows
             WHERE report_id = ? AND line > ? ORDER BY line LIMIT 5000",
        )
        .bind(id)
        .bind(after)
        .fetch_all(db.pool())
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        for (line, column, reason, cells) in &rows {
            let cells: Vec<String> = serde_json::from_str(cells).unwrap_or_default();
            let place = column.as_ref().map_or(format!("line {line}"), |c| format!("line {line}, {c}"));
            let mut record = vec![export::escape_formula(&format!("{place}: {reason}")).into_owned()];
            record.extend(cells.iter().map(|c| export::escape_formula(c).into_owned()));
            w.write_record(&record).map_err(write_err)?;
            written += 1;
        }
    }
    w.flush().map_err(|e| Error::Write { path: "the rejected-rows file".into(), source: e })?;
    Ok(written)
}
