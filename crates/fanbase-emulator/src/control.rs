//! `/_control/*`: fault switches, tokens, inspection and "website" edits over HTTP, for tests in
//! other processes and for demos. Answers only requests from a loopback address.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::faults::FaultSettings;
use crate::http::App;
use crate::platform::{NewEvent, WebEdit};

pub(crate) fn router() -> Router<App> {
    Router::new()
        .route("/_control/faults", get(faults).post(set_faults).delete(clear_faults))
        .route("/_control/tokens", post(issue_token))
        .route("/_control/tokens/expire", post(expire_token))
        .route("/_control/tokens/revoke", post(revoke_token))
        .route("/_control/customers", get(customer).post(add_customer))
        .route("/_control/web-edit", post(web_edit))
        .route("/_control/events", post(add_event))
        .route("/_control/changes", get(changes))
        .route("/_control/changes/{change_id}", get(change))
        .route("/_control/users", get(users))
        .route("/_control/stores", get(stores))
        .route("/_control/demo", get(demo))
        .layer(middleware::from_fn(loopback_only))
}

async fn loopback_only(ConnectInfo(peer): ConnectInfo<SocketAddr>, request: Request, next: Next) -> Response {
    if !may_control(&peer) {
        return (StatusCode::FORBIDDEN, "The emulator's control endpoints answer only on loopback.").into_response();
    }
    next.run(request).await
}

/// Only this machine may flip switches or read tokens: IPv4 127/8, IPv6 ::1 and IPv4-mapped 127/8.
fn may_control(peer: &SocketAddr) -> bool {
    match peer.ip() {
        IpAddr::V4(ip) => ip.is_loopback(),
        IpAddr::V6(ip) => ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

fn refused(status: StatusCode, why: impl Into<String>) -> Response {
    (status, why.into()).into_response()
}

async fn faults(State(app): State<App>) -> Json<FaultSettings> {
    Json(app.faults.settings())
}

async fn set_faults(State(app): State<App>, Json(s): Json<FaultSettings>) -> Json<FaultSettings> {
    app.faults.merge(s);
    Json(app.faults.settings())
}

async fn clear_faults(State(app): State<App>) -> Json<FaultSettings> {
    app.faults.clear();
    Json(app.faults.settings())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct IssueToken {
    user_id: String,
    #[serde(default)]
    expires_at: Option<i64>,
}

async fn issue_token(State(app): State<App>, Json(a): Json<IssueToken>) -> Response {
    match app.platform.issue_token(&a.user_id, a.expires_at) {
        Ok(token) => Json(json!({ "token": token })).into_response(),
        Err(why) => refused(StatusCode::NOT_FOUND, why),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenArg {
    token: String,
}

async fn expire_token(State(app): State<App>, Json(a): Json<TokenArg>) -> Response {
    match app.platform.expire_token(&a.token) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => refused(StatusCode::NOT_FOUND, why),
    }
}

async fn revoke_token(State(app): State<App>, Json(a): Json<TokenArg>) -> Response {
    match app.platform.revoke_token(&a.token) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(why) => refused(StatusCode::NOT_FOUND, why),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomerQuery {
    store_id: Option<String>,
    email: Option<String>,
    id: Option<String>,
}

/// `?storeId=S&email=E` or `?id=ID`: the customer, deleted ones included.
async fn customer(State(app): State<App>, Query(q): Query<CustomerQuery>) -> Response {
    let found = match (&q.id, &q.store_id, &q.email) {
        (Some(id), _, _) => app.platform.customer(id),
        (None, Some(store), Some(email)) => app.platform.customer_by_email(store, email),
        _ => return refused(StatusCode::BAD_REQUEST, "give ?storeId=S&email=E or ?id=ID"),
    };
    match found {
        Some(c) => Json(c).into_response(),
        None => refused(StatusCode::NOT_FOUND, "no such customer"),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AddCustomer {
    store_id: String,
    email: String,
    #[serde(default)]
    set: Map<String, Value>,
}

/// A fan added on the website.
async fn add_customer(State(app): State<App>, Json(a): Json<AddCustomer>) -> Response {
    match app.platform.web_add(&a.store_id, &a.email, a.set) {
        Ok(c) => Json(c).into_response(),
        Err(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WebEditArgs {
    store_id: String,
    email: String,
    #[serde(flatten)]
    edit: Map<String, Value>,
}

/// `{storeId, email, set?, addTags?, removeTags?, delete?}`: an edit made on the website now.
async fn web_edit(State(app): State<App>, Json(a): Json<WebEditArgs>) -> Response {
    let edit: WebEdit = match serde_json::from_value(Value::Object(a.edit)) {
        Ok(e) => e,
        Err(e) => return refused(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    match app.platform.web_edit(&a.store_id, &a.email, edit) {
        Ok(c) => Json(c).into_response(),
        Err(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddEvent {
    store_id: String,
    email: String,
    #[serde(flatten)]
    event: Map<String, Value>,
}

/// `{storeId, email, kind, campaignId?, url?, amount?}`: an engagement event recorded now.
async fn add_event(State(app): State<App>, Json(a): Json<AddEvent>) -> Response {
    let event: NewEvent = match serde_json::from_value(Value::Object(a.event)) {
        Ok(e) => e,
        Err(e) => return refused(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
    };
    match app.platform.add_event(&a.store_id, &a.email, event) {
        Ok(e) => Json(e).into_response(),
        Err(why) => refused(StatusCode::UNPROCESSABLE_ENTITY, why),
    }
}

async fn changes(State(app): State<App>) -> Response {
    Json(app.platform.changes()).into_response()
}

async fn change(State(app): State<App>, Path(change_id): Path<String>) -> Response {
    match app.platform.change(&change_id) {
        Some(t) => Json(t).into_response(),
        None => refused(StatusCode::NOT_FOUND, format!("changeId `{change_id}` was never pushed")),
    }
}

async fn users(State(app): State<App>) -> Response {
    Json(app.platform.users()).into_response()
}

async fn stores(State(app): State<App>) -> Response {
    Json(app.platform.stores()).into_response()
}

async fn demo(State(app): State<App>) -> Response {
    Json(app.demo.as_ref().clone()).into_response()
}

#[cfg(test)]
mod tests {
    use super::may_control;

    #[test]
    fn only_loopback_peers_may_control() {
        for ok in ["127.0.0.1:1", "127.9.9.9:1", "[::1]:1", "[::ffff:127.0.0.1]:1"] {
            assert!(may_control(&ok.parse().unwrap()), "{ok} is this machine");
        }
        for no in ["10.0.0.5:1", "192.168.1.2:1", "0.0.0.0:1", "[2001:db8::1]:1", "[::ffff:10.0.0.1]:1"] {
            assert!(!may_control(&no.parse().unwrap()), "{no} is another machine");
        }
    }
}
