//! The wire format: 200 and 560 JSON envelopes, 400 plain text for malformed calls, 401/403
//! plain text for missing, invalid, expired or revoked tokens.

mod common;

use common::{start, Client};
use serde_json::json;

#[tokio::test]
async fn whoami_answers_the_success_envelope() {
    let emu = start(10).await;
    let c = Client::new(&emu, emu.creator_token());
    let r = c.call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 200, "whoami with a good token succeeds: {}", r.text);
    assert!(r.headers["content-type"].to_str().unwrap().starts_with("application/json"), "200 bodies are JSON");
    let body = r.json();
    assert_eq!(body["status"], "success");
    assert!(body["logLines"].is_array(), "Convex sends logLines beside the value");
    let me = &body["value"];
    assert_eq!(me["userId"], emu.creator_user_id());
    assert_eq!(me["admin"], false, "the creator is not an admin");
    assert_eq!(me["role"], "AGENCY_OWNER");
    assert_eq!(me["stores"], json!([{"storeId": emu.creator_store_id(), "name": me["stores"][0]["name"]}]));
    assert!(me["serverTime"].as_i64().unwrap() >= common::NOW, "serverTime is epoch ms, never before seeded data");
    for key in ["clerkId", "email", "name"] {
        assert!(me[key].is_string(), "whoami carries {key}");
    }
}

#[tokio::test]
async fn a_refusal_answers_560_with_error_data_code() {
    let emu = start(10).await;
    let c = Client::new(&emu, emu.creator_token());
    let r = c
        .call(
            "query",
            "desktop:pullCustomers",
            json!({"storeId": "store001", "since": null, "paginationOpts": {"numItems": 10, "cursor": null}}),
        )
        .await;
    assert_eq!(r.status, 560, "store001 belongs to the admin, not the creator");
    let body = r.json();
    assert_eq!(body["status"], "error");
    assert_eq!(body["errorData"]["code"], "FORBIDDEN");
    assert!(body["errorMessage"].as_str().unwrap().contains("store001"), "the message names the store: {body}");
    let (code, _) = c
        .refused(
            "query",
            "desktop:pullCustomers",
            json!({"storeId": "nope", "since": null, "paginationOpts": {"numItems": 1, "cursor": null}}),
        )
        .await;
    assert_eq!(code, "NOT_FOUND", "an unknown store is NOT_FOUND");
}

#[tokio::test]
async fn malformed_calls_answer_400_plain_text() {
    let emu = start(10).await;
    let c = Client::new(&emu, emu.creator_token());
    let page = json!({"numItems": 10, "cursor": null});
    let cases = [
        ("query", "not json".to_string(), "a body that is not JSON"),
        ("query", json!(["desktop:whoami"]).to_string(), "a body that is not an object"),
        ("query", json!({"args": {}}).to_string(), "a body without path"),
        ("query", json!({"path": "desktop:whoami", "args": {}, "format": "xml"}).to_string(), "an unknown format"),
        ("query", json!({"path": "desktop:whoami", "args": 5}).to_string(), "args that are not an object"),
        ("query", json!({"path": "desktop:nothing", "args": {}}).to_string(), "an unknown function"),
        ("mutation", json!({"path": "desktop:whoami", "args": {}}).to_string(), "a query sent as a mutation"),
        ("query", json!({"path": "desktop:pushCustomerChanges", "args": {}}).to_string(), "a mutation sent as a query"),
        ("query", json!({"path": "desktop:whoami", "args": {"x": 1}}).to_string(), "an extra argument"),
        (
            "query",
            json!({"path": "desktop:pullCustomers", "args": {"storeId": "store000", "paginationOpts": page}})
                .to_string(),
            "a missing `since` (it is number | null, not optional)",
        ),
        (
            "query",
            json!({"path": "desktop:pullCustomers", "args": {"storeId": 5, "since": null, "paginationOpts": page}})
                .to_string(),
            "a mistyped storeId",
        ),
        (
            "mutation",
            json!({"path": "desktop:setUserRole", "args": {"userId": "user000003", "role": "KING"}}).to_string(),
            "a role outside the enum",
        ),
    ];
    for (endpoint, body, why) in cases {
        let r = c.raw(endpoint, &body).await;
        assert_eq!(r.status, 400, "{why} is a malformed call (400), got: {}", r.text);
        assert!(r.headers["content-type"].to_str().unwrap().starts_with("text/plain"), "{why}: 400 is plain text");
        assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err(), "{why}: 400 is not JSON: {}", r.text);
    }
}

#[tokio::test]
async fn bad_tokens_answer_401_or_403_plain_text() {
    let emu = start(10).await;
    let mut c = Client::new(&emu, "fbdt_not_a_real_token");
    let r = c.call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 401, "an unknown token is refused: {}", r.text);

    c.token = None;
    let r = c.call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 401, "a missing token is refused: {}", r.text);
    assert!(r.text.contains("Bearer"), "the message says how to send a token: {}", r.text);

    let token = emu.token_for(emu.creator_user_id());
    let c = Client::new(&emu, &token);
    assert_eq!(c.call("query", "desktop:whoami", json!({})).await.status, 200, "a fresh token works");
    emu.state().expire_token(&token).unwrap();
    let r = c.call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 401, "an expired token is refused");
    assert!(r.text.contains("expired"), "the message says it expired: {}", r.text);
    assert!(!r.text.contains(&token), "a token never appears in an answer");

    let token = emu.token_for(emu.creator_user_id());
    emu.state().revoke_token(&token).unwrap();
    let r = Client::new(&emu, &token).call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 403, "a revoked token is forbidden: {}", r.text);

    let token = emu.state().issue_token(emu.creator_user_id(), Some(common::NOW - 1)).unwrap();
    let r = Client::new(&emu, &token).call("query", "desktop:whoami", json!({})).await;
    assert_eq!(r.status, 401, "a token issued already past its expiry is refused");
}
