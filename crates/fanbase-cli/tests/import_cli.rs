//! `fanbase import|export|contacts show` end to end on a temp database, including an import killed
//! with SIGKILL midway that must leave the database exactly as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn fanbase(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fanbase")).arg("--db").arg(db).args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json(db: &Path, args: &[&str]) -> Value {
    let (ok, out, err) = fanbase(db, args);
    assert!(ok, "{args:?} failed: {err}");
    assert_eq!(out.lines().count(), 1, "--json prints exactly one line: {out}");
    serde_json::from_str(&out).unwrap()
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fanbase-import/tests/fixtures").join(name).display().to_string()
}

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fans.db");
    assert!(fanbase(&db, &["stores", "add", "--id", "s1", "--name", "Beat Academy"]).0);
    (dir, db)
}

#[test]
fn import_json_report_is_the_contract() {
    let (_dir, db) = setup();
    let (ok, out, err) = fanbase(&db, &["import", &fixture("activecampaign.csv"), "--store", "s1", "--json"]);
    assert!(ok, "{err}");
    assert!(err.is_empty(), "no progress bar when stderr is not a terminal: {err}");
    let r: Value = serde_json::from_str(out.trim()).unwrap();
    for key in ["rows_read", "inserted", "updated", "unchanged", "duplicates_in_file", "rejected", "elapsed_ms"] {
        assert!(r[key].is_u64(), "{key} must be a number: {r}");
    }
    assert_eq!((r["rows_read"].as_u64(), r["inserted"].as_u64(), r["rejected"].as_u64()), (Some(6), Some(3), Some(2)));
    assert_eq!((r["format"].as_str(), r["encoding"].as_str()), (Some("activecampaign"), Some("utf-8")));
    let e = &r["errors"][0];
    assert_eq!((e["line"].as_u64(), e["column"].as_str()), (Some(6), Some("Email")), "{e}");
    assert!(e["reason"].as_str().unwrap().contains("invalid email"));

    let again = json(&db, &["import", &fixture("activecampaign.csv"), "--store", "s1", "--json", "--tag", "AC"]);
    assert_eq!(
        (again["inserted"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(3)),
        "the new tag updates all three"
    );

    let dry = json(&db, &["import", &fixture("kit.csv"), "--store", "s1", "--dry-run", "--json"]);
    assert_eq!((dry["inserted"].as_u64(), dry["dry_run"].as_bool()), (Some(2), Some(true)));
    assert_eq!(json(&db, &["contacts", "count", "--store", "s1", "--json"])["count"], 3, "the dry run wrote nothing");
}

#[test]
fn contacts_show_prints_every_field() {
    let (_dir, db) = setup();
    json(&db, &["import", &fixture("activecampaign.csv"), "--store", "s1", "--json"]);
    let c = json(&db, &["contacts", "show", "--store", "s1", "ANA.SILVA@example.com", "--json"]);
    assert_eq!(c["email"], "ana.silva@example.com");
    assert_eq!(
        (c["name"].as_str(), c["first_name"].as_str(), c["last_name"].as_str()),
        (Some("Ana Silva"), Some("Ana"), Some("Silva"))
    );
    assert_eq!(
        (c["type"].as_str(), c["status"].as_str(), c["source"].as_str()),
        (Some("lead"), Some("active"), Some("activecampaign_import"))
    );
    assert_eq!(
        (c["score"].as_i64(), c["daw"].as_str(), c["type_of_music"].as_str()),
        (Some(87), Some("Ableton"), Some("House"))
    );
    assert_eq!((c["student_level"].as_str(), c["total_spent"].as_f64()), (Some("Advanced"), Some(1234.5)));
    assert_eq!(c["tags"], serde_json::json!(["edm", "mixing", "vip"]));
    assert_eq!(c["custom"]["Organization"], "Beat Lab");
    let (ok, _, err) = fanbase(&db, &["contacts", "show", "--store", "s1", "nobody@example.com", "--json"]);
    assert!(!ok && err.starts_with("error["), "{err}");
}

#[test]
fn export_then_import_and_rejected_rows_as_csv() {
    let (dir, db) = setup();
    let r = json(&db, &["import", &fixture("activecampaign.csv"), "--store", "s1", "--json"]);
    let id = r["id"].as_i64().unwrap().to_string();
    let rejected = dir.path().join("rejected.csv");
    let saved = json(&db, &["import", "report", "--id", &id, "--rejected-csv", rejected.to_str().unwrap(), "--json"]);
    assert_eq!(saved["rejected_rows"], 2);
    let text = std::fs::read_to_string(&rejected).unwrap();
    assert!(text.starts_with("fanbase_rejected_reason,Email,"), "{text}");

    let out = dir.path().join("export.csv");
    let (ok, msg, err) = fanbase(&db, &["export", "--store", "s1", "--out", out.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(msg.contains("exported 3 contacts"), "{msg}");
    let (ok, stdout, _) = fanbase(&db, &["export", "--store", "s1"]);
    assert!(ok);
    assert_eq!(stdout, std::fs::read_to_string(&out).unwrap(), "without --out the CSV goes to stdout");
    assert!(fanbase(&db, &["stores", "add", "--id", "s2", "--name", "Copy"]).0);
    let back = json(&db, &["import", out.to_str().unwrap(), "--store", "s2", "--json"]);
    assert_eq!((back["format"].as_str(), back["inserted"].as_u64()), (Some("fanbase"), Some(3)));
    let a = json(&db, &["contacts", "show", "--store", "s1", "ana.silva@example.com", "--json"]);
    let b = json(&db, &["contacts", "show", "--store", "s2", "ana.silva@example.com", "--json"]);
    for key in
        ["email", "name", "phone", "tags", "custom", "created_at", "last_open_date", "total_spent", "source", "score"]
    {
        assert_eq!(a[key], b[key], "{key} must survive export and import");
    }
    let inspect = json(&db, &["import", "inspect", &fixture("mautic.csv"), "--json"]);
    assert_eq!((inspect["format"].as_str(), inspect["delimiter"].as_str()), (Some("mautic"), Some(",")));
    assert_eq!(inspect["mapping"][10]["target"], "tags");
}

#[test]
fn a_bad_file_is_a_clear_error() {
    let (dir, db) = setup();
    let path = dir.path().join("names.csv");
    std::fs::write(&path, "First Name,Last Name\nAna,Silva\n").unwrap();
    let (ok, out, err) = fanbase(&db, &["import", path.to_str().unwrap(), "--store", "s1", "--json"]);
    assert!(!ok && out.is_empty());
    assert!(err.starts_with("error[NO_EMAIL_COLUMN]"), "{err}");
    let (ok, _, err) =
        fanbase(&db, &["import", path.to_str().unwrap(), "--store", "s1", "--map", "First Name=nonsense"]);
    assert!(!ok && err.starts_with("error[INVALID_MAPPING]"), "{err}");
}

/// A file large enough that the import is still running when it is killed.
fn big_file(path: &Path, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "Email,First Name,Last Name,Tags,Date Created,DAW,Score,Total Spent").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "fan{i}@example.com,Fan,Number {i},\"edm, vip{}\",2024-01-02 03:04:05,Ableton,{},19.00",
            i % 7,
            i % 100
        )
        .unwrap();
    }
}

#[test]
fn an_import_killed_midway_leaves_the_database_unchanged() {
    let (dir, db) = setup();
    json(&db, &["import", &fixture("activecampaign.csv"), "--store", "s1", "--json"]);
    let before = json(&db, &["contacts", "show", "--store", "s1", "ana.silva@example.com", "--json"]);
    let big = dir.path().join("big.csv");
    big_file(&big, 400_000);

    let mut child = Command::new(env!("CARGO_BIN_EXE_fanbase"))
        .arg("--db")
        .arg(&db)
        .args(["import", big.to_str().unwrap(), "--store", "s1", "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The import writes into the WAL as its page cache fills up: wait until it has written
    // a good part of the file, then kill it without warning.
    let wal = dir.path().join("fans.db-wal");
    let start = Instant::now();
    loop {
        assert!(child.try_wait().unwrap().is_none(), "the import finished before it could be killed midway");
        let written = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        if written > 16 * 1024 * 1024 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(300), "the import never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the import was killed, not finished");

    assert_eq!(
        json(&db, &["contacts", "count", "--store", "s1", "--json"])["count"],
        3,
        "no contact of the killed import"
    );
    let reports = json(&db, &["import", "reports", "--store", "s1", "--json"]);
    assert_eq!(reports.as_array().unwrap().len(), 1, "no report of the killed import");
    let after = json(&db, &["contacts", "show", "--store", "s1", "ana.silva@example.com", "--json"]);
    assert_eq!(before, after, "the existing contact is untouched");
    // The database still works: a new import succeeds and its contacts are sortable by name,
    // which needs the indexes that a bulk import drops and rebuilds inside its transaction.
    let r = json(&db, &["import", &fixture("kit.csv"), "--store", "s1", "--json"]);
    assert_eq!(r["inserted"], 2);
    let page = json(&db, &["contacts", "list", "--store", "s1", "--sort", "name", "--limit", "10", "--json"]);
    assert_eq!(page["rows"].as_array().unwrap().len(), 5);
}

#[test]
fn a_reader_that_leaves_early_ends_the_output_quietly() {
    let (_dir, db) = setup();
    assert!(fanbase(&db, &["import", &fixture("activecampaign.csv"), "--store", "s1"]).0);
    for args in [
        &["export", "--store", "s1"][..],
        &["contacts", "list", "--store", "s1", "--json"],
        &["contacts", "count", "--store", "s1"],
    ] {
        // The read end is closed before the command starts, as `fanbase ... | head -c0` may do.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_fanbase"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(out.status.success(), "{args:?} must not fail when its reader leaves: {err}");
        assert!(err.is_empty(), "{args:?} must say nothing about a closed pipe: {err}");
    }
}
