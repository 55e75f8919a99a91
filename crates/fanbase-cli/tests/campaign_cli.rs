//! `fanbase smtp` and `fanbase campaign` end to end: a real SMTP server with STARTTLS (a test CA
//! trusted through `--ca-file`) and AUTH on loopback, a send killed with SIGKILL midway and run
//! again, and every recipient counted.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use fanbase_campaign::testing::fixtures::{self, FanSpec};
use fanbase_campaign::testing::{ServerConfig, SmtpServer, TestCa};
use fanbase_core::Db;
use serde_json::Value;
use tokio::process::Command;

const PASSWORD: &str = "pw with spaces";

fn cli(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fanbase"));
    cmd.arg("--db").arg(db).args(args).env("FANBASE_SMTP_PASSWORD", PASSWORD).kill_on_drop(true);
    cmd
}

async fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = cli(db, args).stdin(Stdio::null()).output().await.unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn per_recipient(server: &SmtpServer) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for m in server.received() {
        for to in m.to {
            *map.entry(to).or_default() += 1;
        }
    }
    map
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_test_and_a_killed_send_that_resumes_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("fans.db");
    {
        let db = Db::open(&db_path).await.unwrap();
        let pk = fixtures::store(&db, "s1", "Beat Academy").await;
        for i in 0..30 {
            fixtures::add_fan(&db, pk, &FanSpec::new(&format!("fan{i:03}@x.co"), &format!("Fan{i:03} Doe"))).await;
        }
        fixtures::add_fan(&db, pk, &FanSpec::new("un@x.co", "Un Sub").status("unsubscribed")).await;
        fixtures::add_fan(&db, pk, &FanSpec::new("bn@x.co", "Bou Nce").status("bounced")).await;
        db.close().await;
    }
    let ca = Arc::new(TestCa::new());
    let server = Arc::new(
        SmtpServer::start(ServerConfig {
            starttls: Some(ca.clone()),
            credentials: Some(("creator".into(), PASSWORD.into())),
            ..ServerConfig::default()
        })
        .await,
    );
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.ca_pem).unwrap();
    let campaign_file = dir.path().join("campaign.json");
    std::fs::write(&campaign_file, fixtures::campaign("Spring launch").to_json()).unwrap();
    let (db, port, campaign) = (db_path.as_path(), server.port.to_string(), campaign_file.to_str().unwrap());

    let (ok, out, err) = run(
        db,
        &[
            "smtp",
            "set",
            "--host",
            "127.0.0.1",
            "--port",
            &port,
            "--tls",
            "starttls",
            "--user",
            "creator",
            "--ca-file",
            ca_file.to_str().unwrap(),
            "--unsubscribe-url",
            "https://academy.example/u?e={email}",
            "--json",
        ],
    )
    .await;
    assert!(ok, "smtp set: {err}");
    let saved: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(saved["password"], "from FANBASE_SMTP_PASSWORD", "the env var takes the keychain's place");
    assert_eq!(saved["ca"], true);

    let (ok, out, err) =
        run(db, &["campaign", "preview", "--store", "s1", "--campaign", campaign, "--as", "fan003@x.co", "--json"])
            .await;
    assert!(ok, "preview: {err}");
    let p: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(p["subject"], "Fan003, the course is out");
    assert_eq!((p["counts"]["recipients"].as_i64(), p["counts"]["suppressed"].as_i64()), (Some(30), Some(2)));
    assert_eq!(p["unsubscribe_url"], "https://academy.example/u?e=fan003%40x.co");
    assert!(p["html"].as_str().unwrap().contains("Hi Fan003,") && p["text"].as_str().unwrap().contains("Hi Fan003,"));
    assert_eq!(p["can_send"], true, "{}", p["warnings"]);
    let (ok, out, _) = run(db, &["campaign", "preview", "--store", "s1", "--campaign", campaign]).await;
    assert!(
        ok && out.starts_with("recipients: 30 (2 suppressed left out: 1 unsubscribed, 1 bounced, 0 complained)"),
        "{out}"
    );

    let (ok, out, err) =
        run(db, &["campaign", "test", "--store", "s1", "--campaign", campaign, "--to", "me@studio.co", "--json"]).await;
    assert!(ok, "send test: {err}");
    assert!(out.contains("\"to\":\"me@studio.co\""), "{out}");
    let test_mail = fixtures::parse(&server.received()[0].data);
    assert_eq!(test_mail.subject, "[Test] Fan000, the course is out");
    assert!(server.received()[0].tls, "STARTTLS with the CA from --ca-file");

    // A slow send, killed with SIGKILL once some messages are out.
    let mut child = cli(db, &["campaign", "send", "--store", "s1", "--campaign", campaign, "--rate", "15"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while server.count() < 1 + 8 {
        assert!(tokio::time::Instant::now() < deadline, "the send must make progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let before = server.count() - 1;
    assert!(before < 30, "killed midway ({before} sent)");

    // Run again: it takes over the dead process's campaign at once and sends the rest.
    let (ok, out, err) =
        run(db, &["campaign", "send", "--store", "s1", "--campaign", campaign, "--rate", "200", "--json"]).await;
    assert!(ok, "resume: {err}");
    let summary: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(summary["phase"], "done", "{out}");
    assert_eq!(summary["sent"].as_i64().unwrap() + summary["failed"].as_i64().unwrap(), 30, "{out}");

    let (ok, out, _) = run(db, &["campaign", "status", "--store", "s1", "--name", "Spring launch", "--json"]).await;
    assert!(ok);
    let status: Value = serde_json::from_str(&out).unwrap();
    let unknown: Vec<String> =
        status["not_sent"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap().to_string()).collect();
    assert!(unknown.len() <= 4, "at most one row per connection can be cut mid-transaction: {unknown:?}");
    let got = per_recipient(&server);
    for i in 0..30 {
        let email = format!("fan{i:03}@x.co");
        let n = got.get(&email).copied().unwrap_or(0);
        if unknown.contains(&email) {
            assert!(n <= 1, "{email}: an unknown outcome is never resent");
        } else {
            assert_eq!(n, 1, "{email} must get exactly one message across the killed and the resumed run");
        }
    }
    assert!(!got.contains_key("un@x.co") && !got.contains_key("bn@x.co"), "suppressed fans get nothing");

    let total = server.count();
    let (ok, out, _) = run(db, &["campaign", "send", "--store", "s1", "--campaign", campaign, "--json"]).await;
    assert!(ok && out.contains("\"phase\":\"done\""), "a finished campaign reports done: {out}");
    assert_eq!(server.count(), total, "and sends nothing more");

    let mut changed = fixtures::campaign("Spring launch");
    changed.subject = "Another subject".into();
    std::fs::write(&campaign_file, changed.to_json()).unwrap();
    let (ok, _, err) = run(db, &["campaign", "send", "--store", "s1", "--campaign", campaign]).await;
    assert!(!ok && err.starts_with("error[CAMPAIGN_CHANGED]"), "a started campaign cannot change: {err}");
}

#[tokio::test]
async fn smtp_set_needs_a_password_and_campaign_files_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fans.db");
    let out = Command::new(env!("CARGO_BIN_EXE_fanbase"))
        .arg("--db")
        .arg(&db)
        .args(["smtp", "set", "--host", "smtp.example", "--port", "587", "--tls", "starttls", "--user", "me"])
        .env_remove("FANBASE_SMTP_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .await
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success() && err.starts_with("error[SMTP_PASSWORD_MISSING]"), "{err}");
    let (ok, _, err) = run(&db, &["smtp", "set", "--host", "h", "--port", "25", "--tls", "ssl"]).await;
    assert!(!ok && err.contains("implicit, starttls or none"), "{err}");

    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"name": "x", "subject": "s", "body_markdwn": "hi", "from_name": "", "from_email": "a@b.co"}"#,
    )
    .unwrap();
    assert!(run(&db, &["stores", "add", "--id", "s1", "--name", "S"]).await.0);
    let (ok, _, err) = run(&db, &["campaign", "preview", "--store", "s1", "--campaign", file.to_str().unwrap()]).await;
    assert!(!ok && err.starts_with("error[INVALID_CAMPAIGN]") && err.contains("body_markdwn"), "{err}");
    std::fs::write(
        &file,
        r#"{"name": "x", "subject": "Hi {{ name", "body_markdown": "hi", "from_name": "", "from_email": "a@b.co"}"#,
    )
    .unwrap();
    let (ok, _, err) = run(&db, &["campaign", "preview", "--store", "s1", "--campaign", file.to_str().unwrap()]).await;
    assert!(!ok && err.starts_with("error[TEMPLATE]") && err.contains("subject at line 1, column"), "{err}");
}
