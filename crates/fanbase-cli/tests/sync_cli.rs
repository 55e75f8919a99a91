//! `fanbase login|whoami|sync|conflicts` against the emulator over real HTTP, and the token's
//! absence from everything the CLI prints and writes (stdout, stderr, the database files).

use std::path::Path;
use std::process::Output;

use fanbase_emulator::{Emulator, Generate, Seed};
use serde_json::Value;
use tokio::process::Command;

struct Run {
    out: Output,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    fn json(&self) -> Value {
        assert!(self.out.status.success(), "the command failed: {}", self.stderr());
        serde_json::from_str(self.stdout().trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout()))
    }
}

/// Runs `fanbase --db DB ARGS` with a clean environment plus `env`, feeding `stdin`.
async fn fanbase(home: &Path, db: &Path, env: &[(&str, &str)], stdin: &str, args: &[&str]) -> Run {
    use tokio::io::AsyncWriteExt;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fanbase"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        // No keychain reachable: a login must say so and must not fall back to a file.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fanbase-test-bus")
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the fanbase binary runs");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).await.unwrap();
    drop(input);
    Run { out: child.wait_with_output().await.unwrap() }
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_signs_in_syncs_and_never_shows_or_writes_the_token() {
    let g = Generate { stores: 1, customers_per_store: 500, events_per_store: 50, ..Generate::at(1_760_000_000_000) };
    let emulator = Emulator::start(Seed::generate(&g)).await.unwrap();
    let token = emulator.creator_token().to_string();
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let db = dir.path().join("fans.db");
    let env = [("FANBASE_DEPLOYMENT", emulator.url()), ("FANBASE_TOKEN", token.as_str())];
    let mut printed = String::new();

    let who = fanbase(&home, &db, &env, "", &["whoami", "--json"]).await;
    printed += &(who.stdout() + &who.stderr());
    let who = who.json();
    assert_eq!(who["email"], "cleo.creator@beatlab.example");
    assert_eq!(who["credentials"], "environment", "FANBASE_* take the place of the keychain");

    let sync = fanbase(&home, &db, &env, "", &["sync", "--json"]).await;
    printed += &(sync.stdout() + &sync.stderr());
    let report = sync.json();
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["conflicts", "pulled", "pushed", "rejected"], "the sync report's JSON shape is a contract");
    assert_eq!(report["pulled"], 500);

    let list = fanbase(&home, &db, &env, "", &["conflicts", "list", "--json"]).await;
    printed += &(list.stdout() + &list.stderr());
    assert_eq!(list.json(), serde_json::json!({"conflicts": [], "rejected": []}));

    // No keychain here: login checks the token, then says so and names the environment variables.
    let login = fanbase(&home, &db, &[], &format!("{token}\n"), &["login", "--deployment", emulator.url()]).await;
    printed += &(login.stdout() + &login.stderr());
    assert!(!login.out.status.success(), "login cannot succeed without a keychain");
    assert!(login.stderr().contains("KEYCHAIN_UNAVAILABLE"), "{}", login.stderr());
    assert!(login.stderr().contains("FANBASE_DEPLOYMENT") && login.stderr().contains("FANBASE_TOKEN"));
    let whoami = fanbase(&home, &db, &[], "", &["whoami"]).await;
    printed += &(whoami.stdout() + &whoami.stderr());
    assert!(!whoami.out.status.success(), "nothing was stored anywhere, so nobody is signed in");

    // A revoked token stops the sync with a request to sign in again.
    emulator.state().revoke_token(&token).unwrap();
    let refused = fanbase(&home, &db, &env, "", &["sync"]).await;
    printed += &(refused.stdout() + &refused.stderr());
    assert!(refused.stderr().contains("error[SIGN_IN_REQUIRED]"), "{}", refused.stderr());

    assert!(!printed.contains(&token), "the token appeared in the CLI's output:\n{printed}");
    let mut files = Vec::new();
    files_under(dir.path(), &mut files);
    assert!(files.iter().any(|f| f.ends_with("fans.db")), "the database file exists: {files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let found = bytes.windows(token.len()).any(|w| w == token.as_bytes());
        assert!(!found, "the token was written to {}", file.display());
    }
}
