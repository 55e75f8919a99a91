//! CSV import commands: preview a file, run an import or a dry run with progress streamed over a
//! `Channel`, cancel it, and save a report's rejected rows. The domain work is `fanbase_import`.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use fanbase_core::{now_ms, Db};
use fanbase_import::{MapOverride, Options, Preview, Progress, Report};
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};

/// The cancel flags of the imports (and dry runs) in flight, by the job id the window chose.
#[derive(Default)]
pub struct ImportJobs(Mutex<HashMap<u32, Arc<AtomicBool>>>);

impl ImportJobs {
    fn start(&self, job: u32) -> Arc<AtomicBool> {
        let flag = Arc::new(AtomicBool::new(false));
        self.0.lock().expect("import jobs lock").insert(job, flag.clone());
        flag
    }

    fn end(&self, job: u32) {
        self.0.lock().expect("import jobs lock").remove(&job);
    }

    fn cancel(&self, job: u32) -> bool {
        let jobs = self.0.lock().expect("import jobs lock");
        jobs.get(&job).map(|f| f.store(true, Ordering::Relaxed)).is_some()
    }
}

/// Whether the window shows its test-only "open a path" field (`FANBASE_E2E=1`). Only the way
/// a path is entered differs; everything after it is the same flow as a drop or the file dialog.
#[tauri::command]
pub fn import_e2e_enabled() -> bool {
    std::env::var("FANBASE_E2E").is_ok_and(|v| v == "1")
}

/// Every mapping target, for the mapping editor.
#[tauri::command]
pub fn import_targets() -> Vec<&'static str> {
    fanbase_import::Target::all_names()
}

/// The detected format, encoding and mapping, and the first rows; reads only the head of the file.
#[tauri::command]
pub async fn import_inspect(path: PathBuf, map: Vec<MapOverride>) -> IpcResult<Preview> {
    tauri::async_runtime::spawn_blocking(move || fanbase_import::inspect(&path, &map))
        .await
        .map_err(|e| IpcError { code: "INTERNAL", message: format!("the file preview stopped: {e}") })?
        .map_err(IpcError::from)
}

/// The header row of `path`, also when no column is recognised as the email (the window asks).
#[tauri::command]
pub async fn import_headers(path: PathBuf) -> IpcResult<Vec<String>> {
    tauri::async_runtime::spawn_blocking(move || fanbase_import::headers(&path))
        .await
        .map_err(|e| IpcError { code: "INTERNAL", message: format!("reading the header stopped: {e}") })?
        .map_err(IpcError::from)
}

/// Imports `path` into `store_id` (or computes the same report and rolls back when
/// `options.dry_run`), sending progress after each batch. `import_cancel(job)` stops it.
#[tauri::command]
pub async fn import_run(
    db: State<'_, Db>,
    jobs: State<'_, ImportJobs>,
    job: u32,
    store_id: String,
    path: PathBuf,
    options: Options,
    on_progress: Channel<Progress>,
) -> IpcResult<Report> {
    let cancel = jobs.start(job);
    let progress = |p: Progress| {
        // A closed window is not a reason to stop the import; the report still comes back.
        let _ = on_progress.send(p);
    };
    let result = fanbase_import::run(&db, &store_id, &path, &options, progress, &cancel, now_ms()).await;
    jobs.end(job);
    Ok(result?)
}

/// Asks import `job` to stop; it rolls back and answers `CANCELLED`. False if it already ended.
#[tauri::command]
pub fn import_cancel(jobs: State<'_, ImportJobs>, job: u32) -> bool {
    jobs.cancel(job)
}

/// Writes the rejected rows of saved report `report_id` as CSV to `path`; returns how many.
#[tauri::command]
pub async fn import_save_rejected(db: State<'_, Db>, report_id: i64, path: PathBuf) -> IpcResult<u64> {
    let write_err = |source| fanbase_import::Error::Write { path: path.display().to_string(), source };
    let file = File::create(&path).map_err(write_err)?;
    Ok(fanbase_import::write_rejected_csv(&db, report_id, BufWriter::new(file)).await?)
}
