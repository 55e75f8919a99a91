//! The `fanbase` binary end to end on a temp database: stores, demo data and the exact count.

use std::process::Command;

fn fanbase(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fanbase")).arg("--db").arg(db).args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn demo_then_count_prints_the_exact_count_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let (ok, _, err) = fanbase(&db, &["demo", "--store", "s1", "--rows", "2500"]);
    assert!(ok, "demo must succeed: {err}");
    let (ok, out, _) = fanbase(&db, &["contacts", "count", "--store", "s1", "--json"]);
    assert!(ok);
    assert_eq!(out, "{\"count\":2500}\n", "the --json shape is a contract");
    let (_, out, _) = fanbase(&db, &["stores", "list", "--json"]);
    assert_eq!(out, "[{\"id\":\"s1\",\"name\":\"Demo store\",\"contacts\":2500}]\n");
}

#[test]
fn an_unknown_store_is_an_error_that_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, err) = fanbase(&dir.path().join("x.db"), &["contacts", "count", "--store", "nope", "--json"]);
    assert!(!ok, "an unknown store must fail");
    assert!(out.is_empty(), "nothing on stdout when failing");
    assert!(err.starts_with("error[STORE_NOT_FOUND]"), "stable code first: {err}");
    assert!(err.contains("fanbase stores add"), "the message says how to fix it: {err}");
}

#[test]
fn stores_add_refuses_a_taken_id() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    assert!(fanbase(&db, &["stores", "add", "--id", "s1", "--name", "Beat Academy"]).0);
    let (ok, _, err) = fanbase(&db, &["stores", "add", "--id", "s1", "--name", "Other"]);
    assert!(!ok && err.contains("STORE_EXISTS"), "{err}");
}
