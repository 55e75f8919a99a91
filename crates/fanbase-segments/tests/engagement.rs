//! Engagement events from a CSV file and from sync: applied once to their contact's fields, with
//! unmatched events kept until their contact exists.

mod common;

use std::path::PathBuf;

use common::{file_db, insert_fans, Fan, DAY, NOW};
use fanbase_core::{stores, Db};
use fanbase_segments::engagement::{self, EventKind, NewEvent, Origin};

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct State {
    opens_email: bool,
    clicks_links: bool,
    last_open_date: i64,
    status: String,
    total_spent_cents: i64,
    #[sqlx(rename = "type")]
    kind: String,
    score: i64,
}

async fn state(db: &Db, email: &str) -> State {
    sqlx::query_as(
        "SELECT opens_email, clicks_links, last_open_date, status, total_spent_cents, type, score
         FROM customers WHERE email_norm = ?",
    )
    .bind(email)
    .fetch_one(db.pool())
    .await
    .unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn a_csv_import_updates_fields_once_and_scores_the_contacts() {
    let (dir, db) = file_db().await;
    let fans = [
        Fan { email: "ana@x.com".into(), last_open: NOW - 100 * DAY, opens: true, ..Fan::default() },
        Fan { email: "bo@x.com".into(), ..Fan::default() },
        Fan { email: "cy@x.com".into(), kind: "subscription".into(), spent_cents: 1000, ..Fan::default() },
    ];
    insert_fans(&db, "s1", &fans).await;
    let csv = format!(
        "email,kind,at,amount,id\n\
         ANA@x.com,open,{a},,\n\
         ana@x.com,click,{a},,\n\
         bo@x.com,purchase,{b},49.99,order-1\n\
         bo@x.com,unsubscribe,{b},,\n\
         cy@x.com,purchase,{b},10,order-2\n\
         cy@x.com,bounce,{b},,\n\
         cy@x.com,complaint,{a},,\n\
         nobody@x.com,open,{a},,\n",
        a = NOW - DAY,
        b = NOW - 2 * DAY
    );
    let path = write(&dir, "events.csv", &csv);
    let first = engagement::import_csv(&db, "s1", &path, NOW).await.unwrap();
    assert_eq!((first.rows, first.new, first.duplicates), (8, 8, 0), "every line is a new event: {first:?}");
    assert_eq!((first.applied.events, first.applied.contacts, first.applied.unmatched), (7, 3, 1), "{first:?}");

    let ana = state(&db, "ana@x.com").await;
    assert!(ana.opens_email && ana.clicks_links, "an open and a click set both flags: {ana:?}");
    assert_eq!(ana.last_open_date, NOW - DAY, "the newer open moves the last open date");
    assert_eq!(ana.score, 15, "open +10, click +5, and a recent open means no cold penalty");
    let bo = state(&db, "bo@x.com").await;
    assert_eq!(
        (bo.total_spent_cents, bo.kind.as_str(), bo.status.as_str()),
        (4999, "paying", "unsubscribed"),
        "{bo:?}"
    );
    assert_eq!(bo.score, 20 - 10, "purchase +20, never opened -10");
    let cy = state(&db, "cy@x.com").await;
    assert_eq!((cy.total_spent_cents, cy.kind.as_str()), (2000, "subscription"), "a subscriber stays one: {cy:?}");
    assert_eq!(cy.status, "complained", "a complaint outranks a bounce");

    // The platform never saw these events: their effects wait in the outbox to be pushed, or the
    // next pull of these contacts would undo them (an unsubscribe included).
    let pushed: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT email, set_fields, origin FROM outbox WHERE store_pk = (SELECT pk FROM stores WHERE id = 's1')
         ORDER BY email",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let set = |i: usize| serde_json::from_str::<serde_json::Value>(&pushed[i].1).unwrap();
    assert_eq!(pushed.len(), 3, "one change per contact whose fields the events changed: {pushed:?}");
    assert!(pushed.iter().all(|(_, _, origin)| origin == "import"), "{pushed:?}");
    assert_eq!(
        set(0),
        serde_json::json!({"clicks_links": true, "last_open_date": NOW - DAY}),
        "ana: the click, and the newer open (she had opened before)"
    );
    assert_eq!(
        set(1),
        serde_json::json!({"status": "unsubscribed", "type": "paying", "total_spent_cents": 4999}),
        "bo: the unsubscribe and the purchase, in cents (the push sends dollars)"
    );
    assert_eq!(set(2), serde_json::json!({"status": "complained", "total_spent_cents": 2000}), "cy");

    let again = engagement::import_csv(&db, "s1", &path, NOW).await.unwrap();
    assert_eq!((again.new, again.duplicates, again.applied.events), (0, 8, 0), "re-importing adds nothing: {again:?}");
    let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(db.pool()).await.unwrap();
    assert_eq!(outbox, 3, "a re-import records no new change");
    assert_eq!(state(&db, "bo@x.com").await.total_spent_cents, 4999, "a re-import never counts a purchase twice");

    // The unmatched event is applied once its contact exists.
    insert_fans(&db, "s1", &[Fan { email: "Nobody@x.com".into(), ..Fan::default() }]).await;
    let later = engagement::apply_pending(&db, "s1", NOW).await.unwrap();
    assert_eq!((later.events, later.unmatched), (1, 0), "{later:?}");
    let nobody = state(&db, "nobody@x.com").await;
    assert!(nobody.opens_email && nobody.score == 10, "the late contact got its open: {nobody:?}");
}

#[tokio::test]
async fn a_bad_line_imports_nothing_and_names_the_line() {
    let (dir, db) = file_db().await;
    insert_fans(&db, "s1", &[Fan { email: "ana@x.com".into(), ..Fan::default() }]).await;
    let path = write(&dir, "bad.csv", "email,kind,at\nana@x.com,open,1000\nana@x.com,opened,1000\n");
    let err = engagement::import_csv(&db, "s1", &path, NOW).await.unwrap_err();
    assert_eq!(err.code(), "ENGAGEMENT_CSV");
    assert!(err.to_string().contains("line 3, column \"kind\": unknown event kind \"opened\""), "{err}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM engagement_events").fetch_one(db.pool()).await.unwrap();
    assert_eq!(stored, 0, "nothing of a file with a bad line is imported");
    assert!(!state(&db, "ana@x.com").await.opens_email, "no field changed");
}

#[tokio::test]
async fn sync_events_are_applied_by_apply_pending_without_counting_pulled_purchases_twice() {
    let (_dir, db) = file_db().await;
    insert_fans(
        &db,
        "s1",
        &[Fan { email: "ana@x.com".into(), spent_cents: 4900, kind: "paying".into(), ..Fan::default() }],
    )
    .await;
    sqlx::query("UPDATE customers SET remote_updated_at = ?").bind(NOW - DAY).execute(db.pool()).await.unwrap();
    let event = |key: &str, at: i64| NewEvent {
        key: key.into(),
        email: "ana@x.com".into(),
        kind: EventKind::Purchase,
        at,
        amount_cents: 4900,
        url: String::new(),
        campaign_id: String::new(),
    };
    let store_pk = stores::pk(&db, "s1").await.unwrap();
    let mut tx = db.pool().begin().await.unwrap();
    let events = [event("remote-1", NOW - 2 * DAY), event("remote-2", NOW)];
    assert_eq!(engagement::store_raw(&mut tx, store_pk, &events, Origin::Sync).await.unwrap(), 2);
    tx.commit().await.unwrap();
    let applied = engagement::apply_pending(&db, "s1", NOW).await.unwrap();
    assert_eq!(applied.events, 2);
    assert_eq!(
        state(&db, "ana@x.com").await.total_spent_cents,
        9800,
        "the purchase older than the last pull is already in the pulled total; the newer one is added"
    );
    let twice = engagement::apply_pending(&db, "s1", NOW).await.unwrap();
    assert_eq!(twice.events, 0, "an event is applied once");
    let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox").fetch_one(db.pool()).await.unwrap();
    assert_eq!(outbox, 0, "events from the platform are in its record already: nothing to push");
}
