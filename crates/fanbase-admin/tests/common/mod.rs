//! Shared set-up of the admin integration tests: a real emulator on loopback, a real SQLite file in
//! a temp dir, and clients with short retry waits.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use fanbase_core::Db;
use fanbase_emulator::{Emulator, Generate, Seed};
use fanbase_sync::{Client, Credentials, RetryPolicy, Token};

pub const NOW: i64 = 1_760_000_000_000;

pub struct World {
    pub emulator: Emulator,
    pub db: Db,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

/// An emulator with 2 stores of 40 fans and `users` registered users, and an empty database file.
pub async fn world(users: usize) -> World {
    let g = Generate { stores: 2, customers_per_store: 40, users, events_per_store: 30, ..Generate::at(NOW) };
    let emulator = Emulator::start(Seed::generate(&g)).await.expect("the emulator starts on loopback");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fans.db");
    let db = Db::open(&path).await.unwrap();
    World { emulator, db, path, _dir: dir }
}

pub fn client(emulator: &Emulator, token: &str) -> Client {
    let policy = RetryPolicy {
        max_attempts: 4,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(1),
        request_timeout: Duration::from_secs(20),
        connect_timeout: Duration::from_secs(5),
    };
    Client::with_policy(&Credentials::new(emulator.url(), Token::new(token)).unwrap(), policy).unwrap()
}

pub fn clock() -> i64 {
    fanbase_core::now_ms()
}

pub async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}
