//! Shared test setup: a real SQLite file in a temp dir with store "s1", and fixture paths.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use fanbase_core::contacts::{self, Contact};
use fanbase_core::{stores, Db};
use fanbase_import::{Options, Report};

/// The clock of every import in these tests.
pub const NOW: i64 = 1_750_000_000_000;

pub struct Env {
    pub dir: tempfile::TempDir,
    pub db: Db,
}

pub async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("fans.db")).await.unwrap();
    stores::add(&db, "s1", "Beat Academy", 1).await.unwrap();
    Env { dir, db }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

pub async fn import(db: &Db, path: &Path, opts: &Options) -> Report {
    import_to(db, "s1", path, opts).await
}

pub async fn import_to(db: &Db, store: &str, path: &Path, opts: &Options) -> Report {
    let never = AtomicBool::new(false);
    let report = fanbase_import::run(db, store, path, opts, |_| {}, &never, NOW).await.unwrap();
    let c = report.counts;
    assert_eq!(
        c.inserted + c.updated + c.unchanged + c.duplicates_in_file + c.rejected,
        c.rows_read,
        "every row must end as exactly one outcome: {c:?}"
    );
    report
}

pub async fn import_fixture(db: &Db, name: &str) -> Report {
    import(db, &fixture(name), &Options::default()).await
}

pub async fn show(db: &Db, email: &str) -> Contact {
    show_in(db, "s1", email).await
}

pub async fn show_in(db: &Db, store: &str, email: &str) -> Contact {
    contacts::show(db, store, email).await.unwrap().unwrap_or_else(|| panic!("{email} should exist in {store}"))
}

pub async fn count(db: &Db) -> i64 {
    contacts::count(db, "s1").await.unwrap()
}

/// Milliseconds of a UTC date-time written as "YYYY-MM-DD HH:MM:SS".
pub fn ms(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_millis()
}

/// (line, column, reason) of every listed error.
pub fn errors(r: &Report) -> Vec<(u64, Option<String>, String)> {
    r.errors.iter().map(|e| (e.line, e.column.clone(), e.reason.clone())).collect()
}
