//! Push against the emulator over real HTTP: 10,000 edits under injected 500s, 429s and dropped
//! connections applied exactly once, conflicts resolved both ways, imported contacts pushed as
//! creates across a restart, a token expiring mid-sync, refusals, and what a contacts or an
//! engagement CSV changed.

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use common::*;
use fanbase_core::Db;
use fanbase_emulator::{Customer, Rule, Status, WebEdit};
use fanbase_sync::conflicts::{self, Keep};
use fanbase_sync::wire::PaginationOpts;
use fanbase_sync::{Cancel, Error, Phase, Progress};
use serde_json::json;

const PUSH: &str = "desktop:pushCustomerChanges";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_edits_under_faults_apply_exactly_once() {
    let w = world(1, 10_000, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let c = client(&w.emulator, w.emulator.creator_token());
    sync(&w.db, &c, None).await.unwrap();
    assert_eq!(bulk_edit(&w.db, &store, 4242, "pushed").await, 10_000);

    let faults = w.emulator.faults();
    faults.server_errors(Rule::always().every(5).on(PUSH));
    faults.rate_limit(Rule::times(3).every(3).on(PUSH), 1);
    faults.drop_mid_body(Rule::always().every(7).on(PUSH));
    let started = Instant::now();
    let report = sync(&w.db, &c, None).await.expect("transient faults are retried");
    eprintln!("pushed {} changes under faults in {:?}", report.pushed, started.elapsed());
    let fired = faults.settings();
    assert!(fired.server_errors.unwrap().fired > 0 && fired.drop_mid_body.unwrap().fired > 0, "faults were injected");
    assert_eq!(fired.rate_limit.unwrap().fired, 3, "429s were injected");

    assert_eq!(report.pushed, 10_000);
    let ledger = w.emulator.state().changes();
    assert_eq!(ledger.applied_ids, 10_000, "every edit reached the platform");
    assert_eq!(ledger.max_applied_per_change, 1, "no edit was applied twice");
    assert!(ledger.duplicates > 0, "answers lost with a dropped connection were resent and answered duplicate");
    let platform = w.emulator.state().customers(&store);
    assert!(platform.iter().all(|c| c.score == 4242), "every score edit landed");
    assert!(platform.iter().all(|c| c.tags.iter().any(|t| t == "pushed")), "every tag edit landed");
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM outbox").await, 0, "answered changes leave the outbox");
    let status = fanbase_sync::status(&w.db).await.unwrap();
    assert_eq!((status.pending_changes, status.conflicts, status.rejected), (0, 0, 0));
    assert!(status.last_synced_at.is_some() && status.last_error.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicts_are_resolved_both_ways() {
    let w = world(1, 50, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let c = client(&w.emulator, w.emulator.creator_token());
    sync(&w.db, &c, None).await.unwrap();
    let fans = w.emulator.state().customers(&store);
    let (a, b, d, e) = (&fans[0], &fans[1], &fans[2], &fans[3]);
    for (fan, name) in [(a, "Mine A"), (b, "Mine B"), (d, "Mine D"), (e, "Mine E")] {
        edit(&w.db, local_id(&w.db, &fan.email).await, json!({"name": name}), &["mine"], &[]).await;
    }
    let web = |name: &str| WebEdit { set: json!({"name": name}).as_object().unwrap().clone(), ..WebEdit::default() };
    let gone = || WebEdit { delete: true, ..WebEdit::default() };
    w.emulator.state().web_edit(&store, &a.email, web("Web A")).unwrap();
    w.emulator.state().web_edit(&store, &b.email, web("Web B")).unwrap();
    w.emulator.state().web_edit(&store, &d.email, gone()).unwrap();
    w.emulator.state().web_edit(&store, &e.email, gone()).unwrap();

    let report = sync(&w.db, &c, None).await.unwrap();
    assert_eq!(report.conflicts, 4, "two edit conflicts (push) and two deleted-while-edited (pull)");
    let waiting = conflicts::list(&w.db, Some(&store)).await.unwrap();
    let id_of = |email: &str| waiting.iter().find(|x| x.email == *email).map(|x| x.id).unwrap();
    let kind_of = |email: &str| waiting.iter().find(|x| x.email == *email).map(|x| x.kind.clone()).unwrap();
    assert_eq!((kind_of(&a.email).as_str(), kind_of(&d.email).as_str()), ("edit", "deleted"));
    let local_a: String = sqlx::query_scalar("SELECT name FROM customers WHERE remote_id = ?")
        .bind(&a.id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
    assert_eq!(local_a, "Mine A", "a conflict keeps my value locally until the user decides");

    conflicts::resolve(&w.db, id_of(&a.email), Keep::Mine, NOW).await.unwrap();
    conflicts::resolve(&w.db, id_of(&b.email), Keep::Theirs, NOW).await.unwrap();
    conflicts::resolve(&w.db, id_of(&d.email), Keep::Mine, NOW).await.unwrap();
    conflicts::resolve(&w.db, id_of(&e.email), Keep::Theirs, NOW).await.unwrap();
    assert!(matches!(conflicts::resolve(&w.db, id_of(&a.email), Keep::Mine, NOW).await, Err(Error::NoSuchConflict(_))));

    let report = sync(&w.db, &c, None).await.unwrap();
    assert_eq!((report.conflicts, report.rejected), (0, 0));
    let on_platform = |id: &str| w.emulator.state().customer(id).unwrap();
    assert_eq!(on_platform(&a.id).name, "Mine A", "keep mine re-sends my change on top of theirs");
    assert!(on_platform(&a.id).tags.iter().any(|t| t == "mine"));
    assert_eq!(on_platform(&b.id).name, "Web B", "keep theirs leaves the platform as it is");
    let revived = w.emulator.state().customer_by_email(&store, &d.email).unwrap();
    assert!(revived.deleted_at.is_none(), "keep mine re-creates a contact deleted on the platform");
    assert_eq!(revived.name, "Mine D");
    assert!(on_platform(&e.id).deleted_at.is_some());
    let local = |email: String| {
        let db = w.db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT name FROM customers WHERE email_norm = lower(?)")
                .bind(email)
                .fetch_optional(db.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(local(b.email.clone()).await.as_deref(), Some("Web B"), "keep theirs takes the platform's record");
    assert_eq!(local(e.email.clone()).await, None, "keep theirs of a deletion deletes locally");
    assert_eq!(local(d.email.clone()).await.as_deref(), Some("Mine D"));
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM outbox").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_contacts_are_pushed_as_creates_and_survive_a_restart() {
    let w = world(1, 10, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let c = client(&w.emulator, w.emulator.creator_token());
    sync(&w.db, &c, None).await.unwrap();
    fanbase_core::demo::fill(&w.db, &store, 2_000, 3, NOW).await.unwrap();
    let pending = fanbase_sync::status(&w.db).await.unwrap().pending_changes;
    assert_eq!(pending, 2_000, "never-pushed contacts count as pending creates");

    let cancel = Cancel::new();
    let batches = AtomicU32::new(0);
    let on_progress = |p: &Progress| {
        if p.phase == Phase::Push && batches.fetch_add(1, Ordering::SeqCst) + 1 == 5 {
            cancel.cancel();
        }
    };
    let first = fanbase_sync::sync(&w.db, &c, &options(None), &on_progress, &cancel).await;
    assert!(matches!(first, Err(Error::Cancelled)), "{first:?}");
    assert_eq!(w.emulator.state().customers(&store).len(), 510, "five batches of 100 creates landed");

    w.db.close().await;
    let db = Db::open(&w.path).await.unwrap();
    let report = sync(&db, &client(&w.emulator, w.emulator.creator_token()), None).await.unwrap();
    assert_eq!(report.pushed, 1_500, "the rest is pushed after the restart");
    assert_eq!(w.emulator.state().customers(&store).len(), 2_010);
    let ledger = w.emulator.state().changes();
    assert_eq!((ledger.applied_ids, ledger.max_applied_per_change), (2_000, 1));
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM customers WHERE remote_id IS NULL").await,
        0,
        "every contact is linked"
    );
    assert_eq!(fanbase_sync::status(&db).await.unwrap().pending_changes, 0);
    // Tags of imported contacts went up with the create.
    let tagged: i64 = scalar(&db, "SELECT COUNT(DISTINCT customer_id) FROM customer_tags").await;
    let platform_tagged = w.emulator.state().customers(&store).iter().filter(|c| !c.tags.is_empty()).count() as i64;
    assert_eq!(tagged, platform_tagged, "tags travel with creates");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_expiring_mid_sync_loses_no_edit() {
    let w = world(1, 3_000, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let token = w.emulator.creator_token().to_string();
    let c = client(&w.emulator, &token);
    sync(&w.db, &c, None).await.unwrap();
    assert_eq!(bulk_edit(&w.db, &store, 99, "late").await, 3_000);
    // whoami, customers, engagement, then 4 push batches; the 5th batch is refused.
    w.emulator.faults().expire_token_after(&token, 7);
    let err = sync(&w.db, &c, None).await.expect_err("the token expires during the push");
    assert_eq!(err.code(), "SIGN_IN_REQUIRED", "{err}");
    assert!(!err.to_string().contains(&token), "the error never shows the token");
    let left = scalar(&w.db, "SELECT COUNT(*) FROM outbox").await;
    assert_eq!(left, 2_600, "only answered changes left the outbox");
    let status = fanbase_sync::status(&w.db).await.unwrap();
    assert_eq!(status.last_error.map(|e| e.code).as_deref(), Some("SIGN_IN_REQUIRED"), "the status bar shows why");
    assert_eq!(status.pending_changes, 2_600);

    let fresh = w.emulator.token_for(w.emulator.creator_user_id());
    let report = sync(&w.db, &client(&w.emulator, &fresh), None).await.unwrap();
    assert_eq!(report.pushed, 2_600);
    let ledger = w.emulator.state().changes();
    assert_eq!((ledger.applied_ids, ledger.max_applied_per_change), (3_000, 1), "every edit exactly once");
    assert!(w.emulator.state().customers(&store).iter().all(|c| c.score == 99));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_owners_and_non_admins_are_refused() {
    let w = world(2, 20, 0).await;
    let creator = client(&w.emulator, w.emulator.creator_token());
    let not_mine =
        w.emulator.state().stores().into_iter().find(|s| s.store.owner_id != w.emulator.creator_user_id()).unwrap();
    let err = sync(&w.db, &creator, Some(&not_mine.store.id)).await.expect_err("not the creator's store");
    assert_eq!(err.code(), "FORBIDDEN", "{err}");
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM customers").await, 0, "nothing of another store arrives");
    assert_eq!(
        scalar(&w.db, &format!("SELECT COUNT(*) FROM stores WHERE id = '{}'", not_mine.store.id)).await,
        0,
        "a refused store leaves no empty local copy"
    );
    let opts = PaginationOpts { num_items: 10, cursor: None };
    assert!(matches!(creator.pull_users(None, opts).await, Err(Error::Forbidden(_))), "users are for admins only");
    let set_role = creator.set_user_role(w.emulator.creator_user_id(), Some("AGENCY_ADMIN"), Some(true)).await;
    assert!(matches!(set_role, Err(Error::Forbidden(_))), "roles are for admins only: {set_role:?}");
    let bad = client(&w.emulator, "not-a-token");
    assert_eq!(sync(&w.db, &bad, None).await.unwrap_err().code(), "SIGN_IN_REQUIRED");
    let admin = client(&w.emulator, w.emulator.admin_token());
    let report = sync(&w.db, &admin, Some(&not_mine.store.id)).await.expect("an admin may sync any store");
    assert_eq!(report.pulled, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_edits_merge_and_local_deletes_reach_the_platform() {
    let w = world(1, 20, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let c = client(&w.emulator, w.emulator.creator_token());
    sync(&w.db, &c, None).await.unwrap();
    let fans = w.emulator.state().customers(&store);
    let (a, b) = (&fans[0], &fans[1]);

    // Two edits of the same field and a tag added then removed, before one sync.
    let la = local_id(&w.db, &a.email).await;
    edit(&w.db, la, json!({"name": "One"}), &["x"], &[]).await;
    edit(&w.db, la, json!({"name": "Two"}), &[], &["x"]).await;
    // A contact deleted locally, as the contacts module records it.
    let lb = local_id(&w.db, &b.email).await;
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, is_delete, origin, created_at)
         SELECT 'del-b', store_pk, id, email, remote_updated_at, 1, 'ui', 0 FROM customers WHERE id = ?",
    )
    .bind(lb)
    .execute(w.db.pool())
    .await
    .unwrap();
    sqlx::query("DELETE FROM customers WHERE id = ?").bind(lb).execute(w.db.pool()).await.unwrap();
    // A contact created offline and deleted before its first push.
    let store_pk = fanbase_core::stores::pk(&w.db, &store).await.unwrap();
    let gone: i64 = sqlx::query_scalar(
        "INSERT INTO customers (store_pk, email, email_norm, created_at, updated_at)
         VALUES (?, 'never.pushed@x.example', 'never.pushed@x.example', 1, 1) RETURNING id",
    )
    .bind(store_pk)
    .fetch_one(w.db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, is_delete, origin, created_at)
         VALUES ('del-new', ?, ?, 'never.pushed@x.example', 1, 'ui', 0)",
    )
    .bind(store_pk)
    .bind(gone)
    .execute(w.db.pool())
    .await
    .unwrap();
    sqlx::query("DELETE FROM customers WHERE id = ?").bind(gone).execute(w.db.pool()).await.unwrap();

    let report = sync(&w.db, &c, None).await.unwrap();
    assert_eq!((report.conflicts, report.rejected), (0, 0), "my own earlier edit never conflicts with my later one");
    assert_eq!(report.pushed, 2, "the edits of one contact went as one change, plus the delete");
    let on_a = w.emulator.state().customer(&a.id).unwrap();
    assert_eq!(on_a.name, "Two", "the later value wins");
    assert!(!on_a.tags.iter().any(|t| t == "x"), "a tag added then removed is not there");
    assert!(w.emulator.state().customer(&b.id).unwrap().deleted_at.is_some(), "the local delete reached the platform");
    assert!(
        w.emulator.state().customer_by_email(&store, "never.pushed@x.example").is_none(),
        "a contact deleted before its first push never reaches the platform"
    );
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM outbox").await, 0);
    let again = sync(&w.db, &c, None).await.unwrap();
    assert_eq!(again.pulled, 0, "the platform's copy of the deleted contact does not come back");
    assert_eq!(scalar(&w.db, &format!("SELECT COUNT(*) FROM customers WHERE remote_id = '{}'", b.id)).await, 0);
}

/// What a CSV import does to a synced fan whom the web renames meanwhile: `csv` makes the file for
/// the fan's email, `import` imports it into the store. Syncs after both; returns the platform's
/// record of the fan, after asserting that the fan stays unsubscribed locally and took the rename.
async fn unsubscribed_by_a_csv_while_renamed_on_the_web<F>(csv: fn(&str) -> String, import: F) -> Customer
where
    F: AsyncFnOnce(&Db, &str, &std::path::Path),
{
    let w = world(1, 20, 0).await;
    let store = w.emulator.creator_store_id().to_string();
    let c = client(&w.emulator, w.emulator.creator_token());
    sync(&w.db, &c, None).await.unwrap();
    let fan = w.emulator.state().customers(&store).into_iter().find(|x| x.status == Status::Active).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.csv");
    std::fs::write(&path, csv(&fan.email)).unwrap();
    import(&w.db, &store, &path).await;
    let web = WebEdit { set: json!({"name": "Renamed On Web"}).as_object().unwrap().clone(), ..WebEdit::default() };
    w.emulator.state().web_edit(&store, &fan.email, web).unwrap();
    sync(&w.db, &c, None).await.unwrap();

    let (status, name): (String, String) = sqlx::query_as("SELECT status, name FROM customers WHERE remote_id = ?")
        .bind(&fan.id)
        .fetch_one(w.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "unsubscribed", "the pull of the renamed fan must not re-subscribe them");
    assert_eq!(name, "Renamed On Web", "the web's own edit comes down");
    assert_eq!(scalar(&w.db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'").await, 0, "nothing left to push");
    w.emulator.state().customer(&fan.id).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_imported_unsubscribe_reaches_the_platform_and_survives_the_next_pull() {
    // An email provider's export of engagement events.
    let platform = unsubscribed_by_a_csv_while_renamed_on_the_web(
        |email| format!("email,kind,at\n{email},unsubscribe,{NOW}\n"),
        async |db, store, path| {
            fanbase_segments::engagement::import_csv(db, store, path, NOW).await.unwrap();
        },
    )
    .await;
    assert_eq!(platform.status, Status::Unsubscribed, "the platform learns of the unsubscribe");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suppression_from_a_contacts_csv_reaches_the_platform_and_survives_the_next_pull() {
    // A Mailchimp "unsubscribed" export.
    let platform = unsubscribed_by_a_csv_while_renamed_on_the_web(
        |email| format!("Email Address,UNSUB_TIME,TAGS\n{email},2025-01-02 03:04:05,churned\n"),
        async |db, store, path| {
            let never = std::sync::atomic::AtomicBool::new(false);
            let opts = fanbase_import::Options::default();
            let r = fanbase_import::run(db, store, path, &opts, |_| {}, &never, NOW).await.unwrap();
            assert_eq!(r.counts.updated, 1, "{r:?}");
        },
    )
    .await;
    assert_eq!(platform.status, Status::Unsubscribed, "the platform learns of the suppression");
    assert!(platform.tags.iter().any(|t| t == "churned"), "and of the tag: {:?}", platform.tags);
}
