//! `fanbase segments|score|engagement` and `contacts count --segment/--segment-name` on a real
//! database file: the commands a script relies on, their JSON, and their error codes and paths.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

fn fanbase(db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fanbase"));
    cmd.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).arg("--db").arg(db).args(args);
    match stdin {
        None => cmd.output().expect("run fanbase"),
        Some(text) => {
            use std::io::Write as _;
            let mut child = cmd
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn fanbase");
            child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
            child.wait_with_output().unwrap()
        }
    }
}

fn json_of(out: &Output) -> Value {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the command failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn stderr(out: &Output) -> String {
    assert!(!out.status.success(), "the command should have failed: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).trim().to_string()
}

const SEGMENT: &str = r#"{"all": [
  {"field": "daw", "op": "eq", "value": "Ableton"},
  {"none": [{"field": "status", "op": "in", "value": ["unsubscribed", "bounced", "complained"]}]}
]}"#;

#[test]
fn segments_are_saved_counted_shown_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fans.db");
    json_of(&fanbase(&db, &["demo", "--store", "s1", "--rows", "1500", "--json"], None));
    let file = dir.path().join("seg.json");
    std::fs::write(&file, SEGMENT).unwrap();
    let file = file.to_str().unwrap();

    let by_file = json_of(&fanbase(&db, &["contacts", "count", "--store", "s1", "--segment", file, "--json"], None));
    let n = by_file["count"].as_i64().unwrap();
    assert!(n > 0 && n < 1500, "the segment picks some of the fans: {by_file}");
    let by_stdin =
        json_of(&fanbase(&db, &["contacts", "count", "--store", "s1", "--segment", "-", "--json"], Some(SEGMENT)));
    assert_eq!(by_stdin, by_file, "a segment on stdin counts the same");

    let saved =
        json_of(&fanbase(&db, &["segments", "save", "--store", "s1", "--name", "Ableton fans", file, "--json"], None));
    assert_eq!(saved["count"], json!(n), "save prints the exact count: {saved}");
    assert_eq!(saved["segment"]["builtin"], json!(false));
    let again = fanbase(&db, &["segments", "save", "--store", "s1", "--name", "ableton FANS", file], None);
    assert!(stderr(&again).starts_with("error[SEGMENT_EXISTS]"), "no silent overwrite");

    let by_name = json_of(&fanbase(
        &db,
        &["contacts", "count", "--store", "s1", "--segment-name", "ableton fans", "--json"],
        None,
    ));
    assert_eq!(by_name["count"], json!(n), "a saved segment counts like its file");

    let list = json_of(&fanbase(&db, &["segments", "list", "--store", "s1", "--json"], None));
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 5, "four built-ins and the saved one: {names:?}");
    assert_eq!(names[4], "Ableton fans");
    let paying = list.as_array().unwrap().iter().find(|s| s["name"] == "Paying customers").unwrap();
    assert!(paying["count"].as_i64().unwrap() > 0, "built-ins come with their counts: {paying}");

    let shown = json_of(&fanbase(&db, &["segments", "show", "--store", "s1", "Ableton fans", "--json"], None));
    assert_eq!(shown["segment"]["definition"], serde_json::from_str::<Value>(SEGMENT).unwrap(), "{shown}");

    let fields = json_of(&fanbase(&db, &["segments", "fields", "--json"], None));
    assert!(fields.as_array().unwrap().iter().any(|f| f["field"] == "tags" && f["kind"] == "tags"), "{fields}");

    assert!(fanbase(&db, &["segments", "delete", "--store", "s1", "Ableton fans"], None).status.success());
    let gone = fanbase(&db, &["contacts", "count", "--store", "s1", "--segment-name", "Ableton fans"], None);
    assert!(stderr(&gone).starts_with("error[SEGMENT_NOT_FOUND]"), "a deleted segment is gone");
    let builtin = fanbase(&db, &["segments", "delete", "--store", "s1", "Paying customers"], None);
    assert!(stderr(&builtin).starts_with("error[SEGMENT_BUILTIN]"));
}

#[test]
fn an_invalid_segment_names_the_path_of_the_bad_node() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fans.db");
    json_of(&fanbase(&db, &["stores", "add", "--id", "s1", "--name", "Shop", "--json"], None));
    let bad = r#"{"all": [{"field": "daw", "op": "eq", "value": "x"}, {"any": [{"field": "score", "op": "gte ", "value": 1}]}]}"#;
    let out = fanbase(&db, &["contacts", "count", "--store", "s1", "--segment", "-"], Some(bad));
    assert_eq!(stderr(&out), r#"error[SEGMENT_INVALID]: stdin: all[1].any[0].op: unknown operator "gte ""#);
}

#[test]
fn engagement_import_updates_contacts_and_scores_follow_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fans.db");
    json_of(&fanbase(&db, &["demo", "--store", "s1", "--rows", "50", "--json"], None));
    let rows = |db: &Path| -> Vec<Value> {
        let page = json_of(&fanbase(db, &["contacts", "list", "--store", "s1", "--limit", "100", "--json"], None));
        page["rows"].as_array().expect("rows").clone()
    };
    let lead = rows(&db).into_iter().find(|r| r["type"] == "lead" && r["status"] == "active").expect("a lead");
    let email = lead["email"].as_str().unwrap().to_string();
    let rules = json_of(&fanbase(&db, &["score", "rules", "list", "--store", "s1", "--json"], None));
    assert_eq!(rules.as_array().unwrap().len(), 5, "the five default rules: {rules}");

    let set = json_of(&fanbase(
        &db,
        &[
            "score",
            "rules",
            "set",
            "--store",
            "s1",
            "--name",
            "unsub",
            "--event",
            "unsubscribe",
            "--points",
            "-40",
            "--json",
        ],
        None,
    ));
    assert_eq!(set["rule"], json!({"name": "unsub", "event": "unsubscribe", "points": -40}), "{set}");
    assert_eq!(set["recomputed"]["contacts"], json!(50), "setting a rule recomputes the scores: {set}");

    let now = fanbase_core::now_ms();
    let csv = dir.path().join("events.csv");
    std::fs::write(
        &csv,
        format!(
            "email,kind,at,amount\n{email},open,{now},\n{email},purchase,{now},19.99\n{email},unsubscribe,{now},\n"
        ),
    )
    .unwrap();
    let imported =
        json_of(&fanbase(&db, &["engagement", "import", csv.to_str().unwrap(), "--store", "s1", "--json"], None));
    assert_eq!(imported["new"], json!(3), "{imported}");
    assert_eq!(imported["applied"]["contacts"], json!(1), "{imported}");
    let row = rows(&db).into_iter().find(|r| r["email"] == email.as_str()).expect("the contact");
    assert_eq!(
        (&row["type"], &row["status"], &row["last_open_date"], &row["score"]),
        (&json!("paying"), &json!("unsubscribed"), &json!(now), &json!(-10)),
        "open +10, purchase +20, unsubscribe -40, a recent open: no cold penalty; {row}"
    );

    let bad = fanbase(
        &db,
        &[
            "score",
            "rules",
            "set",
            "--store",
            "s1",
            "--name",
            "x",
            "--condition",
            r#"{"field":"score","op":"gt","value":1}"#,
            "--points",
            "1",
        ],
        None,
    );
    assert_eq!(
        stderr(&bad),
        r#"error[RULE_INVALID]: invalid scoring rule: condition.field: a scoring rule cannot test "score": the score is what the rules compute"#
    );
    let recomputed = json_of(&fanbase(&db, &["score", "recompute", "--store", "s1", "--json"], None));
    assert_eq!(recomputed["changed"], json!(0), "the import left every score as a recompute makes it: {recomputed}");
}

/// `--segment FILE.json` and `--segment-name NAME` wherever a list of contacts is taken: contacts
/// list and count (with the filter flags ANDed), bulk tag add/remove, export and campaigns.
#[test]
fn every_command_that_takes_a_list_of_contacts_takes_a_segment() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fans.db");
    json_of(&fanbase(&db, &["demo", "--store", "s1", "--rows", "600", "--json"], None));
    let file = dir.path().join("segment.json");
    std::fs::write(&file, SEGMENT).unwrap();
    let file = file.to_str().unwrap();
    json_of(&fanbase(&db, &["segments", "save", "--store", "s1", "--name", "Ableton fans", file, "--json"], None));
    let count = |args: &[&str]| -> i64 {
        let mut all = vec!["contacts", "count", "--store", "s1", "--json"];
        all.extend_from_slice(args);
        json_of(&fanbase(&db, &all, None))["count"].as_i64().unwrap()
    };
    let n = count(&["--segment", file]);
    assert!(n > 0 && n < 600, "the segment picks some of the fans: {n}");
    assert_eq!(count(&["--segment-name", "Ableton fans"]), n, "by name as by file");
    let leads = count(&["--segment", file, "--type", "lead"]);
    let not_leads = count(&["--segment", file, "--type", "paying", "--type", "subscription"]);
    assert_eq!(leads + not_leads, n, "the filter flags narrow the segment (AND)");
    assert!(leads > 0 && not_leads > 0, "the demo mixes types in the segment");

    // contacts list: every page row is in the segment, and all of them are there.
    let list = json_of(&fanbase(
        &db,
        &["contacts", "list", "--store", "s1", "--segment-name", "ableton fans", "--limit", "1000", "--json"],
        None,
    ));
    let rows = list["rows"].as_array().unwrap();
    assert_eq!(rows.len() as i64, n, "the list holds exactly the segment's fans");
    assert!(rows.iter().all(|r| r["daw"].as_str().unwrap().eq_ignore_ascii_case("ableton")), "only Ableton fans");
    assert!(rows.iter().all(|r| r["status"] == "active"), "no suppressed fan");

    // Bulk tag on the segment, then off again.
    let added = json_of(&fanbase(
        &db,
        &["tags", "add", "--store", "s1", "focus", "--segment-name", "Ableton fans", "--json"],
        None,
    ));
    assert_eq!(added["changed"], json!(n), "the tag reaches exactly the segment: {added}");
    assert_eq!(count(&["--tag", "focus"]), n);
    assert_eq!(count(&["--tag", "focus", "--segment", file]), n, "and only its fans");
    let removed =
        json_of(&fanbase(&db, &["tags", "remove", "--store", "s1", "focus", "--segment", file, "--json"], None));
    assert_eq!(removed["changed"], json!(n));
    assert_eq!(count(&["--tag", "focus"]), 0);

    // Export: a header and one line per fan of the segment.
    let out = fanbase(&db, &["export", "--store", "s1", "--segment-name", "Ableton fans"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().count() as i64, n + 1, "the export holds exactly the segment's fans");

    // Campaigns: the flags replace the file's recipients choice (the whole list here).
    let campaign = dir.path().join("campaign.json");
    std::fs::write(
        &campaign,
        r#"{"name": "x", "subject": "s", "body_markdown": "hi", "from_name": "", "from_email": "a@b.co"}"#,
    )
    .unwrap();
    let campaign = campaign.to_str().unwrap();
    let recipients = |extra: &[&str]| -> i64 {
        let mut args = vec!["campaign", "preview", "--store", "s1", "--campaign", campaign, "--json"];
        args.extend_from_slice(extra);
        let p = json_of(&fanbase(&db, &args, None));
        p["counts"]["recipients"].as_i64().unwrap_or_else(|| panic!("no recipients count: {p}"))
    };
    assert!(recipients(&[]) > n, "without a segment the campaign goes to the whole list");
    assert_eq!(recipients(&["--segment-name", "Ableton fans"]), n, "the segment's fans (none suppressed)");
    assert_eq!(recipients(&["--segment", file]), n);
    let both = fanbase(&db, &["contacts", "count", "--store", "s1", "--segment", file, "--segment-name", "x"], None);
    assert!(stderr(&both).contains("--segment-name"), "one segment at a time");
}
