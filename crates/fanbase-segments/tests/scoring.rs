//! Lead scoring: default rules, condition and event rules, expiry, and incremental updates giving
//! the same scores as a full recompute.

mod common;

use common::{file_db, insert_fans, Fan, DAY, NOW};
use fanbase_core::{stores, Db};
use fanbase_segments::engagement::{self, EventKind, NewEvent, Origin};
use fanbase_segments::scoring::{self, Rule};
use fanbase_segments::Error;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

async fn scores(db: &Db) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT email_norm, score FROM customers ORDER BY id").fetch_all(db.pool()).await.unwrap()
}

async fn add_events(db: &Db, events: &[(&str, EventKind, i64)]) {
    let store_pk = stores::pk(db, "s1").await.unwrap();
    let events: Vec<NewEvent> = events
        .iter()
        .enumerate()
        .map(|(i, (email, kind, at))| NewEvent {
            key: format!("t-{i}-{email}-{}-{at}", kind.name()),
            email: email.to_string(),
            kind: *kind,
            at: *at,
            amount_cents: 100,
            url: String::new(),
            campaign_id: String::new(),
        })
        .collect();
    let mut tx = db.pool().begin().await.unwrap();
    engagement::store_raw(&mut tx, store_pk, &events, Origin::Import).await.unwrap();
    engagement::apply_pending_raw(&mut tx, store_pk, NOW).await.unwrap();
    tx.commit().await.unwrap();
}

fn rule(json: serde_json::Value) -> Rule {
    Rule::from_json(&json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

#[tokio::test]
async fn a_new_store_starts_with_the_default_rules() {
    let (_dir, db) = file_db().await;
    let rules = scoring::list_rules(&db, "s1").await.unwrap();
    let json: Vec<_> = rules.iter().map(Rule::to_json).collect();
    assert_eq!(
        json,
        vec![
            json!({"name": "open", "event": "open", "points": 10}),
            json!({"name": "click", "event": "click", "points": 5}),
            json!({"name": "purchase", "event": "purchase", "points": 20}),
            json!({"name": "enrollment", "event": "enrollment", "points": 15}),
            json!({"name": "no open in 90 days", "condition": {"field": "last_open_date", "op": "not_within_days", "value": 90}, "points": -10}),
        ],
        "the defaults of the issue, in order"
    );
}

#[tokio::test]
async fn recompute_adds_event_and_condition_points() {
    let (_dir, db) = file_db().await;
    let fans = [
        Fan { email: "ana@x.com".into(), score: 99, ..Fan::default() },
        Fan { email: "bo@x.com".into(), score: 99, ..Fan::default() },
        Fan { email: "cy@x.com".into(), score: 99, daw: "Ableton".into(), ..Fan::default() },
    ];
    insert_fans(&db, "s1", &fans).await;
    add_events(
        &db,
        &[
            ("ana@x.com", EventKind::Open, NOW - DAY),
            ("ana@x.com", EventKind::Open, NOW - 2 * DAY),
            ("ana@x.com", EventKind::Click, NOW - DAY),
            ("cy@x.com", EventKind::Purchase, NOW - 5 * DAY),
            ("cy@x.com", EventKind::Enrollment, NOW - 5 * DAY),
            ("cy@x.com", EventKind::Bounce, NOW - 5 * DAY),
        ],
    )
    .await;
    let done = scoring::recompute(&db, "s1", NOW).await.unwrap();
    assert_eq!(done.contacts, 3);
    assert_eq!(
        scores(&db).await,
        [("ana@x.com".into(), 25), ("bo@x.com".into(), -10), ("cy@x.com".into(), 20 + 15 - 10)],
        "ana: two opens and a click; bo: never opened; cy: purchase, enrollment, never opened"
    );
    let unchanged = scoring::recompute(&db, "s1", NOW).await.unwrap();
    assert_eq!(unchanged.changed, 0, "recompute is deterministic: a second run changes nothing");

    scoring::set_rule(
        &db,
        "s1",
        &rule(json!({"name": "Ableton", "condition": {"field": "daw", "op": "eq", "value": "ableton"}, "points": 7})),
        NOW,
    )
    .await
    .unwrap();
    scoring::set_rule(&db, "s1", &rule(json!({"name": "bounce", "event": "bounce", "points": -50})), NOW)
        .await
        .unwrap();
    scoring::set_rule(&db, "s1", &rule(json!({"name": "OPEN", "event": "open", "points": 1})), NOW).await.unwrap();
    let names: Vec<String> = scoring::list_rules(&db, "s1").await.unwrap().into_iter().map(|r| r.name).collect();
    assert_eq!(
        names,
        ["OPEN", "click", "purchase", "enrollment", "no open in 90 days", "Ableton", "bounce"],
        "set replaces by name"
    );
    scoring::recompute(&db, "s1", NOW).await.unwrap();
    assert_eq!(
        scores(&db).await,
        [("ana@x.com".into(), 1 + 1 + 5), ("bo@x.com".into(), -10), ("cy@x.com".into(), 20 + 15 - 10 + 7 - 50)],
        "new and replaced rules apply on recompute"
    );

    scoring::delete_rule(&db, "s1", "no open in 90 DAYS").await.unwrap();
    scoring::recompute(&db, "s1", NOW).await.unwrap();
    assert_eq!(scores(&db).await[1], ("bo@x.com".into(), 0), "a deleted rule no longer counts");
    assert!(matches!(scoring::delete_rule(&db, "s1", "nope").await, Err(Error::RuleNotFound { .. })));
}

#[tokio::test]
async fn event_points_expire_after_the_rule_days() {
    let (_dir, db) = file_db().await;
    insert_fans(&db, "s1", &[Fan { email: "ana@x.com".into(), ..Fan::default() }]).await;
    scoring::set_rule(
        &db,
        "s1",
        &rule(json!({"name": "open", "event": "open", "points": 10, "expires_days": 30})),
        NOW,
    )
    .await
    .unwrap();
    scoring::delete_rule(&db, "s1", "no open in 90 days").await.unwrap();
    add_events(&db, &[("ana@x.com", EventKind::Open, NOW - 29 * DAY), ("ana@x.com", EventKind::Open, NOW - 31 * DAY)])
        .await;
    scoring::recompute(&db, "s1", NOW).await.unwrap();
    assert_eq!(scores(&db).await[0].1, 10, "the open of 31 days ago has expired, the one of 29 days has not");
    scoring::recompute(&db, "s1", NOW - 2 * DAY).await.unwrap();
    assert_eq!(scores(&db).await[0].1, 20, "two days earlier both opens counted");
    scoring::recompute(&db, "s1", NOW + 2 * DAY).await.unwrap();
    assert_eq!(scores(&db).await[0].1, 0, "two days later both have expired");
    scoring::recompute(&db, "s1", NOW - 29 * DAY + 30 * DAY).await.unwrap();
    assert_eq!(scores(&db).await[0].1, 10, "an event counts up to exactly its expiry day");
}

/// Rules drawn for the property below (names unique), including expiry and conditions.
fn rule_pool() -> Vec<Rule> {
    [
        json!({"name": "open", "event": "open", "points": 10, "expires_days": 30}),
        json!({"name": "click", "event": "click", "points": 5}),
        json!({"name": "purchase", "event": "purchase", "points": 20, "expires_days": 365}),
        json!({"name": "unsub", "event": "unsubscribe", "points": -40}),
        json!({"name": "complaint", "event": "complaint", "points": -100}),
        json!({"name": "cold", "condition": {"field": "last_open_date", "op": "not_within_days", "value": 90}, "points": -10}),
        json!({"name": "payer", "condition": {"any": [{"field": "type", "op": "eq", "value": "paying"}, {"field": "total_spent", "op": "gt", "value": 5}]}, "points": 3}),
        json!({"name": "suppressed", "condition": {"field": "status", "op": "neq", "value": "active"}, "points": -1}),
    ]
    .into_iter()
    .map(rule)
    .collect()
}

const KINDS: [EventKind; 7] = [
    EventKind::Open,
    EventKind::Click,
    EventKind::Bounce,
    EventKind::Unsubscribe,
    EventKind::Complaint,
    EventKind::Purchase,
    EventKind::Enrollment,
];

#[test]
fn incremental_updates_give_the_same_scores_as_a_full_recompute() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut runner = TestRunner::new(Config { cases: 24, ..Config::default() });
    let event = (0usize..6, 0usize..7, 0i64..400);
    let batches = proptest::collection::vec(proptest::collection::vec(event, 1..8), 1..5);
    let rules = proptest::sample::subsequence(rule_pool(), 0..8);
    runner
        .run(&(rules, batches), |(rules, batches)| {
            rt.block_on(async {
                let (_dir, db) = file_db().await;
                let emails: Vec<String> = (0..6).map(|i| format!("fan{i}@x.com")).collect();
                // Fan 5 is never a contact: its events stay pending.
                let fans: Vec<Fan> = emails[..5]
                    .iter()
                    .enumerate()
                    .map(|(i, e)| Fan {
                        email: e.clone(),
                        last_open: if i % 2 == 0 { NOW - 100 * DAY } else { 0 },
                        ..Fan::default()
                    })
                    .collect();
                insert_fans(&db, "s1", &fans).await;
                for r in scoring::list_rules(&db, "s1").await.unwrap() {
                    scoring::delete_rule(&db, "s1", &r.name).await.unwrap();
                }
                for r in &rules {
                    scoring::set_rule(&db, "s1", r, NOW).await.unwrap();
                }
                scoring::recompute(&db, "s1", NOW).await.unwrap();
                for batch in &batches {
                    let events: Vec<(&str, EventKind, i64)> =
                        batch.iter().map(|(f, k, d)| (emails[*f].as_str(), KINDS[*k], NOW - d * DAY)).collect();
                    add_events(&db, &events).await;
                }
                let incremental = scores(&db).await;
                sqlx::query("UPDATE customers SET score = 12345").execute(db.pool()).await.unwrap();
                scoring::recompute(&db, "s1", NOW).await.unwrap();
                let full = scores(&db).await;
                prop_assert_eq!(
                    &incremental,
                    &full,
                    "incremental scores must equal a full recompute; rules {:?}",
                    rules
                );
                Ok(())
            })
        })
        .unwrap();
}
