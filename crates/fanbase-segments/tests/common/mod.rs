//! Shared by the integration tests: writing contacts straight into a real database, and a plain
//! in-memory evaluator of segments that the property tests compare the compiled SQL with.
#![allow(dead_code)]

use fanbase_core::text::{normalize_email, normalize_tag};
use fanbase_core::{stores, Db};
use fanbase_segments::{Condition, Field, Op, Operand, Segment};
use serde_json::{Map, Value};

pub const DAY: i64 = 86_400_000;
/// The fixed "now" of the tests (2025-06-15T15:06:40Z).
pub const NOW: i64 = 1_750_000_000_000;

/// A contact as the tests describe it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    pub email: String,
    pub name: String,
    pub kind: String,
    pub source: String,
    pub status: String,
    pub daw: String,
    pub genre: String,
    pub level: String,
    pub phone: String,
    pub score: i64,
    pub spent_cents: i64,
    pub opens: bool,
    pub clicks: bool,
    pub last_open: i64,
    pub created: i64,
    pub updated: i64,
    pub tags: Vec<String>,
    pub custom: Map<String, Value>,
    pub has_account: bool,
}

impl Default for Fan {
    fn default() -> Self {
        Fan {
            email: "someone@example.com".into(),
            name: String::new(),
            kind: "lead".into(),
            source: String::new(),
            status: "active".into(),
            daw: String::new(),
            genre: String::new(),
            level: String::new(),
            phone: String::new(),
            score: 0,
            spent_cents: 0,
            opens: false,
            clicks: false,
            last_open: 0,
            created: NOW - 30 * DAY,
            updated: NOW - 30 * DAY,
            tags: Vec::new(),
            custom: Map::new(),
            has_account: false,
        }
    }
}

/// A real database file in a fresh temp dir, with store `s1`.
pub async fn file_db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("fans.db")).await.expect("open db");
    stores::add(&db, "s1", "Test store", NOW).await.expect("add store");
    (dir, db)
}

/// Writes `fans` into store `store_id`; returns their ids in the same order.
pub async fn insert_fans(db: &Db, store_id: &str, fans: &[Fan]) -> Vec<i64> {
    let store_pk = stores::pk(db, store_id).await.unwrap();
    let mut ids = Vec::new();
    for f in fans {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO customers (store_pk, email, email_norm, name, type, source, total_spent_cents, score, daw,
             type_of_music, student_level, phone, opens_email, clicks_links, last_open_date, status, custom,
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(store_pk)
        .bind(f.email.trim())
        .bind(normalize_email(&f.email))
        .bind(&f.name)
        .bind(&f.kind)
        .bind(&f.source)
        .bind(f.spent_cents)
        .bind(f.score)
        .bind(&f.daw)
        .bind(&f.genre)
        .bind(&f.level)
        .bind(&f.phone)
        .bind(f.opens)
        .bind(f.clicks)
        .bind(f.last_open)
        .bind(&f.status)
        .bind(Value::Object(f.custom.clone()).to_string())
        .bind(f.created)
        .bind(f.updated)
        .fetch_one(db.pool())
        .await
        .expect("insert fan");
        for tag in &f.tags {
            sqlx::query("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                .bind(store_pk)
                .bind(tag)
                .bind(normalize_tag(tag))
                .execute(db.pool())
                .await
                .unwrap();
            sqlx::query(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag_id)
                 SELECT ?, id FROM tags WHERE store_pk = ? AND name_norm = ?",
            )
            .bind(id)
            .bind(store_pk)
            .bind(normalize_tag(tag))
            .execute(db.pool())
            .await
            .unwrap();
        }
        if f.has_account {
            let norm = normalize_email(&f.email);
            sqlx::query(
                "INSERT OR IGNORE INTO users (id, clerk_id, email, email_norm, role, created_at, updated_at)
                 VALUES (?, ?, ?, ?, 'SUBACCOUNT_USER', 0, 0)",
            )
            .bind(format!("user_{norm}"))
            .bind(format!("clerk_{norm}"))
            .bind(f.email.to_uppercase())
            .bind(&norm)
            .execute(db.pool())
            .await
            .unwrap();
        }
        ids.push(id);
    }
    ids
}

// ---- the plain evaluator: the meaning of a segment, written without SQL ----

/// Whether `fan` matches `segment` at `now`.
pub fn matches(segment: &Segment, fan: &Fan, now: i64) -> bool {
    match segment {
        Segment::All(m) => m.iter().all(|s| matches(s, fan, now)),
        Segment::Any(m) => m.iter().any(|s| matches(s, fan, now)),
        Segment::None(m) => !m.iter().any(|s| matches(s, fan, now)),
        Segment::Condition(c) => condition(c, fan, now),
    }
}

fn custom_text(fan: &Fan, name: &str) -> String {
    match fan.custom.get(name) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        Some(other) => other.to_string(),
    }
}

fn condition(c: &Condition, fan: &Fan, now: i64) -> bool {
    let field = c.field();
    match field {
        Field::Email => text(c.op(), c.operand(), &fanbase_core::text::normalize_email(&fan.email), true),
        Field::Name => text(c.op(), c.operand(), &fan.name, false),
        Field::Type => text(c.op(), c.operand(), &fan.kind, false),
        Field::Source => text(c.op(), c.operand(), &fan.source, false),
        Field::Status => text(c.op(), c.operand(), &fan.status, false),
        Field::Daw => text(c.op(), c.operand(), &fan.daw, false),
        Field::TypeOfMusic => text(c.op(), c.operand(), &fan.genre, false),
        Field::StudentLevel => text(c.op(), c.operand(), &fan.level, false),
        Field::Phone => text(c.op(), c.operand(), &fan.phone, false),
        Field::Custom(name) => text(c.op(), c.operand(), &custom_text(fan, name), false),
        Field::Score => number(c.op(), c.operand(), fan.score),
        Field::TotalSpent => number(c.op(), c.operand(), fan.spent_cents),
        Field::OpensEmail => boolean(c.op(), c.operand(), fan.opens),
        Field::ClicksLinks => boolean(c.op(), c.operand(), fan.clicks),
        Field::HasAccount => boolean(c.op(), c.operand(), fan.has_account),
        Field::LastOpenDate => date(c.op(), c.operand(), fan.last_open, now),
        Field::CreatedAt => date(c.op(), c.operand(), fan.created, now),
        Field::UpdatedAt => date(c.op(), c.operand(), fan.updated, now),
        Field::Tags => tags(c.op(), c.operand(), &fan.tags),
    }
}

/// Case-insensitive text: ASCII letters fold (as SQLite's NOCASE and lower()); the email is
/// compared in its stored lower-case form, with the value lower-cased the same way.
fn text(op: Op, value: &Operand, actual: &str, email: bool) -> bool {
    let fold = |s: &str| if email { s.to_lowercase() } else { s.to_ascii_lowercase() };
    let fold_eq = |s: &str| if email { fanbase_core::text::normalize_email(s) } else { s.to_ascii_lowercase() };
    let a = fold(actual);
    match (op, value) {
        (Op::Eq, Operand::Text(v)) => a == fold_eq(v),
        (Op::Neq, Operand::Text(v)) => a != fold_eq(v),
        (Op::In, Operand::Texts(vs)) => vs.iter().any(|v| a == fold_eq(v)),
        (Op::NotIn, Operand::Texts(vs)) => !vs.iter().any(|v| a == fold_eq(v)),
        (Op::Contains, Operand::Text(v)) => a.contains(&fold(v)),
        (Op::NotContains, Operand::Text(v)) => !a.contains(&fold(v)),
        (Op::StartsWith, Operand::Text(v)) => a.starts_with(&fold(v)),
        (Op::EndsWith, Operand::Text(v)) => a.ends_with(&fold(v)),
        (Op::IsEmpty, _) => a.is_empty(),
        (Op::IsNotEmpty, _) => !a.is_empty(),
        other => panic!("no text operator {other:?}"),
    }
}

fn number(op: Op, value: &Operand, actual: i64) -> bool {
    match (op, value) {
        (Op::Eq, Operand::Int(v)) => actual == *v,
        (Op::Neq, Operand::Int(v)) => actual != *v,
        (Op::Gt, Operand::Int(v)) => actual > *v,
        (Op::Gte, Operand::Int(v)) => actual >= *v,
        (Op::Lt, Operand::Int(v)) => actual < *v,
        (Op::Lte, Operand::Int(v)) => actual <= *v,
        (Op::Between, Operand::Range(lo, hi)) => *lo <= actual && actual <= *hi,
        (Op::In, Operand::Ints(vs)) => vs.contains(&actual),
        (Op::NotIn, Operand::Ints(vs)) => !vs.contains(&actual),
        other => panic!("no number operator {other:?}"),
    }
}

fn boolean(op: Op, value: &Operand, actual: bool) -> bool {
    match (op, value) {
        (Op::Eq, Operand::Bool(v)) => actual == *v,
        (Op::Neq, Operand::Bool(v)) => actual != *v,
        other => panic!("no boolean operator {other:?}"),
    }
}

/// Dates: 0 means never; "never" is empty and matches no comparison.
fn date(op: Op, value: &Operand, actual: i64, now: i64) -> bool {
    let set = actual != 0;
    match (op, value) {
        (Op::IsEmpty, _) => !set,
        (Op::IsNotEmpty, _) => set,
        (Op::Before, Operand::Int(t)) => set && actual < *t,
        (Op::After, Operand::Int(t)) => set && actual > *t,
        (Op::Between, Operand::Range(a, b)) => set && *a <= actual && actual <= *b,
        (Op::WithinDays, Operand::Int(d)) => set && actual >= now - d * DAY,
        (Op::NotWithinDays, Operand::Int(d)) => !(set && actual >= now - d * DAY),
        other => panic!("no date operator {other:?}"),
    }
}

fn tags(op: Op, value: &Operand, actual: &[String]) -> bool {
    let have: Vec<String> = actual.iter().map(|t| t.trim().to_lowercase()).collect();
    let wanted = || -> Vec<String> {
        let Operand::Texts(vs) = value else { panic!("tags take a list") };
        vs.iter().map(|t| t.trim().to_lowercase()).collect()
    };
    match op {
        Op::IsEmpty => have.is_empty(),
        Op::IsNotEmpty => !have.is_empty(),
        Op::HasAny => wanted().iter().any(|w| have.contains(w)),
        Op::HasAll => wanted().iter().all(|w| have.contains(w)),
        Op::HasNone => !wanted().iter().any(|w| have.contains(w)),
        other => panic!("no tag operator {other:?}"),
    }
}
