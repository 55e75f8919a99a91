//! Filters and exact counts over a real database file, checked against a plain evaluation in Rust
//! of the same filter over every row; and the store header's conversion rate.

mod seed;

use std::collections::{HashMap, HashSet};

use fanbase_core::contacts::{self, ContactFilter, PageRequest};
use fanbase_core::{demo, Db};

struct Row {
    id: i64,
    kind: String,
    status: String,
    score: i64,
    daw: String,
    genre: String,
    level: String,
    tags: HashSet<String>,
    has_account: bool,
}

async fn rows(db: &Db, store_pk: i64) -> Vec<Row> {
    let users: HashSet<String> =
        sqlx::query_scalar("SELECT email_norm FROM users").fetch_all(db.pool()).await.unwrap().into_iter().collect();
    let mut tags: HashMap<i64, HashSet<String>> = HashMap::new();
    let pairs: Vec<(i64, String)> =
        sqlx::query_as("SELECT ct.customer_id, t.name_norm FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id")
            .fetch_all(db.pool())
            .await
            .unwrap();
    for (id, tag) in pairs {
        tags.entry(id).or_default().insert(tag);
    }
    type Raw = (i64, String, String, i64, String, String, String, String);
    let raw: Vec<Raw> = sqlx::query_as(
        "SELECT id, type, status, score, daw, type_of_music, student_level, email_norm FROM customers WHERE store_pk = ?",
    )
    .bind(store_pk)
    .fetch_all(db.pool())
    .await
    .unwrap();
    raw.into_iter()
        .map(|(id, kind, status, score, daw, genre, level, email)| Row {
            id,
            kind,
            status,
            score,
            daw,
            genre,
            level,
            tags: tags.remove(&id).unwrap_or_default(),
            has_account: users.contains(&email),
        })
        .collect()
}

fn any_of(values: &[String], v: &str) -> bool {
    values.is_empty() || values.iter().any(|x| x.eq_ignore_ascii_case(v))
}

/// The filter evaluated in plain Rust (no search): what the SQL must agree with.
fn matches(f: &ContactFilter, r: &Row) -> bool {
    any_of(&f.kind, &r.kind)
        && any_of(&f.status, &r.status)
        && any_of(&f.daw, &r.daw)
        && any_of(&f.type_of_music, &r.genre)
        && any_of(&f.student_level, &r.level)
        && f.score_min.is_none_or(|m| r.score >= m)
        && f.score_max.is_none_or(|m| r.score <= m)
        && f.has_account.is_none_or(|h| r.has_account == h)
        && (f.tag.is_empty() || f.tag.iter().any(|t| r.tags.contains(&t.to_lowercase())))
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[tokio::test]
async fn counts_and_pages_agree_with_a_plain_evaluation() {
    let (_dir, db, pk) = seed::db().await;
    demo::fill(&db, seed::STORE, 2500, 11, 1_700_000_000_000).await.unwrap();
    demo::fill(&db, "other", 300, 12, 1_700_000_000_000).await.unwrap();
    let all = rows(&db, pk).await;
    let filters = [
        ContactFilter::default(),
        ContactFilter { kind: s(&["paying"]), ..Default::default() },
        ContactFilter { kind: s(&["paying", "subscription"]), ..Default::default() },
        ContactFilter { status: s(&["bounced", "complained"]), ..Default::default() },
        ContactFilter { has_account: Some(true), ..Default::default() },
        ContactFilter { has_account: Some(false), ..Default::default() },
        ContactFilter { has_account: Some(false), kind: s(&["lead"]), score_min: Some(30), ..Default::default() },
        ContactFilter { tag: s(&["VIP"]), ..Default::default() },
        ContactFilter { tag: s(&["vip", "edm"]), ..Default::default() },
        ContactFilter { tag: s(&["no-such-tag"]), ..Default::default() },
        ContactFilter { daw: s(&["ableton", "FL STUDIO"]), ..Default::default() },
        ContactFilter { daw: s(&[""]), ..Default::default() },
        ContactFilter { type_of_music: s(&["techno"]), student_level: s(&["Advanced"]), ..Default::default() },
        ContactFilter { score_min: Some(50), score_max: Some(60), ..Default::default() },
        ContactFilter { score_min: Some(100), score_max: Some(10), ..Default::default() },
        ContactFilter {
            kind: s(&["lead"]),
            status: s(&["active"]),
            tag: s(&["house"]),
            has_account: Some(true),
            ..Default::default()
        },
    ];
    for f in &filters {
        let want: HashSet<i64> = all.iter().filter(|r| matches(f, r)).map(|r| r.id).collect();
        let count = contacts::count_matching(&db, seed::STORE, f).await.unwrap();
        assert_eq!(count, want.len() as i64, "exact count for {f:?}");
        let mut got = HashSet::new();
        let mut after = None;
        loop {
            let req = PageRequest { after, limit: 400, ..Default::default() };
            let page = contacts::page_matching(&db, seed::STORE, f, &req).await.unwrap();
            for r in &page.rows {
                assert!(got.insert(r.id), "no contact twice for {f:?}");
                assert!(r.fan, "fans only when users are not included");
            }
            after = page.next;
            if after.is_none() {
                break;
            }
        }
        assert_eq!(got, want, "the rows shown for {f:?} are exactly the matching ones");
    }
    assert!(all.iter().any(|r| r.has_account) && all.iter().any(|r| !r.has_account), "the demo mixes both");
}

#[tokio::test]
async fn conversion_rate_is_fans_with_an_account_over_fans() {
    let (_dir, db, pk) = seed::db().await;
    let empty = contacts::conversion(&db, seed::STORE).await.unwrap();
    assert_eq!((empty.fans, empty.with_account, empty.rate), (0, 0, 0.0), "no fans: rate 0, no division by zero");
    for i in 0..8 {
        seed::fan(&db, pk, seed::Fan::new(&format!("fan{i}@example.com"))).await;
    }
    seed::user(&db, "u1", "FAN1@example.com", "One").await;
    seed::user(&db, "u2", "fan2@EXAMPLE.com", "Two").await;
    seed::user(&db, "u2b", "fan2@example.com", "Two again").await; // same person twice: counted once
    seed::user(&db, "u9", "stranger@example.com", "No fan").await;
    let c = contacts::conversion(&db, seed::STORE).await.unwrap();
    assert_eq!((c.fans, c.with_account), (8, 2), "emails match case-insensitively, each fan counted once");
    assert!((c.rate - 0.25).abs() < 1e-12, "2 of 8 fans have an account, got {}", c.rate);
}

#[tokio::test]
async fn unknown_filter_values_are_explained() {
    let (_dir, db, _pk) = seed::db().await;
    let bad = ContactFilter { kind: s(&["customer"]), ..Default::default() };
    let err = contacts::count_matching(&db, seed::STORE, &bad).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_ARGUMENT");
    assert!(err.to_string().contains("lead, paying, subscription"), "the message lists the valid types: {err}");
    let missing = contacts::count_matching(&db, "nope", &ContactFilter::default()).await.unwrap_err();
    assert_eq!(missing.code(), "STORE_NOT_FOUND");
    let json: ContactFilter =
        serde_json::from_str(r#"{"search": "ali", "type": ["paying"], "has_account": true, "score_min": 5}"#).unwrap();
    assert_eq!(json.kind, ["paying"], "the JSON shape the UI sends");
}
