//! `desktop:issueUnsubscribeLinks` and the links themselves: a visit marks the fan unsubscribed
//! and records one `unsubscribe` event.

mod common;

use common::{start, Client};
use fanbase_emulator::{EventKind, Status};
use serde_json::json;

#[tokio::test]
async fn a_link_unsubscribes_its_fan_once() {
    let emu = start(20).await;
    let store = emu.creator_store_id();
    let c = Client::new(&emu, emu.creator_token());
    let fans: Vec<_> =
        emu.state().customers(store).into_iter().filter(|f| f.status == Status::Active).take(2).collect();
    let ids = json!([fans[0].id, fans[1].id]);
    let v = c.mutation("desktop:issueUnsubscribeLinks", json!({"storeId": store, "customerIds": ids})).await;
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.len(), 2, "one link per customer");
    assert_eq!(links[0]["customerId"], fans[0].id.as_str(), "in order");
    let url = links[0]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/unsubscribe/", emu.url())), "links live on the emulator's own base: {url}");
    assert_ne!(url, links[1]["url"].as_str().unwrap(), "each fan has their own link");
    let again =
        c.mutation("desktop:issueUnsubscribeLinks", json!({"storeId": store, "customerIds": [fans[0].id]})).await;
    assert_eq!(again["links"][0]["url"], url.as_str(), "a fan's link is stable");

    let events_before = emu.state().events(store).len();
    let http = reqwest::Client::new();
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the link opens");
    assert!(page.text().await.unwrap().contains(&fans[0].email), "the page names the address");
    let fan = emu.state().customer(&fans[0].id).unwrap();
    assert_eq!(fan.status, Status::Unsubscribed, "the visit unsubscribed the fan");
    assert!(fan.updated_at > fans[0].updated_at, "so the next pull brings the change");
    let events = emu.state().events(store);
    assert_eq!(events.len(), events_before + 1, "one event recorded");
    let e = events
        .iter()
        .find(|e| e.customer_id == fans[0].id && e.kind == EventKind::Unsubscribe && e.at == fan.updated_at);
    assert!(e.is_some(), "an unsubscribe event for that fan at that time");

    let post = http.post(&url).body("List-Unsubscribe=One-Click").send().await.unwrap();
    assert_eq!(post.status(), 200, "one-click POST works too");
    assert_eq!(emu.state().events(store).len(), events_before + 1, "a second visit records nothing new");

    let other = links[1]["url"].as_str().unwrap();
    assert_eq!(http.post(other).send().await.unwrap().status(), 200);
    assert_eq!(emu.state().customer(&fans[1].id).unwrap().status, Status::Unsubscribed, "POST unsubscribes");

    let bad = http.get(format!("{}/unsubscribe/u_nope", emu.url())).send().await.unwrap();
    assert_eq!(bad.status(), 404, "an unknown link is not found");
}

#[tokio::test]
async fn links_need_known_customers_of_an_owned_store() {
    let emu = start(5).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let (code, message) = c
        .refused("mutation", "desktop:issueUnsubscribeLinks", json!({"storeId": store, "customerIds": ["cust-none"]}))
        .await;
    assert_eq!(code, "NOT_FOUND", "a customer without a platform id has no link yet");
    assert!(message.contains("cust-none"), "the message names it: {message}");
    let (code, _) =
        c.refused("mutation", "desktop:issueUnsubscribeLinks", json!({"storeId": store, "customerIds": []})).await;
    assert_eq!(code, "INVALID_ARGUMENT", "1..500 ids");
    let other: Vec<String> = emu.state().customers("store001").into_iter().map(|c| c.id).take(1).collect();
    let (code, _) = c
        .refused("mutation", "desktop:issueUnsubscribeLinks", json!({"storeId": "store001", "customerIds": other}))
        .await;
    assert_eq!(code, "FORBIDDEN", "not the creator's store");
}
