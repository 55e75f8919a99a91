//! Fault switches, shared by the HTTP layer, the lib API and `/_control/faults`: dropped
//! connections mid-body, 500s, 429 with `Retry-After`, slow answers, `SplitRequired` pages,
//! concurrent "web" edits that make pushes conflict, and a token that expires after N calls.

use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};

/// When a switch fires: on every `every`-th matching call, `times` times (or until cleared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    /// How many more times it fires; `None` = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
    /// Fires on every `every`-th matching call (1 = each one).
    #[serde(default = "one")]
    pub every: u32,
    /// Only calls of this function (`"desktop:pushCustomerChanges"`); `None` = every call.
    #[serde(default)]
    pub path: Option<String>,
    /// Matching calls seen so far (read-only over HTTP).
    #[serde(default, skip_deserializing)]
    pub seen: u32,
    /// Times it fired so far (read-only over HTTP).
    #[serde(default, skip_deserializing)]
    pub fired: u32,
}

fn one() -> u32 {
    1
}

impl Rule {
    /// Fires on the next `n` matching calls.
    pub fn times(n: u32) -> Rule {
        Rule { times: Some(n), every: 1, path: None, seen: 0, fired: 0 }
    }

    /// Fires on every matching call until cleared.
    pub fn always() -> Rule {
        Rule { times: None, ..Rule::times(0) }
    }

    /// Fires only on every `k`-th matching call.
    pub fn every(mut self, k: u32) -> Rule {
        self.every = k.max(1);
        self
    }

    /// Matches only calls of one function path.
    pub fn on(mut self, path: &str) -> Rule {
        self.path = Some(path.to_string());
        self
    }

    fn fire(&mut self, path: Option<&str>) -> bool {
        if self.path.as_deref().is_some_and(|p| Some(p) != path) || self.times == Some(0) {
            return false;
        }
        self.seen += 1;
        if !self.seen.is_multiple_of(self.every.max(1)) {
            return false;
        }
        if let Some(t) = &mut self.times {
            *t -= 1;
        }
        self.fired += 1;
        true
    }
}

/// A token that stops working after `calls` more calls made with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExpireAfter {
    pub token: String,
    pub calls: u32,
}

/// Every switch; over HTTP, fields present in a POST replace the current ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSettings {
    /// Answer with a body cut in half, then close the connection (the function did run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_mid_body: Option<Rule>,
    /// Answer 500 without running the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_errors: Option<Rule>,
    /// Answer 429 with `Retry-After: retryAfterSecs` without running the function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u32>,
    /// Wait this long before every answer (after the function ran).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
    /// Pages asked with more items than this come back `SplitRequired` and incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split_required_above: Option<u32>,
    /// Before a pushed change with `set` applies, the website edits its first field (a conflict).
    /// Counts eligible changes, not calls; `path` is ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_edits_on_push: Option<Rule>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_token_after: Option<ExpireAfter>,
}

/// The switches, cheap to clone and shared with the running server.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<FaultSettings>>,
}

impl Faults {
    fn lock(&self) -> MutexGuard<'_, FaultSettings> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn drop_mid_body(&self, rule: Rule) {
        self.lock().drop_mid_body = Some(rule);
    }

    pub fn server_errors(&self, rule: Rule) {
        self.lock().server_errors = Some(rule);
    }

    pub fn rate_limit(&self, rule: Rule, retry_after_secs: u32) {
        let mut f = self.lock();
        f.rate_limit = Some(rule);
        f.retry_after_secs = Some(retry_after_secs);
    }

    pub fn delay_ms(&self, ms: u64) {
        self.lock().delay_ms = Some(ms).filter(|ms| *ms > 0);
    }

    pub fn split_required_above(&self, num_items: Option<u32>) {
        self.lock().split_required_above = num_items;
    }

    pub fn web_edits_on_push(&self, rule: Rule) {
        self.lock().web_edits_on_push = Some(rule);
    }

    pub fn expire_token_after(&self, token: &str, calls: u32) {
        self.lock().expire_token_after = Some(ExpireAfter { token: token.to_string(), calls });
    }

    /// Turns every switch off.
    pub fn clear(&self) {
        *self.lock() = FaultSettings::default();
    }

    /// The switches now, with how often each fired.
    pub fn settings(&self) -> FaultSettings {
        self.lock().clone()
    }

    /// Replaces the switches present in `s`, keeps the others.
    pub fn merge(&self, s: FaultSettings) {
        let mut f = self.lock();
        macro_rules! take {
            ($($field:ident),*) => { $( if s.$field.is_some() { f.$field = s.$field; } )* };
        }
        take!(drop_mid_body, server_errors, rate_limit, retry_after_secs, split_required_above, web_edits_on_push);
        take!(expire_token_after);
        if let Some(ms) = s.delay_ms {
            f.delay_ms = Some(ms).filter(|ms| *ms > 0);
        }
    }

    pub(crate) fn fire_drop(&self, path: Option<&str>) -> bool {
        self.lock().drop_mid_body.as_mut().is_some_and(|r| r.fire(path))
    }

    pub(crate) fn fire_server_error(&self, path: Option<&str>) -> bool {
        self.lock().server_errors.as_mut().is_some_and(|r| r.fire(path))
    }

    /// `Some(retry after seconds)` when this call is rate limited.
    pub(crate) fn fire_rate_limit(&self, path: Option<&str>) -> Option<u32> {
        let mut f = self.lock();
        let fired = f.rate_limit.as_mut().is_some_and(|r| r.fire(path));
        fired.then(|| f.retry_after_secs.unwrap_or(1))
    }

    pub(crate) fn fire_web_edit(&self) -> bool {
        self.lock().web_edits_on_push.as_mut().is_some_and(|r| r.fire(None))
    }

    pub(crate) fn delay(&self) -> Option<u64> {
        self.lock().delay_ms
    }

    pub(crate) fn split_above(&self) -> Option<usize> {
        self.lock().split_required_above.map(|k| k as usize)
    }

    /// Counts a call made with `token`; true when the token must expire now.
    pub(crate) fn count_token_call(&self, token: &str) -> bool {
        let mut f = self.lock();
        let Some(e) = f.expire_token_after.as_mut().filter(|e| e.token == token) else { return false };
        if e.calls == 0 {
            f.expire_token_after = None;
            return true;
        }
        e.calls -= 1;
        false
    }
}
