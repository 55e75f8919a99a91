//! Pull against the emulator over real HTTP: a full pull of 100,000 customers, a pull killed
//! between pages and resumed, SplitRequired, remote updates and deletes, email matching, users.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use common::*;
use fanbase_core::Db;
use fanbase_emulator::WebEdit;
use fanbase_sync::{Cancel, Error, Phase, Progress, SyncOptions};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_pull_of_100000_customers() {
    let w = world(1, 100_000, 2_000).await;
    let store = w.emulator.creator_store_id().to_string();
    let c = client(&w.emulator, w.emulator.creator_token());
    let started = Instant::now();
    let report = sync(&w.db, &c, None).await.expect("the first sync pulls everything");
    eprintln!("pulled {} customers in {:?}", report.pulled, started.elapsed());
    assert_eq!(report.pulled, 100_000, "every platform customer arrives once");
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers").await, 100_000);
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers WHERE remote_id IS NULL").await, 0);
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM engagement_events").await, 2_000, "engagement is stored");
    assert_eq!(
        scalar(&w.db, "SELECT COUNT(*) FROM engagement_events WHERE customer_id IS NULL").await,
        0,
        "every event is linked to its local fan"
    );
    // Spot-check the fields of a few records against the platform's copy.
    for remote in w.emulator.state().customers(&store).iter().step_by(9_973) {
        let row: (String, String, String, i64, i64, String) = sqlx::query_as(
            "SELECT email, name, type, total_spent_cents, score, status FROM customers WHERE remote_id = ?",
        )
        .bind(&remote.id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(row.0, remote.email);
        assert_eq!(row.1, remote.name);
        assert_eq!(row.3, remote.total_spent_cents, "money arrives as exact cents");
        assert_eq!(row.4, remote.score);
        let tags: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM customer_tags ct JOIN customers c ON c.id = ct.customer_id WHERE c.remote_id = ?",
        )
        .bind(&remote.id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
        assert_eq!(tags as usize, remote.tags.len(), "tags arrive");
    }
    // The first pull set the sort indexes aside; they are all back, and hold every row.
    assert_eq!(customer_indexes(&w.db).await, customer_indexes(&Db::open_in_memory().await.unwrap()).await);
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM set_aside_indexes").await, 0);
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(w.db.pool()).await.unwrap();
    assert_eq!(check, "ok");
    let again = sync(&w.db, &c, None).await.unwrap();
    assert_eq!(again.pulled, 0, "a second sync with nothing new changes nothing");
}

/// The names of the indexes of `customers`.
async fn customer_indexes(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name")
        .fetch_all(db.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_killed_between_pages_resumes_from_the_last_applied_page() {
    let w = world(1, 5_000, 0).await;
    let c = client(&w.emulator, w.emulator.creator_token());
    let cancel = Cancel::new();
    let pages = AtomicU32::new(0);
    let on_progress = |p: &Progress| {
        if p.phase == Phase::Customers && pages.fetch_add(1, Ordering::SeqCst) + 1 == 3 {
            cancel.cancel(); // the "kill": nothing after the third page is applied
        }
    };
    let options = SyncOptions { page_size: 500, ..options(None) };
    let first = fanbase_sync::sync(&w.db, &c, &options, &on_progress, &cancel).await;
    assert!(matches!(first, Err(Error::Cancelled)), "the run stops: {first:?}");
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers").await, 1_500, "exactly the three applied pages");
    let all = customer_indexes(&Db::open_in_memory().await.unwrap()).await;
    assert_eq!(customer_indexes(&w.db).await, all, "a stopped pull puts back the indexes it set aside");
    assert_eq!(
        scalar(&w.db, "SELECT COUNT(*) FROM sync_state WHERE cursor IS NOT NULL").await,
        1,
        "the cursor is saved"
    );

    // A restart: close the database, open it again, new client.
    w.db.close().await;
    let db = Db::open(&w.path).await.unwrap();
    let c = client(&w.emulator, w.emulator.creator_token());
    let resumed = fanbase_sync::sync(&db, &c, &options, &fanbase_sync::no_progress, &Cancel::new()).await.unwrap();
    assert_eq!(resumed.pulled, 3_500, "the resumed pull starts after the last applied page, not from the start");
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM customers").await, 5_000);
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM sync_state WHERE cursor IS NOT NULL").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_required_pages_are_fetched_again_smaller() {
    let w = world(1, 1_000, 300).await;
    w.emulator.faults().split_required_above(Some(120));
    let c = client(&w.emulator, w.emulator.creator_token());
    let report = sync(&w.db, &c, None).await.expect("SplitRequired is handled");
    assert_eq!(report.pulled, 1_000);
    assert_eq!(report.events, 300);
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers").await, 1_000, "no record lost to an incomplete page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_updates_deletes_and_email_matches_arrive() {
    let w = world(1, 200, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let fans = w.emulator.state().customers(&store);
    let (a, b) = (&fans[0], &fans[1]);
    let d = fans.iter().skip(3).find(|c| c.phone.is_none()).expect("some fan has no phone");

    // An offline-created contact (e.g. imported) with a platform fan's email in other case.
    let store_pk = fanbase_core::stores::ensure(&w.db, &store, "Local name", NOW).await.unwrap();
    sqlx::query(
        "INSERT INTO customers (store_pk, email, email_norm, name, phone, created_at, updated_at)
         VALUES (?, ?, ?, 'Imported', '+1 555 0000', 1, 1)",
    )
    .bind(store_pk)
    .bind(d.email.to_uppercase())
    .bind(d.email.to_lowercase())
    .execute(w.db.pool())
    .await
    .unwrap();

    let c = client(&w.emulator, w.emulator.creator_token());
    sync(&w.db, &c, None).await.unwrap();
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers").await, 200, "the imported contact was matched by email");
    let linked: Option<String> = sqlx::query_scalar("SELECT remote_id FROM customers WHERE email_norm = ?")
        .bind(d.email.to_lowercase())
        .fetch_one(w.db.pool())
        .await
        .unwrap();
    assert_eq!(linked.as_deref(), Some(d.id.as_str()), "it now carries the platform id");

    let web = |set: serde_json::Value| WebEdit { set: set.as_object().unwrap().clone(), ..WebEdit::default() };
    w.emulator.state().web_edit(&store, &a.email, web(json!({"name": "Renamed On Web"}))).unwrap();
    w.emulator.state().web_edit(&store, &b.email, WebEdit { delete: true, ..WebEdit::default() }).unwrap();
    let report = sync(&w.db, &c, None).await.unwrap();
    assert_eq!(report.pulled, 2, "one update and one delete");
    let name: String = sqlx::query_scalar("SELECT name FROM customers WHERE remote_id = ?")
        .bind(&a.id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
    assert_eq!(name, "Renamed On Web");
    assert_eq!(
        scalar(&w.db, &format!("SELECT COUNT(*) FROM customers WHERE remote_id = '{}'", b.id)).await,
        0,
        "deletedAt removes the contact locally"
    );
    // The phone of the imported contact filled a gap of the platform record and went up with the push.
    let pushed = w.emulator.state().customer(&d.id).unwrap();
    assert_eq!(pushed.phone.as_deref(), Some("+1 555 0000"), "local values fill the platform's gaps");
    assert_eq!(pushed.name, d.name, "the platform's own values win over the import's");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_pull_users_and_creators_do_not() {
    let w = world(2, 10, 10).await;
    let admin = client(&w.emulator, w.emulator.admin_token());
    let report = sync(&w.db, &admin, None).await.unwrap();
    let platform_users = w.emulator.state().users().len() as i64;
    assert_eq!(report.users as i64, platform_users);
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM users").await, platform_users, "admins get every user");

    let other = world(2, 10, 10).await;
    let creator = client(&other.emulator, other.emulator.creator_token());
    sync(&other.db, &creator, None).await.unwrap();
    assert_eq!(scalar(&other.db, "SELECT COUNT(*) FROM users").await, 0, "a creator never pulls users");
}
