//! One import from start to end: the parser runs on a blocking thread and hands batches to the
//! loader, which applies them in ONE transaction (committed at the end, rolled back on cancel,
//! error or dry run), reporting progress after each batch.

use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use fanbase_core::{stores, Db};
use serde::{Deserialize, Serialize};
use sqlx::{Connection as _, SqliteConnection};

use crate::bulk;
use crate::load::{Counts, Loader, Settings};
use crate::mapping::MapOverride;
use crate::merge::OnExisting;
use crate::parse::{Item, Parser};
use crate::report::{self, NewReport, Report};
use crate::value::MAX_TAG_CHARS;
use crate::{Error, Result};

/// Rows the parser hands over at a time.
const BATCH_ROWS: usize = 2_000;
/// Page cache of a bulk import (KiB) while it loads rows. Measured on 1,000,000 rows: peak RSS
/// 220 MB with the default 64 MiB cache.
const BULK_CACHE_KIB: i64 = 40 * 1024;

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Compute the exact same report, then roll everything back.
    pub dry_run: bool,
    pub on_existing: OnExisting,
    /// Overrides of the automatic mapping.
    pub map: Vec<MapOverride>,
    /// Tags added to every imported contact.
    pub tags: Vec<String>,
}

/// Where the import stands, sent after each batch (for a progress bar: rows, percent, rate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Progress {
    pub phase: Phase,
    pub bytes_read: u64,
    pub total_bytes: u64,
    #[serde(flatten)]
    pub counts: Counts,
    pub elapsed_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reading and applying rows.
    Reading,
    /// Every row is applied; the search entries and indexes are being written and the transaction
    /// committed.
    Finishing,
}

struct Batch {
    items: Vec<Item>,
    bytes_read: u64,
}

/// Imports `path` into store `store_id`. Every row of the file is accounted for in the report.
/// `progress` is called after each batch; setting `cancel` stops the import and leaves the
/// database as it was (`Error::Cancelled`). `now` stamps the created and updated contacts.
pub async fn run(
    db: &Db,
    store_id: &str,
    path: &Path,
    opts: &Options,
    mut progress: impl FnMut(Progress) + Send,
    cancel: &AtomicBool,
    now: i64,
) -> Result<Report> {
    let started = Instant::now();
    let store_pk = stores::pk(db, store_id).await?;
    let extra_tags = check_tags(&opts.tags)?;
    let file = File::open(path).map_err(|source| Error::Read { path: path.display().to_string(), source })?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    let parser = Parser::new(file, &opts.map).map_err(|e| name_path(e, path))?;
    let preamble = parser.preamble().clone();
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());

    let (tx_batches, rx_batches) = tokio::sync::mpsc::channel::<Batch>(2);
    let reader = tokio::task::spawn_blocking(move || read_batches(parser, tx_batches));

    let mut conn = db.pool().acquire().await?;
    let bulk = bulk::worth_it(&mut conn, total_bytes).await?;
    // A bulk import sorts its index keys at the end; with temp_store=MEMORY the sorter would hold
    // them all in RAM, on disk it keeps one cache_size worth. The page cache is made smaller too,
    // so that the import stays under its memory budget. Both are restored whatever happens below.
    let temp_store: i64 = sqlx::query_scalar("PRAGMA temp_store").fetch_one(&mut *conn).await?;
    let cache_size: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut *conn).await?;
    // Every reference the import writes is one it has just read or made inside its transaction
    // (its store, the tags it looked up or created, the contacts it inserted), so SQLite's
    // foreign-key look-ups per written row are left out (in one pair of runs on 1,000,000 rows: the
    // tag links 3.0 -> 1.2 s, the updates 1.1 -> 0.5 s). Restored below as well.
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await?;
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
    if bulk {
        sqlx::query("PRAGMA temp_store = FILE").execute(&mut *conn).await?;
        sqlx::query(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB}")).execute(&mut *conn).await?;
    }
    let job = Job { store_id, store_pk, opts, extra_tags, file_name, preamble, total_bytes, bulk, started, now };
    let result = apply(&mut conn, job, rx_batches, reader, &mut progress, cancel).await;
    sqlx::query(&format!("PRAGMA foreign_keys = {foreign_keys}")).execute(&mut *conn).await?;
    if bulk {
        sqlx::query(&format!("PRAGMA temp_store = {temp_store}")).execute(&mut *conn).await?;
        sqlx::query(&format!("PRAGMA cache_size = {cache_size}")).execute(&mut *conn).await?;
    }
    result
}

struct Job<'a> {
    store_id: &'a str,
    store_pk: i64,
    opts: &'a Options,
    extra_tags: Vec<String>,
    file_name: String,
    preamble: crate::parse::Preamble,
    total_bytes: u64,
    bulk: bool,
    started: Instant,
    now: i64,
}

type Reader = tokio::task::JoinHandle<Result<(&'static str, Vec<String>)>>;

/// The transaction: report row, batches, index rebuild, commit (or rollback for a dry run).
async fn apply(
    conn: &mut SqliteConnection,
    job: Job<'_>,
    mut rx_batches: tokio::sync::mpsc::Receiver<Batch>,
    reader: Reader,
    progress: &mut (impl FnMut(Progress) + Send),
    cancel: &AtomicBool,
) -> Result<Report> {
    let Job { store_id, store_pk, opts, extra_tags, file_name, preamble, total_bytes, bulk, started, now } = job;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    let report_id = report::create_raw(
        &mut tx,
        &NewReport {
            store_pk,
            file_name: &file_name,
            format: preamble.format.name(),
            encoding: preamble.encoding,
            delimiter: &preamble.delimiter,
            options: serde_json::to_string(opts).expect("options serialize"),
            headers: &preamble.headers,
            started_at: now,
        },
    )
    .await?;
    let settings = Settings {
        store_pk,
        report_id,
        on_existing: opts.on_existing,
        extra_tags,
        default_source: preamble.format.source(),
        now,
    };
    let mut loader = Loader::start(&mut tx, settings).await?;
    let set_aside = if bulk { Some(bulk::set_aside(&mut tx).await?) } else { None };
    if opts.dry_run {
        bulk::skip_derived_tables(&mut tx).await?;
    } else {
        bulk::defer_search_entries(&mut tx, loader.first_new_id()).await?;
    }

    let mut bytes_read = 0;
    let elapsed = || started.elapsed().as_millis() as u64;
    while let Some(batch) = rx_batches.recv().await {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        bytes_read = batch.bytes_read;
        for item in batch.items {
            loader.push(item);
            if loader.should_flush() {
                loader.flush(&mut tx).await?;
            }
        }
        let counts = loader.counts;
        progress(Progress { phase: Phase::Reading, bytes_read, total_bytes, counts, elapsed_ms: elapsed() });
    }
    let (encoding, warnings) =
        reader.await.map_err(|e| Error::Parse { line: 0, message: format!("the reader stopped: {e}") })??;
    loader.flush(&mut tx).await?;
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    progress(Progress {
        phase: Phase::Finishing,
        bytes_read,
        total_bytes,
        counts: loader.counts,
        elapsed_ms: elapsed(),
    });
    if !opts.dry_run {
        bulk::write_search_entries(&mut tx, loader.first_new_id()).await?;
    }
    if let Some(set_aside) = set_aside.filter(|_| !opts.dry_run) {
        set_aside.put_back(&mut tx).await?;
    }
    let mut report = Report {
        id: (!opts.dry_run).then_some(report_id),
        store_id: store_id.to_string(),
        file_name,
        dry_run: opts.dry_run,
        format: preamble.format.name().to_string(),
        encoding: encoding.to_string(),
        delimiter: preamble.delimiter,
        counts: loader.counts,
        errors: std::mem::take(&mut loader.errors),
        warnings,
        started_at: now,
        elapsed_ms: 0,
    };
    report.elapsed_ms = elapsed();
    report::finish_raw(&mut tx, report_id, &report).await?;
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    if opts.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    report.elapsed_ms = elapsed();
    Ok(report)
}

/// The parser's loop, on a blocking thread. Stops early when the loader hangs up.
fn read_batches(
    mut parser: Parser<File>,
    out: tokio::sync::mpsc::Sender<Batch>,
) -> Result<(&'static str, Vec<String>)> {
    loop {
        let mut items = Vec::with_capacity(BATCH_ROWS);
        let mut done = false;
        while items.len() < BATCH_ROWS {
            match parser.next_item()? {
                Some(item) => items.push(item),
                None => {
                    done = true;
                    break;
                }
            }
        }
        if out.blocking_send(Batch { items, bytes_read: parser.bytes_read() }).is_err() || done {
            return Ok(parser.finish());
        }
    }
}

fn check_tags(tags: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() || t.chars().count() > MAX_TAG_CHARS {
            return Err(Error::Core(fanbase_core::Error::InvalidArgument(format!(
                "--tag {t:?}: a tag needs 1 to {MAX_TAG_CHARS} characters"
            ))));
        }
        crate::value::add_tag(&mut out, t);
    }
    Ok(out)
}

/// Parser errors say "the file"; the import knows its path.
fn name_path(e: Error, path: &Path) -> Error {
    match e {
        Error::Read { source, .. } => Error::Read { path: path.display().to_string(), source },
        other => other,
    }
}
