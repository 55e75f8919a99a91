//! Each fault switch, set through the lib API or `/_control/faults`: dropped connections,
//! 500s, 429 with Retry-After, delays, SplitRequired, web edits that make pushes conflict,
//! and a token that expires after N calls.

mod common;

use std::time::{Duration, Instant};

use common::{change, start, Client};
use fanbase_emulator::Rule;
use serde_json::{json, Value};

const PUSH: &str = "desktop:pushCustomerChanges";

fn new_fan(id: &str) -> Value {
    change(id, None, &format!("{id}@example.com"), None, json!({"name": id}))
}

#[tokio::test]
async fn a_dropped_connection_cuts_the_body_after_the_mutation_ran() {
    let emu = start(5).await;
    let c = Client::new(&emu, emu.creator_token());
    emu.faults().drop_mid_body(Rule::times(1).on(PUSH));
    let whoami = c.call("query", "desktop:whoami", json!({})).await;
    assert_eq!(whoami.status, 200, "a rule for pushes leaves other functions alone");

    let body = json!({"path": PUSH, "args": {"storeId": emu.creator_store_id(), "changes": [new_fan("drop-1")]}, "format": "json"});
    let resp = reqwest::Client::new()
        .post(format!("{}/api/mutation", emu.url()))
        .bearer_auth(emu.creator_token())
        .json(&body)
        .send()
        .await
        .expect("the status line and headers arrive");
    assert_eq!(resp.status(), 200, "the answer starts normally");
    let declared = resp.content_length().expect("Content-Length is declared");
    let body = resp.bytes().await;
    assert!(body.is_err(), "the body stops short of its {declared} bytes and the connection closes");
    assert_eq!(emu.state().change("drop-1").unwrap().applied, 1, "the platform applied it before the drop");

    let retry = c.mutation(PUSH, json!({"storeId": emu.creator_store_id(), "changes": [new_fan("drop-1")]})).await;
    assert_eq!(retry["results"][0]["status"], "duplicate", "a retry is answered duplicate, not applied twice");
    assert_eq!(emu.faults().settings().drop_mid_body.unwrap().fired, 1, "the switch counts what it did");
}

#[tokio::test]
async fn server_errors_and_rate_limits_refuse_without_running() {
    let emu = start(5).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id().to_string();
    emu.faults().server_errors(Rule::times(2));
    for i in 0..2 {
        let r = c.call("mutation", PUSH, json!({"storeId": store, "changes": [new_fan("e500")]})).await;
        assert_eq!(r.status, 500, "call {i} gets an injected 500");
    }
    assert!(emu.state().change("e500").is_none(), "a 500 never ran the mutation");
    let ok = c.mutation(PUSH, json!({"storeId": store, "changes": [new_fan("e500")]})).await;
    assert_eq!(ok["results"][0]["status"], "applied", "after N 500s calls work again");

    emu.faults().rate_limit(Rule::times(1), 2);
    let r = c.call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 429, "rate limited");
    assert_eq!(r.headers["retry-after"], "2", "with Retry-After in seconds");
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 200, "then served");

    emu.faults().server_errors(Rule::always().every(3));
    let statuses: Vec<u16> = futures_statuses(&c, 6).await;
    assert_eq!(statuses, [200, 200, 500, 200, 200, 500], "every 3rd call fails while the rule is on");
    emu.faults().clear();
    assert_eq!(futures_statuses(&c, 3).await, [200, 200, 200], "cleared switches do nothing");
}

async fn futures_statuses(c: &Client, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(c.call("query", "desktop:whoami", json!({})).await.status);
    }
    out
}

#[tokio::test]
async fn slow_answers_wait_the_delay() {
    let emu = start(5).await;
    let c = Client::new(&emu, emu.creator_token());
    emu.faults().delay_ms(300);
    let started = Instant::now();
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "the answer waited the delay");
    let timeout = reqwest::Client::builder().timeout(Duration::from_millis(50)).build().unwrap();
    let r = timeout
        .post(format!("{}/api/query", emu.url()))
        .bearer_auth(emu.creator_token())
        .json(&json!({"path": "desktop:whoami", "args": {}}))
        .send()
        .await;
    assert!(r.is_err_and(|e| e.is_timeout()), "a client with a shorter timeout times out");
}

#[tokio::test]
async fn split_required_pages_are_incomplete_until_the_page_is_smaller() {
    let emu = start(50).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    emu.faults().split_required_above(Some(10));
    let big = c
        .query(
            "desktop:pullCustomers",
            json!({"storeId": store, "since": null, "paginationOpts": {"numItems": 40, "cursor": null}}),
        )
        .await;
    assert_eq!(big["pageStatus"], "SplitRequired", "40 > 10 must be split");
    assert_eq!(big["page"].as_array().unwrap().len(), 10, "the page is incomplete");
    let all = c.pull_all("desktop:pullCustomers", json!({"storeId": store, "since": null}), 10).await;
    assert_eq!(all.len(), 50, "pages of 10 bring everything");
    let naive = {
        let first = big["page"].as_array().unwrap().len();
        let args = json!({"storeId": store, "since": null, "paginationOpts": {"numItems": 40, "cursor": big["continueCursor"]}});
        let rest = c.query("desktop:pullCustomers", args).await;
        first + rest["page"].as_array().unwrap().len()
    };
    assert!(naive < 50, "a client that ignores SplitRequired loses records ({naive} of 50)");
}

#[tokio::test]
async fn web_edits_on_push_make_the_next_changes_conflict() {
    let emu = start(10).await;
    let c = Client::new(&emu, emu.creator_token());
    let store = emu.creator_store_id();
    let fans = emu.state().customers(store);
    emu.faults().web_edits_on_push(Rule::times(1));
    let changes: Vec<Value> = fans[..2]
        .iter()
        .enumerate()
        .map(|(i, f)| change(&format!("w{i}"), Some(&f.id), &f.email, Some(f.updated_at), json!({"name": "Mine"})))
        .collect();
    let r = c.mutation(PUSH, json!({"storeId": store, "changes": changes})).await;
    assert_eq!(r["results"][0]["status"], "conflict", "the web edited the field just before: {}", r["results"][0]);
    assert!(r["results"][0]["customer"]["name"].as_str().unwrap().contains("(edited on the web)"), "theirs is visible");
    assert_eq!(r["results"][1]["status"], "applied", "only as many conflicts as asked");
}

#[tokio::test]
async fn a_token_expires_after_n_calls() {
    let emu = start(5).await;
    let token = emu.token_for(emu.creator_user_id());
    let c = Client::new(&emu, &token);
    emu.faults().expire_token_after(&token, 2);
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 200, "call 1");
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 200, "call 2");
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 401, "call 3: expired mid-sync");
    let other = Client::new(&emu, emu.creator_token());
    assert_eq!(other.call("query", "desktop:whoami", json!({})).await.status, 200, "other tokens still work");
}

#[tokio::test]
async fn faults_are_set_over_http_on_loopback() {
    let emu = start(5).await;
    let http = reqwest::Client::new();
    let control = format!("{}/_control/faults", emu.url());
    let body = json!({"serverErrors": {"times": 1, "path": "desktop:whoami"}, "rateLimit": {"times": 0}, "retryAfterSecs": 3,
                      "delayMs": 0, "splitRequiredAbove": 100, "webEditsOnPush": {"times": 2},
                      "dropMidBody": {"times": 0}});
    let set = http.post(&control).json(&body).send().await.unwrap();
    assert_eq!(set.status(), 200);
    let shown: Value = set.json().await.unwrap();
    assert_eq!(shown["serverErrors"]["times"], 1, "the switches come back: {shown}");
    assert_eq!(shown["splitRequiredAbove"], 100);
    let c = Client::new(&emu, emu.creator_token());
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 500, "the HTTP-set switch fires");
    let after: Value = http.get(&control).send().await.unwrap().json().await.unwrap();
    assert_eq!(after["serverErrors"]["fired"], 1, "GET shows how often it fired");
    assert_eq!(after["serverErrors"]["times"], 0, "and what is left");
    let cleared: Value = http.delete(&control).send().await.unwrap().json().await.unwrap();
    assert_eq!(cleared, json!({}), "DELETE turns everything off");
    let bad = http.post(&control).json(&json!({"explode": true})).send().await.unwrap();
    assert!(bad.status().is_client_error(), "unknown switches are refused, not ignored");
}
