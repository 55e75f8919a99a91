//! Test fixtures for the contacts tests: a real database file in a temp dir, and fans and users
//! written with plain SQL, as any writer (import, sync) would, so the triggers are exercised too.
#![allow(dead_code)]

use fanbase_core::text::{normalize_email, normalize_tag};
use fanbase_core::{stores, Db};
use tempfile::TempDir;

pub const STORE: &str = "store-1";

/// A fresh database file with one store; keep the `TempDir` alive as long as the `Db`.
pub async fn db() -> (TempDir, Db, i64) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = Db::open(&dir.path().join("fans.db")).await.expect("the database opens");
    let pk = stores::ensure(&db, STORE, "Test store", 1).await.expect("the store is created");
    (dir, db, pk)
}

/// A fan to insert; `Fan::new(email)` gives defaults, chained setters the rest.
#[derive(Debug, Clone)]
pub struct Fan {
    pub email: String,
    pub name: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub score: i64,
    pub daw: String,
    pub genre: String,
    pub level: String,
    pub tags: Vec<String>,
    pub remote_updated_at: Option<i64>,
}

impl Fan {
    pub fn new(email: &str) -> Fan {
        Fan {
            email: email.into(),
            name: String::new(),
            kind: "lead",
            status: "active",
            score: 0,
            daw: String::new(),
            genre: String::new(),
            level: String::new(),
            tags: Vec::new(),
            remote_updated_at: None,
        }
    }
    pub fn name(mut self, name: &str) -> Fan {
        self.name = name.into();
        self
    }
    pub fn kind(mut self, kind: &'static str) -> Fan {
        self.kind = kind;
        self
    }
    pub fn status(mut self, status: &'static str) -> Fan {
        self.status = status;
        self
    }
    pub fn score(mut self, score: i64) -> Fan {
        self.score = score;
        self
    }
    pub fn daw(mut self, daw: &str) -> Fan {
        self.daw = daw.into();
        self
    }
    pub fn genre(mut self, genre: &str) -> Fan {
        self.genre = genre.into();
        self
    }
    pub fn level(mut self, level: &str) -> Fan {
        self.level = level.into();
        self
    }
    pub fn tags(mut self, tags: &[&str]) -> Fan {
        self.tags = tags.iter().map(|t| t.to_string()).collect();
        self
    }
    pub fn remote(mut self, updated_at: i64) -> Fan {
        self.remote_updated_at = Some(updated_at);
        self
    }
}

/// Inserts a fan (and its tags) into store `store_pk`; returns its id.
pub async fn fan(db: &Db, store_pk: i64, f: Fan) -> i64 {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (store_pk, email, email_norm, name, type, status, score, daw, type_of_music,
                                student_level, created_at, updated_at, remote_updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?) RETURNING id",
    )
    .bind(store_pk)
    .bind(&f.email)
    .bind(normalize_email(&f.email))
    .bind(&f.name)
    .bind(f.kind)
    .bind(f.status)
    .bind(f.score)
    .bind(&f.daw)
    .bind(&f.genre)
    .bind(&f.level)
    .bind(f.remote_updated_at)
    .fetch_one(db.pool())
    .await
    .expect("the fan is inserted");
    for tag in &f.tags {
        sqlx::query("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(store_pk)
            .bind(tag)
            .bind(normalize_tag(tag))
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO customer_tags (customer_id, tag_id)
             SELECT ?, id FROM tags WHERE store_pk = ? AND name_norm = ?",
        )
        .bind(id)
        .bind(store_pk)
        .bind(normalize_tag(tag))
        .execute(db.pool())
        .await
        .unwrap();
    }
    id
}

/// Inserts a registered platform user.
pub async fn user(db: &Db, id: &str, email: &str, name: &str) {
    sqlx::query(
        "INSERT INTO users (id, clerk_id, email, email_norm, name, role, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'SUBACCOUNT_USER', 1, 1)",
    )
    .bind(id)
    .bind(format!("clerk_{id}"))
    .bind(email)
    .bind(normalize_email(email))
    .bind(name)
    .execute(db.pool())
    .await
    .expect("the user is inserted");
}

/// Every outbox row as (customer_id, email, base_updated_at, set_fields, add_tags, remove_tags, origin, change_id).
pub type OutboxRow = (Option<i64>, String, Option<i64>, String, String, String, String, String);

pub async fn outbox(db: &Db) -> Vec<OutboxRow> {
    sqlx::query_as(
        "SELECT customer_id, email, base_updated_at, set_fields, add_tags, remove_tags, origin, change_id
         FROM outbox ORDER BY id",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
}
