//! `/_control/*` over HTTP: inspection (customers, changes, users, stores, demo tokens), tokens,
//! and edits made "on the website".

mod common;

use common::{change, start, Client};
use serde_json::{json, Value};

#[tokio::test]
async fn inspection_endpoints_show_the_platform_state() {
    let emu = start(20).await;
    let http = reqwest::Client::new();
    let base = format!("{}/_control", emu.url());
    let store = emu.creator_store_id();
    let c = Client::new(&emu, emu.creator_token());
    c.mutation(
        "desktop:pushCustomerChanges",
        json!({"storeId": store, "changes": [change("ctl-1", None, "Ctl@Example.com", None, json!({"name": "Ctl"}))]}),
    )
    .await;

    let fan: Value = http
        .get(format!("{base}/customers"))
        .query(&[("storeId", store), ("email", " ctl@example.COM ")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(fan["name"], "Ctl", "a fan is found by email, case and spaces ignored");
    let missing =
        http.get(format!("{base}/customers")).query(&[("storeId", store), ("email", "no@x.io")]).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    let tally: Value = http.get(format!("{base}/changes/ctl-1")).send().await.unwrap().json().await.unwrap();
    assert_eq!(tally["applied"], 1, "the ledger shows the change applied once: {tally}");
    assert_eq!(tally["customerId"], fan["_id"]);
    let summary: Value = http.get(format!("{base}/changes")).send().await.unwrap().json().await.unwrap();
    assert_eq!(summary["maxAppliedPerChange"], 1);
    assert_eq!(http.get(format!("{base}/changes/never")).send().await.unwrap().status(), 404);

    let users: Vec<Value> = http.get(format!("{base}/users")).send().await.unwrap().json().await.unwrap();
    assert_eq!(users.len(), 12, "every user is listed");
    let stores: Vec<Value> = http.get(format!("{base}/stores")).send().await.unwrap().json().await.unwrap();
    assert_eq!(stores[0]["liveCustomers"], 21, "20 seeded fans and the pushed one");
    let demo: Value = http.get(format!("{base}/demo")).send().await.unwrap().json().await.unwrap();
    assert_eq!(demo["adminToken"], emu.admin_token());
    assert_eq!(demo["creatorToken"], emu.creator_token());
    assert_eq!(demo["creatorStoreId"], store);
}

#[tokio::test]
async fn tokens_and_web_edits_over_http() {
    let emu = start(5).await;
    let http = reqwest::Client::new();
    let base = format!("{}/_control", emu.url());
    let issued: Value = http
        .post(format!("{base}/tokens"))
        .json(&json!({"userId": "user000004"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = issued["token"].as_str().unwrap().to_string();
    let c = Client::new(&emu, &token);
    assert_eq!(c.query("desktop:whoami", json!({})).await["userId"], "user000004", "the token speaks for that user");
    let (code, _) = c
        .refused(
            "query",
            "desktop:pullCustomers",
            json!({"storeId": "store000", "since": null, "paginationOpts": {"numItems": 1, "cursor": null}}),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "a user who owns no store cannot pull one");
    let r = http.post(format!("{base}/tokens/expire")).json(&json!({"token": token})).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 401, "expired over HTTP");
    let r =
        http.post(format!("{base}/tokens/revoke")).json(&json!({"token": emu.creator_token()})).send().await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(Client::new(&emu, emu.creator_token()).call("query", "desktop:whoami", json!({})).await.status, 403);

    let store = emu.creator_store_id();
    let fan = emu.state().customers(store).remove(0);
    let edited: Value = http
        .post(format!("{base}/web-edit"))
        .json(&json!({"storeId": store, "email": fan.email, "set": {"daw": "Bitwig Studio"}, "addTags": ["web"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(edited["daw"], "Bitwig Studio");
    assert!(edited["updatedAt"].as_i64().unwrap() > fan.updated_at, "a web edit moves updatedAt");
    let bad = http
        .post(format!("{base}/web-edit"))
        .json(&json!({"storeId": store, "email": fan.email, "set": {"score": "x"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422, "an invalid web edit is refused with the reason");
    let added: Value = http
        .post(format!("{base}/customers"))
        .json(&json!({"storeId": store, "email": "signup@example.com", "set": {"name": "Sign Up"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(added["source"], "web_signup");
    let event: Value = http
        .post(format!("{base}/events"))
        .json(&json!({"storeId": store, "email": "signup@example.com", "kind": "purchase", "amount": 49.0}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(event["customerId"], added["_id"], "an event is tied to the fan by email");
    let c = Client::new(&emu, &emu.token_for(emu.admin_user_id()));
    let since = event["at"].as_i64().unwrap();
    let pulled = c.pull_all("desktop:pullEngagement", json!({"storeId": store, "since": since}), 10).await;
    assert_eq!(pulled, [event], "a pull from its time brings exactly that event");
    assert_eq!(emu.state().customer_by_email(store, "signup@example.com").unwrap().name, "Sign Up");
}
