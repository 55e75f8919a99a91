//! Pagination: `(updatedAt, _id)` order, inclusive `since`, cursors bound to their arguments,
//! `numItems` bounds, deleted customers coming once more, and a 100,000-fan pull.

mod common;

use std::collections::HashSet;
use std::time::Instant;

use common::{start, Client, NOW};
use fanbase_emulator::{Emulator, Generate, Seed, WebEdit};
use serde_json::{json, Value};

fn key(c: &Value) -> (i64, String) {
    (c["updatedAt"].as_i64().unwrap(), c["_id"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn a_full_pull_is_ordered_complete_and_without_repeats() {
    let emu = start(2_500).await;
    let c = Client::new(&emu, emu.creator_token());
    let all =
        c.pull_all("desktop:pullCustomers", json!({"storeId": emu.creator_store_id(), "since": null}), 1000).await;
    assert_eq!(all.len(), 2_500, "every fan of the store arrives");
    let keys: Vec<_> = all.iter().map(key).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "pages are in strictly ascending (updatedAt, _id) order");
    let ids: HashSet<_> = keys.iter().map(|k| k.1.clone()).collect();
    assert_eq!(ids.len(), 2_500, "no fan comes twice in one pull");
    assert!(all.iter().all(|c| c["storeId"] == emu.creator_store_id()), "only this store's fans");
    let first = &all[0];
    for field in ["_id", "_creationTime", "storeId", "adminUserId", "email", "name", "type", "source", "totalSpent"] {
        assert!(!first[field].is_null(), "a customer carries {field}: {first}");
    }
    for field in ["tags", "score", "opensEmail", "clicksLinks", "status", "updatedAt"] {
        assert!(!first[field].is_null(), "a customer carries {field}: {first}");
    }
    assert!(first.get("deletedAt").is_none(), "a live customer has no deletedAt");
}

#[tokio::test]
async fn since_is_inclusive_and_deleted_fans_come_once_more() {
    let emu = start(300).await;
    let store = emu.creator_store_id().to_string();
    let c = Client::new(&emu, emu.creator_token());
    let all = c.pull_all("desktop:pullCustomers", json!({"storeId": store, "since": null}), 1000).await;
    let boundary = &all[150];
    let since = boundary["updatedAt"].as_i64().unwrap();
    let later = c.pull_all("desktop:pullCustomers", json!({"storeId": store, "since": since}), 40).await;
    assert_eq!(later[0]["_id"], boundary["_id"], "the record at `since` comes again (inclusive)");
    let expected = all.iter().filter(|c| c["updatedAt"].as_i64().unwrap() >= since).count();
    assert_eq!(later.len(), expected, "exactly the records with updatedAt >= since");

    let victim = all[3]["email"].as_str().unwrap().to_string();
    let deleted = emu.state().web_edit(&store, &victim, WebEdit { delete: true, ..WebEdit::default() }).unwrap();
    let watermark = all.last().map(key).unwrap().0;
    let after = c.pull_all("desktop:pullCustomers", json!({"storeId": store, "since": watermark}), 1000).await;
    let tomb = after.iter().find(|c| c["email"] == victim.as_str()).expect("a deleted fan comes once more");
    assert_eq!(tomb["deletedAt"], json!(deleted.deleted_at.unwrap()), "it carries deletedAt");
    assert!(tomb["updatedAt"].as_i64().unwrap() > watermark, "deleting moves updatedAt past every earlier change");
}

#[tokio::test]
async fn cursors_are_bound_to_their_exact_arguments() {
    let emu = start(100).await;
    let c = Client::new(&emu, emu.admin_token());
    let args = |store: &str, since: Value, cursor: Value| json!({"storeId": store, "since": since, "paginationOpts": {"numItems": 10, "cursor": cursor}});
    let first = c.query("desktop:pullCustomers", args("store000", json!(null), json!(null))).await;
    let cursor = first["continueCursor"].clone();
    assert!(cursor.is_string() && first["isDone"] == false, "a partial page gives a cursor: {first}");
    assert_eq!(first["pageStatus"], Value::Null, "no split needed");

    let again = c.query("desktop:pullCustomers", args("store000", json!(null), cursor.clone())).await;
    assert_ne!(again["page"][0]["_id"], first["page"][0]["_id"], "the cursor continues after the first page");

    for (other, why) in [
        (args("store001", json!(null), cursor.clone()), "another store"),
        (args("store000", json!(5), cursor.clone()), "another since"),
    ] {
        let (code, message) = c.refused("query", "desktop:pullCustomers", other).await;
        assert_eq!(code, "INVALID_ARGUMENT", "a cursor reused with {why} is refused");
        assert!(message.contains("cursor"), "the message names the cursor: {message}");
    }
    let (code, _) = c.refused("query", "desktop:pullEngagement", args("store000", json!(null), cursor.clone())).await;
    assert_eq!(code, "INVALID_ARGUMENT", "a customers cursor does not work for engagement");
    let (code, _) = c.refused("query", "desktop:pullCustomers", args("store000", json!(null), json!("garbage"))).await;
    assert_eq!(code, "INVALID_ARGUMENT", "a cursor the platform never made is refused");

    let mut smaller = args("store000", json!(null), cursor);
    smaller["paginationOpts"]["numItems"] = json!(3);
    let page = c.query("desktop:pullCustomers", smaller).await;
    assert_eq!(page["page"][0], again["page"][0], "the page size may change between calls with one cursor");
}

#[tokio::test]
async fn num_items_must_be_1_to_1000() {
    let emu = start(10).await;
    let c = Client::new(&emu, emu.creator_token());
    for n in [json!(0), json!(1001), json!(2.5)] {
        let args = json!({"storeId": emu.creator_store_id(), "since": null, "paginationOpts": {"numItems": n, "cursor": null}});
        let (code, _) = c.refused("query", "desktop:pullCustomers", args).await;
        assert_eq!(code, "INVALID_ARGUMENT", "numItems {n} is out of range");
    }
    let args =
        json!({"storeId": emu.creator_store_id(), "since": null, "paginationOpts": {"numItems": 1000, "cursor": null}});
    let page = c.query("desktop:pullCustomers", args).await;
    assert_eq!(page["isDone"], true, "10 fans fit in one page of 1000");
    assert_eq!(page["page"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn engagement_pages_in_at_order_from_since() {
    let emu = start(200).await;
    let store = emu.creator_store_id().to_string();
    let c = Client::new(&emu, emu.creator_token());
    let all = c.pull_all("desktop:pullEngagement", json!({"storeId": store, "since": null}), 7).await;
    assert_eq!(all.len(), 50, "every event of the store arrives");
    let keys: Vec<(i64, String)> =
        all.iter().map(|e| (e["at"].as_i64().unwrap(), e["_id"].as_str().unwrap().to_string())).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "events are in (at, _id) order");
    let since = keys[20].0;
    let later = c.pull_all("desktop:pullEngagement", json!({"storeId": store, "since": since}), 1000).await;
    assert_eq!(later.len(), keys.iter().filter(|k| k.0 >= since).count(), "at >= since, inclusive");
    let kinds = ["open", "click", "bounce", "unsubscribe", "complaint", "purchase", "enrollment"];
    assert!(all.iter().all(|e| kinds.contains(&e["kind"].as_str().unwrap())), "kinds come from the contract");
}

#[tokio::test]
async fn a_pull_of_100000_fans_in_pages_of_1000_is_quick() {
    let seed = Seed::generate(&Generate {
        seed: 1,
        now: NOW,
        stores: 1,
        customers_per_store: 100_000,
        users: 5,
        events_per_store: 0,
    });
    let emu = Emulator::start(seed).await.unwrap();
    let c = Client::new(&emu, emu.creator_token());
    let started = Instant::now();
    let all =
        c.pull_all("desktop:pullCustomers", json!({"storeId": emu.creator_store_id(), "since": null}), 1000).await;
    let elapsed = started.elapsed();
    assert_eq!(all.len(), 100_000, "every fan arrives");
    let ids: HashSet<&str> = all.iter().map(|c| c["_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 100_000, "no fan twice");
    // A figure, not a timed assertion: the sync benchmark compares against it.
    eprintln!("pulled 100,000 fans in 100 pages in {:.2} s", elapsed.as_secs_f64());
}
