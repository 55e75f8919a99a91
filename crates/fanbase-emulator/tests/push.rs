//! `desktop:pushCustomerChanges`: applied, duplicate, conflict and rejected exactly as the
//! contract says, creates merged by email, deletes, batch bounds, store ownership, and the
//! ledger that proves each change applied once.

mod common;

use common::{change, start, Client};
use fanbase_emulator::{Emulator, WebEdit};
use serde_json::{json, Value};

async fn push(c: &Client, store: &str, changes: Vec<Value>) -> Vec<Value> {
    let v = c.mutation("desktop:pushCustomerChanges", json!({"storeId": store, "changes": changes})).await;
    v["results"].as_array().expect("results is an array").clone()
}

/// The first fan of the creator's store, as the server has it now.
fn some_fan(emu: &Emulator) -> fanbase_emulator::Customer {
    emu.state().customers(emu.creator_store_id()).into_iter().find(|c| c.deleted_at.is_none()).unwrap()
}

#[tokio::test]
async fn an_update_on_the_current_base_applies_and_a_resend_is_a_duplicate() {
    let emu = start(20).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let fan = some_fan(&emu);
    let mut ch =
        change("chg-1", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({"name": "Renamed", "score": 99}));
    ch["addTags"] = json!(["VIP-2025"]);
    let r = push(&c, store, vec![ch.clone()]).await;
    assert_eq!(r[0]["status"], "applied", "an edit on the current base applies: {}", r[0]);
    assert_eq!(r[0]["changeId"], "chg-1");
    assert_eq!(r[0]["customer"]["name"], "Renamed");
    assert_eq!(r[0]["customer"]["score"], 99);
    assert!(r[0]["customer"]["tags"].as_array().unwrap().contains(&json!("VIP-2025")), "the tag was added");
    let after = r[0]["customer"]["updatedAt"].as_i64().unwrap();
    assert!(after > fan.updated_at, "an applied change moves updatedAt");

    let again = push(&c, store, vec![ch.clone(), ch]).await;
    assert_eq!(again[0]["status"], "duplicate", "a changeId already applied answers duplicate");
    assert_eq!(again[1]["status"], "duplicate", "even twice in one batch");
    assert_eq!(again[0]["customer"]["updatedAt"], after, "a duplicate changes nothing and returns the record");
    let tally = emu.state().change("chg-1").unwrap();
    assert_eq!((tally.applied, tally.duplicates), (1, 2), "applied once, seen twice more");
}

#[tokio::test]
async fn a_field_changed_on_the_web_after_the_base_conflicts_and_nothing_applies() {
    let emu = start(20).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let fan = some_fan(&emu);
    let set = serde_json::from_value(json!({"name": "Web Name"})).unwrap();
    let web = emu.state().web_edit(store, &fan.email, WebEdit { set, ..WebEdit::default() }).unwrap();

    let mut ch =
        change("c-conf", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({"name": "Desk Name", "score": 1}));
    ch["addTags"] = json!(["never-added"]);
    let r = push(&c, store, vec![ch]).await;
    assert_eq!(r[0]["status"], "conflict", "name changed on the web after the base: {}", r[0]);
    assert_eq!(r[0]["customer"]["name"], "Web Name", "a conflict returns the server's record");
    assert!(r[0]["message"].as_str().unwrap().contains("name"), "the message names the field");
    let now = emu.state().customer(&fan.id).unwrap();
    assert_eq!(now.score, web.score, "nothing of a conflicting change applies, not even other fields");
    assert!(!now.tags.contains(&"never-added".to_string()), "nor its tags");

    let other_field = change("c-other", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({"score": 5}));
    let mut tags_only = change("c-tags", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({}));
    tags_only["addTags"] = json!(["late-tag"]);
    let r = push(&c, store, vec![other_field, tags_only]).await;
    assert_eq!(r[0]["status"], "applied", "a field the web did not touch does not conflict: {}", r[0]);
    assert_eq!(r[1]["status"], "applied", "tag operations never conflict: {}", r[1]);

    // Keep mine: the same change (same changeId: a conflict does not burn it) on the server's version.
    let base = emu.state().customer(&fan.id).unwrap().updated_at;
    let keep_mine = change("c-conf", Some(&fan.id), &fan.email, Some(base), json!({"name": "Desk Name", "score": 1}));
    let r = push(&c, store, vec![keep_mine]).await;
    assert_eq!(r[0]["status"], "applied", "re-sent on the server's version it applies: {}", r[0]);
    assert_eq!(r[0]["customer"]["name"], "Desk Name");
    let tally = emu.state().change("c-conf").unwrap();
    assert_eq!((tally.conflicts, tally.applied), (1, 1), "the ledger saw the conflict, then the one application");
}

#[tokio::test]
async fn creates_merge_by_email_and_invalid_ones_are_rejected() {
    let emu = start(20).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let fan = some_fan(&emu);
    let shouted = format!("  {}  ", fan.email.to_uppercase());
    let r = push(
        &c,
        store,
        vec![
            change(
                "new-1",
                None,
                "New.Fan@Example.com",
                None,
                json!({"name": "New Fan", "type": "paying", "totalSpent": 12.5}),
            ),
            change("merge-1", None, &shouted, None, json!({"phone": "+1 555 0100"})),
            change("bad-1", None, "not-an-email", None, json!({})),
            change("bad-2", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({"favouriteColour": "blue"})),
            change("bad-3", Some("cust-unknown"), "x@example.com", Some(0), json!({"name": "x"})),
            change("bad-4", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({"type": "royalty"})),
        ],
    )
    .await;
    assert_eq!(r[0]["status"], "applied", "a new email creates a fan: {}", r[0]);
    assert_eq!(r[0]["customer"]["totalSpent"], 12.5, "money round-trips in dollars");
    assert_eq!(r[0]["customer"]["adminUserId"], emu.creator_user_id(), "the store owner is the admin user");
    let created = emu.state().customer_by_email(store, "new.fan@example.com").expect("the fan exists");
    assert_eq!(created.total_spent_cents, 1250);
    assert_eq!(r[0]["customer"]["_id"], created.id.as_str());

    assert_eq!(r[1]["status"], "applied", "an existing email merges: {}", r[1]);
    assert_eq!(r[1]["customer"]["_id"], fan.id.as_str(), "into the existing customer's _id");
    assert_eq!(r[1]["customer"]["phone"], "+1 555 0100");
    let live = emu.state().customers(store).iter().filter(|c| c.deleted_at.is_none()).count();
    assert_eq!(live, 21, "the merge added no fan; the create added one");

    for (i, why) in
        [(2, "an invalid email"), (3, "an unknown field"), (4, "an unknown customer"), (5, "a bad enum value")]
    {
        assert_eq!(r[i]["status"], "rejected", "{why} is rejected: {}", r[i]);
        assert!(!r[i]["message"].as_str().unwrap_or("").is_empty(), "{why}: a rejection carries a message");
    }
    assert!(r[2]["message"].as_str().unwrap().contains("not-an-email"), "the message names the email");
    let s = emu.state().changes();
    assert_eq!((s.applied, s.rejected, s.max_applied_per_change), (2, 4, 1), "the ledger counts each outcome");
}

#[tokio::test]
async fn deletes_set_deleted_at_and_a_create_revives() {
    let emu = start(20).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let fan = some_fan(&emu);
    let mut del = change("del-1", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({}));
    del["delete"] = json!(true);
    let r = push(&c, store, vec![del]).await;
    assert_eq!(r[0]["status"], "applied");
    assert!(r[0]["customer"]["deletedAt"].is_i64(), "a delete sets deletedAt: {}", r[0]);

    let edit = change("after-del", Some(&fan.id), &fan.email, Some(fan.updated_at), json!({"name": "x"}));
    let r = push(&c, store, vec![edit]).await;
    assert_eq!(r[0]["status"], "conflict", "an edit made before the delete conflicts with it: {}", r[0]);

    let r = push(&c, store, vec![change("revive", None, &fan.email, None, json!({"name": "Back"}))]).await;
    assert_eq!(r[0]["status"], "applied");
    assert_eq!(r[0]["customer"]["_id"], fan.id.as_str(), "a create on a deleted email revives that customer");
    assert!(r[0]["customer"].get("deletedAt").is_none(), "and clears deletedAt");
}

#[tokio::test]
async fn batches_hold_1_to_100_changes_and_only_owners_or_admins_push() {
    let emu = start(20).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let (code, _) =
        c.refused("mutation", "desktop:pushCustomerChanges", json!({"storeId": store, "changes": []})).await;
    assert_eq!(code, "INVALID_ARGUMENT", "an empty batch is refused");
    let many: Vec<Value> =
        (0..101).map(|i| change(&format!("m{i}"), None, &format!("m{i}@example.com"), None, json!({}))).collect();
    let (code, _) =
        c.refused("mutation", "desktop:pushCustomerChanges", json!({"storeId": store, "changes": many.clone()})).await;
    assert_eq!(code, "INVALID_ARGUMENT", "101 changes are refused");
    assert_eq!(emu.state().changes().change_ids, 0, "a refused batch applies nothing");

    let (code, _) = c
        .refused("mutation", "desktop:pushCustomerChanges", json!({"storeId": "store001", "changes": [many[0]]}))
        .await;
    assert_eq!(code, "FORBIDDEN", "a creator cannot push to another creator's store");
    let admin = Client::new(&emu, emu.admin_token());
    let r = push(&admin, store, many[..100].to_vec()).await;
    assert_eq!(r.len(), 100, "one result per change, in order");
    assert!(r.iter().enumerate().all(|(i, x)| x["changeId"] == format!("m{i}")), "results keep the order");
    assert!(r.iter().all(|x| x["status"] == "applied"), "an admin may push to any store");
}

#[tokio::test]
async fn a_change_must_have_the_contract_shape() {
    let emu = start(5).await;
    let c = Client::new(&emu, emu.creator_token());
    let mut ch = change("shape", None, "s@example.com", None, json!({}));
    ch.as_object_mut().unwrap().remove("addTags");
    let r = c
        .call("mutation", "desktop:pushCustomerChanges", json!({"storeId": emu.creator_store_id(), "changes": [ch]}))
        .await;
    assert_eq!(r.status, 400, "addTags is required by the contract (only delete is optional): {}", r.text);
}
