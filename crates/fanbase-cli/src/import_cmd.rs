//! `fanbase import|export|contacts show`: CSV import with a progress bar on a terminal (stderr),
//! import reports and their rejected rows, CSV export, and one contact with all its fields.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::{Args, Subcommand};
use fanbase_core::contacts::FanCondition;
use fanbase_core::{contacts, now_ms, Db};
use fanbase_import::{MapOverride, OnExisting, Options, Phase, Report};
use indicatif::{ProgressBar, ProgressStyle};

use crate::output::{print_json_or, reader_left, say, Failure};

/// `fanbase import FILE --store ID [...]`, or one of its subcommands.
#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub command: Option<ImportCommand>,
    /// The CSV file (ActiveCampaign, Mailchimp, Kit, Mautic, listmonk, or any sheet with an email column).
    #[arg(required = true)]
    pub file: Option<PathBuf>,
    #[arg(long, required = true)]
    pub store: Option<String>,
    /// Compute the exact report without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Override the mapping of one column, e.g. --map 'E-Mail=email' or --map 'Notes=ignore'.
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    pub map: Vec<String>,
    /// What to do with contacts that already exist.
    #[arg(long, default_value = "fill-empty", value_parser = ["fill-empty", "overwrite", "skip"])]
    pub on_existing: String,
    /// A tag added to every imported contact (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Preview a file without writing: format, encoding, delimiter, mapping and the first rows.
    Inspect {
        file: PathBuf,
        #[arg(long = "map", value_name = "HEADER=FIELD")]
        map: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show a saved import report; --rejected-csv saves its rejected rows to fix and import again.
    Report {
        #[arg(long)]
        id: i64,
        #[arg(long, value_name = "FILE")]
        rejected_csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List a store's import reports, newest first.
    Reports {
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
}

fn overrides(map: &[String]) -> Result<Vec<MapOverride>, Failure> {
    Ok(map.iter().map(|m| MapOverride::parse(m)).collect::<Result<_, _>>()?)
}

pub async fn import(db: &Db, args: ImportArgs) -> Result<(), Failure> {
    match args.command {
        Some(ImportCommand::Inspect { file, map, json }) => return inspect(&file, &map, json),
        Some(ImportCommand::Report { id, rejected_csv, json }) => return report(db, id, rejected_csv, json).await,
        Some(ImportCommand::Reports { store, json }) => {
            let list = fanbase_import::reports(db, &store).await?;
            return print_json_or(json, &list, || list.iter().map(summary_line).collect::<Vec<_>>().join("\n"));
        }
        None => {}
    }
    let (Some(file), Some(store)) = (args.file, args.store) else {
        return Err(fanbase_core::Error::InvalidArgument("import needs FILE and --store ID".into()).into());
    };
    let opts = Options {
        dry_run: args.dry_run,
        on_existing: OnExisting::parse(&args.on_existing).unwrap_or_default(),
        map: overrides(&args.map)?,
        tags: args.tags,
    };
    let cancel = Arc::new(AtomicBool::new(false));
    let on_ctrl_c = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.store(true, Ordering::Relaxed);
            }
        })
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:40}] {percent:>3}% {msg} ({elapsed})")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar
    });
    let progress = |p: fanbase_import::Progress| {
        if let Some(bar) = &bar {
            bar.set_length(p.total_bytes.max(1));
            bar.set_position(p.bytes_read);
            let rate = p.counts.rows_read * 1000 / p.elapsed_ms.max(1);
            bar.set_message(match p.phase {
                Phase::Reading => format!("{} rows, {rate} rows/s", p.counts.rows_read),
                Phase::Finishing => format!("{} rows, rebuilding indexes and saving", p.counts.rows_read),
            });
        }
    };
    let result = fanbase_import::run(db, &store, &file, &opts, progress, &cancel, now_ms()).await;
    on_ctrl_c.abort();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let report = result?;
    print_json_or(args.json, &report, || human_report(&report))
}

fn inspect(file: &Path, map: &[String], json: bool) -> Result<(), Failure> {
    let preview = fanbase_import::inspect(file, &overrides(map)?)?;
    print_json_or(json, &preview, || {
        let mut lines = vec![format!(
            "{}: {} export, {}, delimiter {:?}",
            preview.file_name,
            preview.preamble.format.name(),
            preview.preamble.encoding,
            preview.preamble.delimiter
        )];
        lines.extend(preview.preamble.mapping.iter().map(|c| format!("  {:<30} -> {}", c.header, c.target.name())));
        for row in &preview.sample_rows {
            let verdict = row.rejected.as_ref().map_or(String::new(), |r| format!("  [rejected: {r}]"));
            lines.push(format!("  line {}: {}{verdict}", row.line, row.cells.join(" | ")));
        }
        lines.join("\n")
    })
}

async fn report(db: &Db, id: i64, rejected_csv: Option<PathBuf>, json: bool) -> Result<(), Failure> {
    let report = fanbase_import::report(db, id).await?;
    if let Some(path) = rejected_csv {
        let write_err = |source| fanbase_import::Error::Write { path: path.display().to_string(), source };
        let file = File::create(&path).map_err(write_err)?;
        let n = fanbase_import::write_rejected_csv(db, id, BufWriter::new(file)).await?;
        let value = serde_json::json!({ "id": id, "rejected_rows": n, "out": path });
        return print_json_or(json, &value, || format!("saved {n} rejected rows to {}", path.display()));
    }
    print_json_or(json, &report, || human_report(&report))
}

pub async fn export(db: &Db, store: &str, out: Option<PathBuf>, only: Option<&FanCondition>) -> Result<(), Failure> {
    match out {
        Some(path) => {
            let write_err = |source| fanbase_import::Error::Write { path: path.display().to_string(), source };
            let file = File::create(&path).map_err(write_err)?;
            let n = fanbase_import::export_where(db, store, only, BufWriter::new(file)).await?;
            say(&format!("exported {n} contacts to {}", path.display()))?;
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = BufWriter::new(stdout.lock());
            let written = fanbase_import::export_where(db, store, only, &mut lock).await.and_then(|_| {
                lock.flush().map_err(|source| fanbase_import::Error::Write { path: "stdout".into(), source })
            });
            match written {
                Err(e) if !reader_left(&e) => return Err(e.into()),
                _ => {}
            }
        }
    }
    Ok(())
}

pub async fn show(db: &Db, store: &str, email: &str, json: bool) -> Result<(), Failure> {
    let Some(contact) = contacts::show(db, store, email).await? else {
        return Err(Failure::from(fanbase_core::Error::InvalidArgument(format!(
            "no contact with email {email:?} in store {store}"
        ))));
    };
    print_json_or(json, &contact, || {
        serde_json::to_string_pretty(&contact).unwrap_or_else(|e| format!("cannot print the contact: {e}"))
    })
}

fn summary_line(r: &Report) -> String {
    let c = &r.counts;
    format!(
        "{}\t{}\t{}\t{} rows: {} inserted, {} updated, {} unchanged, {} duplicates, {} rejected",
        r.id.unwrap_or_default(),
        r.file_name,
        r.format,
        c.rows_read,
        c.inserted,
        c.updated,
        c.unchanged,
        c.duplicates_in_file,
        c.rejected
    )
}

fn human_report(r: &Report) -> String {
    let c = &r.counts;
    let what = if r.dry_run { "dry run of" } else { "imported" };
    let mut lines = vec![
        format!(
            "{what} {} ({} export, {}): {} rows in {} ms",
            r.file_name, r.format, r.encoding, c.rows_read, r.elapsed_ms
        ),
        format!(
            "  inserted {} · updated {} · unchanged {} · duplicates in file {} · rejected {}",
            c.inserted, c.updated, c.unchanged, c.duplicates_in_file, c.rejected
        ),
    ];
    lines.extend(r.warnings.iter().map(|w| format!("  warning: {w}")));
    for e in r.errors.iter().take(20) {
        let column = e.column.as_ref().map_or(String::new(), |c| format!(", {c}"));
        lines.push(format!("  line {}{column}: {}", e.line, e.reason));
    }
    if c.rejected > 20 {
        lines.push(format!("  … and {} more rejected rows", c.rejected - 20));
    }
    if let (Some(id), true) = (r.id, c.rejected > 0) {
        lines.push(format!(
            "  save them to fix and re-import: fanbase import report --id {id} --rejected-csv rejected.csv"
        ));
    }
    lines.join("\n")
}
