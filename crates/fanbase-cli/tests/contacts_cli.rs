//! `fanbase contacts list|count|set|conversion` and `fanbase tags ...` end to end on a temp
//! database: search and filters, cursors, JSON shapes, and tag changes by email or by search.

use std::process::Command;

use serde_json::Value;

fn fanbase(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_fanbase")).arg("--db").arg(db).args(args).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json(db: &std::path::Path, args: &[&str]) -> Value {
    let (ok, out, err) = fanbase(db, args);
    assert!(ok, "fanbase {args:?} must succeed: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} prints one JSON value ({e}): {out}"))
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    assert!(fanbase(&db, &["demo", "--store", "s1", "--rows", "3000"]).0);
    (dir, db)
}

#[test]
fn list_searches_sorts_filters_and_pages_with_cursors() {
    let (_dir, db) = demo();
    let count =
        json(&db, &["contacts", "count", "--store", "s1", "--search", "maria", "--json"])["count"].as_i64().unwrap();
    assert!(count > 20, "the demo has Marias ({count})");
    let mut seen = 0;
    let mut after: Option<String> = None;
    let mut last_score = i64::MAX;
    loop {
        let mut args = vec![
            "contacts",
            "list",
            "--store",
            "s1",
            "--search",
            "maria",
            "--sort",
            "score:desc",
            "--limit",
            "7",
            "--json",
        ];
        if let Some(a) = &after {
            args.extend(["--after", a.as_str()]);
        }
        let page = json(&db, &args);
        for row in page["rows"].as_array().unwrap() {
            let text = format!("{} {}", row["email"], row["name"]).to_lowercase();
            assert!(text.contains("maria"), "every row matches the search: {text}");
            let score = row["score"].as_i64().unwrap();
            assert!(score <= last_score, "sorted by score, descending");
            last_score = score;
            for field in ["type", "status", "tags", "has_account", "daw", "type_of_music", "student_level", "badges"] {
                assert!(row.get(field).is_some(), "each row carries {field}");
            }
            seen += 1;
        }
        match page["next"].as_str() {
            Some(n) => after = Some(n.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, count, "paging with --after reaches exactly the counted rows");

    let paying =
        json(&db, &["contacts", "count", "--store", "s1", "--type", "paying", "--has-account", "false", "--json"]);
    let page = json(
        &db,
        &[
            "contacts",
            "list",
            "--store",
            "s1",
            "--type",
            "paying",
            "--has-account",
            "false",
            "--limit",
            "1000",
            "--json",
        ],
    );
    assert_eq!(page["rows"].as_array().unwrap().len() as i64, paying["count"].as_i64().unwrap());
    let hostile =
        json(&db, &["contacts", "count", "--store", "s1", "--search", "'; DROP TABLE customers; --", "--json"]);
    assert_eq!(hostile["count"], 0, "a hostile search is only text");
    assert_eq!(json(&db, &["contacts", "count", "--store", "s1", "--json"])["count"], 3000);

    // --offset starts at a position of the unfiltered list, and its cursor goes on from there.
    let emails = |v: &Value| v["rows"].as_array().unwrap().iter().map(|r| r["email"].clone()).collect::<Vec<_>>();
    let by_score = ["contacts", "list", "--store", "s1", "--sort", "score:desc", "--json"];
    let top = json(&db, &[&by_score[..], &["--limit", "40"]].concat());
    let at = json(&db, &[&by_score[..], &["--offset", "25", "--limit", "10"]].concat());
    assert_eq!(emails(&at), emails(&top)[25..35], "the page at offset 25 is the 26th to 35th fan");
    let next = at["next"].as_str().unwrap();
    let on = json(&db, &[&by_score[..], &["--after", next, "--limit", "5"]].concat());
    assert_eq!(emails(&on), emails(&top)[35..40]);
    let (ok, _, err) = fanbase(&db, &[&by_score[..], &["--offset", "5", "--search", "maria"]].concat());
    assert!(!ok && err.contains("unfiltered"), "a search pages with cursors: {err}");
}

#[test]
fn tags_change_by_email_and_by_search_and_come_back_after_undo() {
    let (_dir, db) = demo();
    let first = json(&db, &["contacts", "list", "--store", "s1", "--limit", "2", "--json"]);
    let emails: Vec<&str> = first["rows"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap()).collect();
    let added = json(
        &db,
        &[
            "tags",
            "add",
            "--store",
            "s1",
            "Gold",
            "--email",
            emails[0],
            "--email",
            emails[1],
            "--email",
            "nobody@x.io",
            "--json",
        ],
    );
    assert_eq!(added["changed"], 2);
    assert_eq!(added["not_found"], serde_json::json!(["nobody@x.io"]));
    let marias = json(&db, &["contacts", "count", "--store", "s1", "--search", "maria", "--json"])["count"].clone();
    let bulk = json(&db, &["tags", "add", "--store", "s1", "gold", "--search", "maria", "--json"]);
    let tagged =
        json(&db, &["contacts", "count", "--store", "s1", "--tag", "gold", "--json"])["count"].as_i64().unwrap();
    assert_eq!(
        tagged,
        2 + bulk["changed"].as_i64().unwrap(),
        "every Maria got the tag (the two above perhaps already had it)"
    );
    assert!(bulk["changed"].as_i64().unwrap() >= marias.as_i64().unwrap() - 2);

    let list = json(&db, &["tags", "list", "--store", "s1", "--json"]);
    let gold = list.as_array().unwrap().iter().find(|t| t["name"] == "Gold").expect("the tag is listed");
    assert_eq!(gold["count"].as_i64().unwrap(), tagged, "the list shows the exact count");

    let deleted = json(&db, &["tags", "delete", "--store", "s1", "gold", "--json"]);
    assert_eq!(deleted["contacts"].as_i64().unwrap(), tagged);
    assert_eq!(json(&db, &["contacts", "count", "--store", "s1", "--tag", "gold", "--json"])["count"], 0);
    let undone = json(&db, &["tags", "undo", "--store", "s1", "--json"]);
    assert_eq!(undone["changed"].as_i64().unwrap(), tagged, "undo restores every fan");

    let (ok, _, err) = fanbase(&db, &["tags", "add", "--store", "s1", "x"]);
    assert!(!ok && err.starts_with("error[INVALID_ARGUMENT]") && err.contains("--all"), "a target is required: {err}");
    let renamed = json(&db, &["tags", "rename", "--store", "s1", "Gold", "Platinum", "--json"]);
    assert_eq!(renamed["contacts"].as_i64().unwrap(), tagged);
}

#[test]
fn set_edits_a_field_and_conversion_reports_the_rate() {
    let (_dir, db) = demo();
    let row = json(&db, &["contacts", "list", "--store", "s1", "--limit", "1", "--json"])["rows"][0].clone();
    let email = row["email"].as_str().unwrap();
    let edited = json(
        &db,
        &[
            "contacts",
            "set",
            "--store",
            "s1",
            "--email",
            email,
            "score=777",
            "daw=Bitwig",
            "custom.instrument=42",
            "--json",
        ],
    );
    assert_eq!(edited["changed"], serde_json::json!(["custom.instrument", "daw", "score"]));
    assert!(edited["change_id"].is_string(), "a platform field edit is recorded for sync");
    let top = json(&db, &["contacts", "list", "--store", "s1", "--sort", "score:desc", "--limit", "1", "--json"]);
    assert_eq!(top["rows"][0]["email"], email);
    assert_eq!(top["rows"][0]["daw"], "Bitwig");
    let c = json(&db, &["contacts", "conversion", "--store", "s1", "--json"]);
    assert_eq!(c["fans"], 3000);
    let rate = c["rate"].as_f64().unwrap();
    assert!(rate > 0.0 && rate < 0.1, "the demo gives about one fan in 40 an account: {rate}");
}
