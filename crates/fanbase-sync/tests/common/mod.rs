//! Shared set-up of the sync integration tests: a real emulator on loopback, a real SQLite file in
//! a temp dir, a client with short retry waits, and local edits written as the contacts module does.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use fanbase_core::Db;
use fanbase_emulator::{Emulator, Generate, Seed};
use fanbase_sync::{no_progress, Cancel, Client, Credentials, RetryPolicy, SyncOptions, SyncReport, Token};
use serde_json::Value;

pub const NOW: i64 = 1_760_000_000_000;

pub struct World {
    pub emulator: Emulator,
    pub db: Db,
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

/// An emulator with `stores` stores of `customers` fans and `events` events each, and an empty database file.
pub async fn world(stores: usize, customers: usize, events: usize) -> World {
    let g =
        Generate { stores, customers_per_store: customers, users: 20, events_per_store: events, ..Generate::at(NOW) };
    let emulator = Emulator::start(Seed::generate(&g)).await.expect("the emulator starts on loopback");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fans.db");
    let db = Db::open(&path).await.unwrap();
    World { emulator, db, path, _dir: dir }
}

/// Retries fast enough for tests; `max_retry_after` bounds the emulator's Retry-After.
pub fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 12,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(1),
        request_timeout: Duration::from_secs(30),
        connect_timeout: Duration::from_secs(5),
    }
}

pub fn client(emulator: &Emulator, token: &str) -> Client {
    let creds = Credentials::new(emulator.url(), Token::new(token)).unwrap();
    Client::with_policy(&creds, policy()).unwrap()
}

pub fn options(store: Option<&str>) -> SyncOptions {
    SyncOptions { store: store.map(str::to_string), ..SyncOptions::default() }
}

pub async fn sync(db: &Db, client: &Client, store: Option<&str>) -> fanbase_sync::Result<SyncReport> {
    fanbase_sync::sync(db, client, &options(store), &no_progress, &Cancel::new()).await
}

pub async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A local edit as the contacts module records it: the row changes now, and one outbox row with
/// a fresh change id and the contact's `remote_updated_at` as base.
pub async fn edit(db: &Db, customer_id: i64, set: Value, add: &[&str], remove: &[&str]) {
    let mut tx = db.pool().begin().await.unwrap();
    if let Some(score) = set.get("score").and_then(Value::as_i64) {
        sqlx::query("UPDATE customers SET score = ? WHERE id = ?")
            .bind(score)
            .bind(customer_id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    if let Some(name) = set.get("name").and_then(Value::as_str) {
        sqlx::query("UPDATE customers SET name = ? WHERE id = ?")
            .bind(name)
            .bind(customer_id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    for tag in add {
        sqlx::query(
            "INSERT INTO tags (store_pk, name, name_norm) SELECT store_pk, ?1, lower(?1) FROM customers WHERE id = ?2
             ON CONFLICT DO NOTHING",
        )
        .bind(tag)
        .bind(customer_id)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id)
             SELECT c.id, t.id FROM customers c JOIN tags t ON t.store_pk = c.store_pk AND t.name_norm = lower(?1)
             WHERE c.id = ?2",
        )
        .bind(tag)
        .bind(customer_id)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, set_fields, add_tags, remove_tags,
            origin, created_at)
         SELECT ?, store_pk, id, email, remote_updated_at, ?, ?, ?, 'ui', ? FROM customers WHERE id = ?",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(set.to_string())
    .bind(serde_json::json!(add).to_string())
    .bind(serde_json::json!(remove).to_string())
    .bind(NOW)
    .bind(customer_id)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The local id of a fan by email.
pub async fn local_id(db: &Db, email: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM customers WHERE email_norm = lower(trim(?))")
        .bind(email)
        .fetch_one(db.pool())
        .await
        .unwrap_or_else(|e| panic!("no local fan {email}: {e}"))
}

/// One outbox edit per synced fan of the store at once (score := `score`, tag `tag` added), as a
/// bulk edit of the contacts module would record them. Returns how many.
pub async fn bulk_edit(db: &Db, store_id: &str, score: i64, tag: &str) -> u64 {
    let mut tx = db.pool().begin().await.unwrap();
    let store_pk: i64 =
        sqlx::query_scalar("SELECT pk FROM stores WHERE id = ?").bind(store_id).fetch_one(&mut *tx).await.unwrap();
    sqlx::query("UPDATE customers SET score = ? WHERE store_pk = ? AND remote_id IS NOT NULL")
        .bind(score)
        .bind(store_pk)
        .execute(&mut *tx)
        .await
        .unwrap();
    let n = sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, set_fields, add_tags, origin,
            created_at)
         SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a'
                || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                store_pk, id, email, remote_updated_at, json_object('score', ?), json_array(?), 'ui', ?
         FROM customers WHERE store_pk = ? AND remote_id IS NOT NULL ORDER BY id",
    )
    .bind(score)
    .bind(tag)
    .bind(NOW)
    .bind(store_pk)
    .execute(&mut *tx)
    .await
    .unwrap()
    .rows_affected();
    tx.commit().await.unwrap();
    n
}
