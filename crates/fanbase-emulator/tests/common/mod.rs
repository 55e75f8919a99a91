//! A minimal client of the Convex HTTP function API for the emulator's tests: raw calls that
//! return the status, headers and body, plus helpers that assert the 200 / 560 envelopes.
#![allow(dead_code)]

use fanbase_emulator::{Emulator, Generate, Seed};
use reqwest::header::HeaderMap;
use serde_json::{json, Value};

pub const NOW: i64 = 1_760_000_000_000;

/// A small deterministic data set: 2 stores of `fans` fans, 12 users, 50 events per store.
pub fn small_seed(fans: usize) -> Seed {
    Seed::generate(&Generate {
        seed: 7,
        now: NOW,
        stores: 2,
        customers_per_store: fans,
        users: 12,
        events_per_store: 50,
    })
}

pub async fn start(fans: usize) -> Emulator {
    Emulator::start(small_seed(fans)).await.expect("the emulator starts on loopback")
}

pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("a {} body must be JSON ({e}): {}", self.status, self.text))
    }
}

#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub url: String,
    pub token: Option<String>,
}

impl Client {
    pub fn new(emulator: &Emulator, token: &str) -> Client {
        Client { http: reqwest::Client::new(), url: emulator.url().to_string(), token: Some(token.to_string()) }
    }

    /// POSTs `body` to `/api/{endpoint}` as it is.
    pub async fn raw(&self, endpoint: &str, body: &str) -> Reply {
        let mut req = self
            .http
            .post(format!("{}/api/{endpoint}", self.url))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("the emulator answers");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("the body arrives whole");
        Reply { status, headers, text }
    }

    pub async fn call(&self, endpoint: &str, path: &str, args: Value) -> Reply {
        self.raw(endpoint, &json!({"path": path, "args": args, "format": "json"}).to_string()).await
    }

    /// The `value` of a 200 answer to a query.
    pub async fn query(&self, path: &str, args: Value) -> Value {
        ok(self.call("query", path, args).await, path)
    }

    pub async fn mutation(&self, path: &str, args: Value) -> Value {
        ok(self.call("mutation", path, args).await, path)
    }

    /// `(code, message)` of a 560 answer.
    pub async fn refused(&self, endpoint: &str, path: &str, args: Value) -> (String, String) {
        let r = self.call(endpoint, path, args).await;
        assert_eq!(r.status, 560, "{path} must refuse with 560, got: {}", r.text);
        let body = r.json();
        assert_eq!(body["status"], "error", "a 560 body has status error: {body}");
        let code = body["errorData"]["code"].as_str().expect("errorData.code is a string").to_string();
        (code, body["errorMessage"].as_str().expect("errorMessage is a string").to_string())
    }

    /// Every page of a paged query, following `continueCursor` until `isDone`.
    pub async fn pull_all(&self, path: &str, mut args: Value, num_items: u32) -> Vec<Value> {
        let mut cursor = Value::Null;
        let mut all = Vec::new();
        loop {
            args["paginationOpts"] = json!({"numItems": num_items, "cursor": cursor});
            let page = self.query(path, args.clone()).await;
            all.extend(page["page"].as_array().expect("page is an array").iter().cloned());
            if page["isDone"] == true {
                return all;
            }
            cursor = page["continueCursor"].clone();
        }
    }
}

fn ok(r: Reply, path: &str) -> Value {
    assert_eq!(r.status, 200, "{path} must succeed, got {}: {}", r.status, r.text);
    let mut body = r.json();
    assert_eq!(body["status"], "success", "a 200 body has status success: {body}");
    body["value"].take()
}

/// A change as the contract shapes it.
pub fn change(id: &str, customer_id: Option<&str>, email: &str, base: Option<i64>, set: Value) -> Value {
    json!({
        "changeId": id,
        "customerId": customer_id,
        "email": email,
        "baseUpdatedAt": base,
        "set": set,
        "addTags": [],
        "removeTags": [],
    })
}
