//! The platform client: Convex's HTTP function API (`POST /api/query|mutation`) with the contract's
//! fault handling (429 waits, transient retries with back-off, 401/403 → sign-in, 560 → typed error).
//! The token goes only into the Authorization header; no error or log line contains it.

use std::time::Duration;

use rand::Rng;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::control::Cancel;
use crate::credentials::{Credentials, Token};
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::wire::{
    Change, ChangeResult, Customer, EngagementEvent, Page, PaginationOpts, PushResults, UnsubscribeLink, User, Whoami,
};
use crate::{Error, Result};

/// A read-only function or a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Query,
    Mutation,
}

/// A handle on one deployment with one token. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    deployment: String,
    token: Token,
    policy: RetryPolicy,
    cancel: Cancel,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("deployment", &self.deployment).field("token", &self.token).finish()
    }
}

/// What one try came to.
enum Attempt {
    Fatal(Error),
    RateLimited(Option<Duration>),
    Transient(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Envelope {
    status: String,
    #[serde(default)]
    value: Value,
    #[serde(default)]
    error_message: Option<String>,
    #[serde(default)]
    error_data: Option<Value>,
}

impl Client {
    /// A client with the default retry policy.
    pub fn new(credentials: &Credentials) -> Result<Client> {
        Client::with_policy(credentials, RetryPolicy::default())
    }

    pub fn with_policy(credentials: &Credentials, policy: RetryPolicy) -> Result<Client> {
        let http = reqwest::Client::builder()
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.request_timeout)
            .build()
            .map_err(|e| Error::Unreachable { attempts: 0, detail: format!("no HTTP client: {e}") })?;
        Ok(Client {
            http,
            deployment: credentials.deployment.clone(),
            token: credentials.token.clone(),
            policy,
            cancel: Cancel::new(),
        })
    }

    /// The same client, stopped by `cancel` (between tries and during waits and requests).
    pub fn with_cancel(&self, cancel: &Cancel) -> Client {
        Client { cancel: cancel.clone(), ..self.clone() }
    }

    /// Whether the cancel switch this client carries was thrown.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub fn deployment(&self) -> &str {
        &self.deployment
    }

    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// Calls `path` with `args` and decodes the success value, retrying as the contract says.
    pub async fn call<T: DeserializeOwned>(&self, kind: Kind, path: &str, args: Value) -> Result<T> {
        let value = self.call_value(kind, path, args).await?;
        serde_json::from_value(value).map_err(|e| Error::Malformed {
            function: path.to_string(),
            status: 200,
            message: format!("unexpected value: {e}"),
        })
    }

    async fn call_value(&self, kind: Kind, path: &str, args: Value) -> Result<Value> {
        let url = match kind {
            Kind::Query => format!("{}/api/query", self.deployment),
            Kind::Mutation => format!("{}/api/mutation", self.deployment),
        };
        let body = json!({"path": path, "args": args, "format": "json"});
        let mut failures = 0u32;
        loop {
            if self.cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let outcome = tokio::select! {
                r = self.once(&url, path, &body) => r,
                _ = self.cancel.cancelled() => return Err(Error::Cancelled),
            };
            let wait = match outcome {
                Ok(v) => return Ok(v),
                Err(Attempt::Fatal(e)) => return Err(e),
                Err(Attempt::RateLimited(after)) => {
                    failures += 1;
                    if failures >= self.policy.max_attempts {
                        return Err(Error::Unreachable {
                            attempts: failures,
                            detail: "rate limited (HTTP 429)".into(),
                        });
                    }
                    self.policy.rate_limited(after, failures - 1, rand::rng().random())
                }
                Err(Attempt::Transient(detail)) => {
                    failures += 1;
                    if failures >= self.policy.max_attempts {
                        return Err(Error::Unreachable { attempts: failures, detail });
                    }
                    self.policy.backoff(failures - 1, rand::rng().random())
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.cancel.cancelled() => return Err(Error::Cancelled),
            }
        }
    }

    async fn once(&self, url: &str, path: &str, body: &Value) -> std::result::Result<Value, Attempt> {
        let response = self
            .http
            .post(url)
            .bearer_auth(self.token.expose())
            .json(body)
            .send()
            .await
            .map_err(|e| Attempt::Transient(describe(&e)))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after);
        // Reading the whole body catches connections dropped mid-body.
        let bytes = response.bytes().await.map_err(|e| Attempt::Transient(describe(&e)))?;
        match status.as_u16() {
            200 | 560 => {
                let envelope: Envelope = serde_json::from_slice(&bytes)
                    .map_err(|e| Attempt::Transient(format!("incomplete answer from {path}: {e}")))?;
                if envelope.status == "success" && status == StatusCode::OK {
                    return Ok(envelope.value);
                }
                let message = envelope.error_message.unwrap_or_else(|| format!("{path} failed"));
                let code = envelope
                    .error_data
                    .as_ref()
                    .and_then(|d| d.get("code"))
                    .and_then(Value::as_str)
                    .unwrap_or("UNKNOWN")
                    .to_string();
                Err(Attempt::Fatal(Error::from_platform(&code, message)))
            }
            401 | 403 => Err(Attempt::Fatal(Error::SignInRequired(format!("HTTP {}", status.as_u16())))),
            429 => Err(Attempt::RateLimited(retry_after)),
            400..=499 => Err(Attempt::Fatal(Error::Malformed {
                function: path.to_string(),
                status: status.as_u16(),
                message: String::from_utf8_lossy(&bytes).chars().take(300).collect(),
            })),
            code => Err(Attempt::Transient(format!("HTTP {code} from {path}"))),
        }
    }

    /// `desktop:whoami`: checks the token and lists the account's stores.
    pub async fn whoami(&self) -> Result<Whoami> {
        self.call(Kind::Query, "desktop:whoami", json!({})).await
    }

    /// `desktop:pullCustomers`: one page of a store's customers changed since `since` (inclusive).
    pub async fn pull_customers(
        &self,
        store_id: &str,
        since: Option<i64>,
        opts: PaginationOpts,
    ) -> Result<Page<Customer>> {
        let args = json!({"storeId": store_id, "since": since, "paginationOpts": opts});
        self.call(Kind::Query, "desktop:pullCustomers", args).await
    }

    /// `desktop:pullEngagement`: one page of a store's engagement events at or after `since`.
    pub async fn pull_engagement(
        &self,
        store_id: &str,
        since: Option<i64>,
        opts: PaginationOpts,
    ) -> Result<Page<EngagementEvent>> {
        let args = json!({"storeId": store_id, "since": since, "paginationOpts": opts});
        self.call(Kind::Query, "desktop:pullEngagement", args).await
    }

    /// `desktop:pullUsers` (admins only).
    pub async fn pull_users(&self, since: Option<i64>, opts: PaginationOpts) -> Result<Page<User>> {
        self.call(Kind::Query, "desktop:pullUsers", json!({"since": since, "paginationOpts": opts})).await
    }

    /// `desktop:pushCustomerChanges`: 1..=100 changes, one result per change in order.
    pub async fn push_customer_changes(&self, store_id: &str, changes: &[Change]) -> Result<Vec<ChangeResult>> {
        let args = json!({"storeId": store_id, "changes": changes});
        let out: PushResults = self.call(Kind::Mutation, "desktop:pushCustomerChanges", args).await?;
        Ok(out.results)
    }

    /// `desktop:setUserRole` (admins only): returns the updated user.
    pub async fn set_user_role(&self, user_id: &str, role: Option<&str>, admin: Option<bool>) -> Result<User> {
        let mut args = json!({"userId": user_id});
        if let Some(role) = role {
            args["role"] = json!(role);
        }
        if let Some(admin) = admin {
            args["admin"] = json!(admin);
        }
        self.call(Kind::Mutation, "desktop:setUserRole", args).await
    }

    /// `desktop:issueUnsubscribeLinks`: 1..=500 platform customer ids.
    pub async fn issue_unsubscribe_links(
        &self,
        store_id: &str,
        customer_ids: &[String],
    ) -> Result<Vec<UnsubscribeLink>> {
        #[derive(Deserialize)]
        struct Links {
            links: Vec<UnsubscribeLink>,
        }
        let args = json!({"storeId": store_id, "customerIds": customer_ids});
        let out: Links = self.call(Kind::Mutation, "desktop:issueUnsubscribeLinks", args).await?;
        Ok(out.links)
    }
}

/// A transport failure in words, without the request's headers (so without the token).
fn describe(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the answer"
    } else {
        "the connection failed"
    };
    let mut source = std::error::Error::source(e);
    let mut detail = String::new();
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {detail}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_never_prints_its_token() {
        let creds = Credentials::new("https://x.example", Token::new("fbdt_do_not_show")).unwrap();
        let client = Client::new(&creds).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("fbdt_do_not_show") && shown.contains("x.example"), "{shown}");
    }
}
