//! `fanbase users pull|list|set-role` and `fanbase stats` against the emulator over real HTTP with a
//! real database file: an admin's happy path, the own-admin-flag CONFLICT message, a bulk change
//! with partial failure, and a non-admin refused before any admin request (NOT_ADMIN).

use std::path::Path;
use std::process::Output;

use fanbase_emulator::{Emulator, Generate, Seed};
use serde_json::Value;
use tokio::process::Command;

struct Run(Output);

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    fn json(&self) -> Value {
        assert!(self.0.status.success(), "the command failed: {}", self.stderr());
        serde_json::from_str(self.stdout().trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout()))
    }
}

/// Runs `fanbase --db DB ARGS` with a clean environment and the platform sign-in in the environment.
async fn fanbase(home: &Path, db: &Path, emulator: &Emulator, token: &str, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_fanbase"))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/fanbase-test-bus")
        .env("FANBASE_DEPLOYMENT", emulator.url())
        .env("FANBASE_TOKEN", token)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .await
        .expect("the fanbase binary runs");
    Run(out)
}

fn role_of(emulator: &Emulator, id: &str) -> String {
    serde_json::to_value(emulator.state().user(id).unwrap().role).unwrap().as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_manages_users_and_reads_stats_from_the_command_line() {
    let g = Generate {
        stores: 2,
        customers_per_store: 60,
        users: 15,
        events_per_store: 40,
        ..Generate::at(1_760_000_000_000)
    };
    let emulator = Emulator::start(Seed::generate(&g)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (home, db) = (dir.path().join("home"), dir.path().join("fans.db"));
    std::fs::create_dir_all(&home).unwrap();
    let admin = emulator.admin_token().to_string();
    let me = emulator.admin_user_id().to_string();
    let platform_users = emulator.state().users();

    let pulled = fanbase(&home, &db, &emulator, &admin, &["users", "pull", "--json"]).await.json();
    assert_eq!(pulled["users"], platform_users.len(), "every platform user is in the local copy: {pulled}");

    let all = fanbase(&home, &db, &emulator, &admin, &["users", "list", "--json", "--limit", "1000"]).await.json();
    assert_eq!(all["total"], platform_users.len());
    let guests = platform_users.iter().filter(|u| serde_json::to_value(u.role).unwrap() == "SUBACCOUNT_GUEST").count();
    let listed = fanbase(&home, &db, &emulator, &admin, &["users", "list", "--role", "guest", "--json"]).await.json();
    assert_eq!(listed["total"], guests, "the friendly role name filters like the contract's value");
    let listed =
        fanbase(&home, &db, &emulator, &admin, &["users", "list", "--role", "SUBACCOUNT_GUEST", "--json"]).await;
    assert_eq!(listed.json()["total"], guests);
    let found = fanbase(&home, &db, &emulator, &admin, &["users", "list", "--search", "cleo", "--json"]).await.json();
    assert_eq!(found["rows"][0]["email"], "cleo.creator@beatlab.example", "search over name and email: {found}");

    // One user's role, then the admin flag, seen on the emulator.
    let target = if role_of(&emulator, "user000004") == "SUBACCOUNT_GUEST" { "owner" } else { "guest" };
    let row =
        fanbase(&home, &db, &emulator, &admin, &["users", "set-role", "user000004", "--role", target, "--json"]).await;
    let row = row.json();
    let expected = if target == "owner" { "AGENCY_OWNER" } else { "SUBACCOUNT_GUEST" };
    assert_eq!(row["role"], expected, "the CLI prints the updated row");
    assert_eq!(role_of(&emulator, "user000004"), expected, "the platform has the new role");
    let row =
        fanbase(&home, &db, &emulator, &admin, &["users", "set-role", "user000004", "--admin", "true", "--json"]).await;
    assert_eq!(row.json()["admin"], true);
    assert!(emulator.state().user("user000004").unwrap().admin, "the admin flag is granted on the platform");

    // Your own admin flag: the platform's CONFLICT and message.
    let own = fanbase(&home, &db, &emulator, &admin, &["users", "set-role", &me, "--admin", "false"]).await;
    assert!(!own.0.status.success(), "removing your own admin flag fails");
    assert!(own.stderr().starts_with("error[CONFLICT]:"), "the platform's code: {}", own.stderr());
    assert!(own.stderr().contains("you cannot remove your own admin flag"), "its message: {}", own.stderr());

    // Bulk with one unknown user: per-user results, exit status 1.
    let bulk = fanbase(
        &home,
        &db,
        &emulator,
        &admin,
        &["users", "set-role", "user000005", "ghost", "user000006", "--role", "user", "--json"],
    )
    .await;
    assert!(!bulk.0.status.success(), "a partial failure exits 1");
    let out: Value = serde_json::from_str(bulk.stdout().trim()).expect("the result list is printed first");
    assert_eq!((out["applied"].as_u64(), out["refused"].as_u64()), (Some(2), Some(1)), "{out}");
    assert_eq!(out["results"][1]["code"], "NOT_FOUND");
    assert!(bulk.stderr().starts_with("error[PARTIAL]:"), "{}", bulk.stderr());
    assert_eq!(role_of(&emulator, "user000006"), "SUBACCOUNT_USER");

    let stats = fanbase(&home, &db, &emulator, &admin, &["stats", "--json"]).await.json();
    assert_eq!(stats["total_users"], platform_users.len());
    let stripe = emulator.state().users().iter().filter(|u| u.stripe_connect_account_id.is_some()).count();
    assert_eq!(stats["creators"], stripe, "creators = Stripe-connected users");
    assert_eq!(stats["signups_per_week"].as_array().unwrap().len(), 26);
    let text = fanbase(&home, &db, &emulator, &admin, &["stats"]).await;
    assert!(text.0.status.success() && text.stdout().contains("fan → user conversion"), "{}", text.stdout());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_non_admin_is_refused_before_any_admin_request() {
    let g = Generate {
        stores: 1,
        customers_per_store: 10,
        users: 6,
        events_per_store: 0,
        ..Generate::at(1_760_000_000_000)
    };
    let emulator = Emulator::start(Seed::generate(&g)).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (home, db) = (dir.path().join("home"), dir.path().join("fans.db"));
    std::fs::create_dir_all(&home).unwrap();
    let creator = emulator.creator_token().to_string();
    let before = emulator.state().users();
    for args in [&["users", "pull"][..], &["users", "set-role", "user000003", "--role", "owner"][..]] {
        let run = fanbase(&home, &db, &emulator, &creator, args).await;
        assert!(!run.0.status.success(), "{args:?} must fail for a non-admin");
        assert!(run.stderr().starts_with("error[NOT_ADMIN]:"), "refused locally: {}", run.stderr());
    }
    assert_eq!(emulator.state().users(), before, "nothing changed on the platform");
    let bad = fanbase(&home, &db, &emulator, &creator, &["users", "set-role", "user000003", "--role", "boss"]).await;
    assert!(
        bad.stderr().contains("owner, admin, user or guest"),
        "unknown roles name the accepted ones: {}",
        bad.stderr()
    );
}
