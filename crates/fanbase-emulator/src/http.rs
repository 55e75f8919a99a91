//! The wire: `POST /api/query` and `POST /api/mutation` with `{path, args, format}` and a bearer
//! token, answered 200 / 560 JSON or 400 / 401 / 403 plain text exactly as Convex does; the
//! unsubscribe links; and the fault switches applied around every call.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::faults::Faults;
use crate::functions::{self, kind_of, unsubscribe, Ctx, Kind};
use crate::platform::Platform;
use crate::refusal::{Fail, Json};

#[derive(Clone)]
pub(crate) struct App {
    pub platform: Platform,
    pub faults: Faults,
    pub base_url: Arc<str>,
    pub verbose: bool,
    /// What `GET /_control/demo` shows: the URL and the demo tokens.
    pub demo: Arc<Value>,
}

pub(crate) fn router(app: App) -> Router {
    Router::new()
        .route("/api/query", post(query))
        .route("/api/mutation", post(mutation))
        .route("/unsubscribe/{token}", get(unsubscribe_link).post(unsubscribe_link))
        .merge(crate::control::router())
        .fallback(|| async { (StatusCode::NOT_FOUND, "No such route on the platform emulator.") })
        .layer(DefaultBodyLimit::max(32 << 20))
        .with_state(app)
}

/// An answer before it is written (and maybe cut short).
struct Answer {
    status: u16,
    json: bool,
    body: Vec<u8>,
    retry_after: Option<u32>,
}

impl Answer {
    fn text(status: u16, message: impl Into<String>) -> Answer {
        Answer { status, json: false, body: message.into().into_bytes(), retry_after: None }
    }

    fn json(status: u16, value: &Value) -> Answer {
        Answer {
            status,
            json: true,
            body: serde_json::to_vec(value).expect("JSON values serialise"),
            retry_after: None,
        }
    }

    fn into_response(self, truncate: bool) -> Response {
        let full = self.body.len();
        let mut r = Response::builder()
            .status(StatusCode::from_u16(self.status).expect("the emulator only uses valid statuses"))
            .header(header::CONTENT_TYPE, if self.json { "application/json" } else { "text/plain; charset=utf-8" })
            .header(header::CONTENT_LENGTH, full);
        if let Some(secs) = self.retry_after {
            r = r.header(header::RETRY_AFTER, secs);
        }
        let body = if truncate {
            // Half the body goes out (and is flushed while the stream waits), then the stream fails,
            // which makes hyper close the connection short of Content-Length.
            let half = Bytes::from(self.body[..full / 2].to_vec());
            Body::from_stream(futures_util::stream::unfold(Some(Some(half)), |step| async move {
                match step? {
                    Some(h) => Some((Ok(h), Some(None))),
                    None => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        let cut = std::io::Error::other("the emulator dropped the connection mid-body (fault switch)");
                        Some((Err(cut), None))
                    }
                }
            }))
        } else {
            Body::from(self.body)
        };
        r.body(body).expect("the response parts are valid")
    }
}

async fn query(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    call(app, Kind::Query, headers, body).await
}

async fn mutation(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    call(app, Kind::Mutation, headers, body).await
}

async fn call(app: App, endpoint: Kind, headers: HeaderMap, body: Bytes) -> Response {
    let started = Instant::now();
    let request = parse_request(&body);
    let path = request.as_ref().ok().map(|(p, _)| p.clone());
    let (answer, truncate) = if let Some(secs) = app.faults.fire_rate_limit(path.as_deref()) {
        let mut a = Answer::text(429, "Too many requests: slow down and retry after the Retry-After delay.");
        a.retry_after = Some(secs);
        (a, false)
    } else if app.faults.fire_server_error(path.as_deref()) {
        (Answer::text(500, "Internal Server Error (injected by the emulator's fault switch)"), false)
    } else {
        let answer = execute(&app, endpoint, &headers, request);
        (answer, app.faults.fire_drop(path.as_deref()))
    };
    if let Some(ms) = app.faults.delay() {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    if app.verbose {
        let cut = if truncate { " (dropped mid-body)" } else { "" };
        let shown = path.as_deref().unwrap_or("?");
        eprintln!("{} {shown} -> {}{cut} in {} ms", endpoint.endpoint(), answer.status, started.elapsed().as_millis());
    }
    answer.into_response(truncate)
}

/// `{path, args, format}` from the body, or why it is malformed.
fn parse_request(body: &[u8]) -> Result<(String, Value), String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("The request body is not JSON: {e}"))?;
    let Value::Object(mut o) = v else { return Err("The request body must be a JSON object.".into()) };
    let Some(Value::String(path)) = o.remove("path") else {
        return Err("The request body needs `path`, a string such as \"desktop:whoami\".".into());
    };
    match o.remove("format") {
        None => {}
        Some(Value::String(f)) if f == "json" => {}
        Some(other) => return Err(format!("Unsupported `format` {other}: only \"json\" is supported.")),
    }
    match o.remove("args").unwrap_or_else(|| json!({})) {
        args @ Value::Object(_) => Ok((path, args)),
        other => Err(format!("`args` must be a JSON object, not {other}.")),
    }
}

fn execute(app: &App, endpoint: Kind, headers: &HeaderMap, request: Result<(String, Value), String>) -> Answer {
    let (path, args) = match request {
        Ok(r) => r,
        Err(why) => return Answer::text(400, why),
    };
    let Some(kind) = kind_of(&path) else {
        return Answer::text(400, format!("Could not find public function for '{path}'."));
    };
    if kind != endpoint {
        let what = if kind == Kind::Query { "a query" } else { "a mutation" };
        return Answer::text(400, format!("'{path}' is {what}: call it with POST {}.", kind.endpoint()));
    }
    let auth = headers.get(header::AUTHORIZATION).and_then(|h| h.to_str().ok());
    if let Some(token) = auth.and_then(|a| a.strip_prefix("Bearer ")).map(str::trim) {
        if app.faults.count_token_call(token) {
            let _ = app.platform.expire_token(token);
        }
    }
    let mut state = app.platform.lock();
    let now = state.clock.now();
    let caller = match state.authenticate(auth, now) {
        Ok(user) => user,
        Err(refused) => return Answer::text(refused.status, refused.message),
    };
    let now = if kind == Kind::Mutation { state.clock.tick() } else { now };
    let ctx = Ctx { caller, now, base_url: app.base_url.to_string(), faults: app.faults.clone() };
    let result = functions::call(&mut state, &path, &ctx, args);
    drop(state);
    match result {
        Ok(Json(value)) => {
            let body = format!("{{\"status\":\"success\",\"value\":{value},\"logLines\":[]}}");
            Answer { status: 200, json: true, body: body.into_bytes(), retry_after: None }
        }
        Err(Fail::BadCall(why)) => Answer::text(400, why),
        Err(Fail::Refused(r)) => Answer::json(560, &r.body()),
    }
}

async fn unsubscribe_link(State(app): State<App>, Path(token): Path<String>) -> Response {
    let visit = {
        let mut state = app.platform.lock();
        let now = state.clock.tick();
        unsubscribe::visit(&mut state, &token, now)
    };
    match visit {
        Some(v) => {
            let page = format!(
                "<!doctype html><meta charset=utf-8><title>Unsubscribed</title>\
                 <p>{} will get no more emails from {}.</p>",
                escape(&v.email),
                escape(&v.store_name)
            );
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
        }
        None => (StatusCode::NOT_FOUND, "This unsubscribe link is not valid.").into_response(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
