//! `desktop:issueUnsubscribeLinks` and the one-click link itself: each fan gets one stable link on
//! the emulator's own base; opening it (GET or POST) marks the fan unsubscribed and records an
//! `unsubscribe` event the first time.

use serde::Deserialize;
use serde_json::{json, Value};

use super::{store_of, Ctx};
use crate::args::parse;
use crate::fields::Field;
use crate::records::{Event, EventKind, Status};
use crate::refusal::{Code, Fail, Json, Refusal};
use crate::state::State;

pub const MAX_LINKS: usize = 500;
/// Where the links live: `{base}/unsubscribe/{token}`.
pub const LINK_PREFIX: &str = "/unsubscribe/";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Args {
    store_id: String,
    customer_ids: Vec<String>,
}

pub fn issue(state: &mut State, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    let a: Args = parse("desktop:issueUnsubscribeLinks", args)?;
    let store = store_of(state, ctx, &a.store_id)?;
    if a.customer_ids.is_empty() || a.customer_ids.len() > MAX_LINKS {
        let why = format!("ask for 1 to {MAX_LINKS} links per call, not {}", a.customer_ids.len());
        return Err(Refusal::new(Code::InvalidArgument, why).into());
    }
    if let Some(missing) = a.customer_ids.iter().find(|id| store.customer(id).is_none()) {
        let why = format!("no customer `{missing}` in store `{}`; push it first", a.store_id);
        return Err(Refusal::new(Code::NotFound, why).with("customerId", missing.as_str()).into());
    }
    let links: Vec<Value> = a
        .customer_ids
        .iter()
        .map(|id| {
            let token = link_token(state, &a.store_id, id);
            json!({"customerId": id, "url": format!("{}{LINK_PREFIX}{token}", ctx.base_url)})
        })
        .collect();
    Ok(json!({ "links": links }).into())
}

fn link_token(state: &mut State, store_id: &str, customer_id: &str) -> String {
    if let Some(t) = state.unsubscribe_by_customer.get(customer_id) {
        return t.clone();
    }
    let token = state.new_secret("u_");
    state.unsubscribe.insert(token.clone(), (store_id.to_string(), customer_id.to_string()));
    state.unsubscribe_by_customer.insert(customer_id.to_string(), token.clone());
    token
}

/// What opening a link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub store_name: String,
    pub email: String,
    /// false when the fan was already unsubscribed (nothing changed, no new event).
    pub changed: bool,
}

/// Opens an unsubscribe link at `now`; `None` for a token no link has.
pub fn visit(state: &mut State, token: &str, now: i64) -> Option<Visit> {
    let (store_id, customer_id) = state.unsubscribe.get(token)?.clone();
    let store = state.store(&store_id)?;
    let mut c = store.customer(&customer_id)?.clone();
    let store_name = store.store.name.clone();
    let changed = c.status != Status::Unsubscribed;
    if changed {
        c.status = Status::Unsubscribed;
        c.modified[Field::Status.index()] = now;
        c.updated_at = now;
        let event = Event {
            id: state.new_id("e"),
            store_id: store_id.clone(),
            customer_id: c.id.clone(),
            email: c.email.clone(),
            campaign_id: None,
            kind: EventKind::Unsubscribe,
            at: now,
            url: None,
            amount: None,
        };
        state.put_event(event).ok()?;
        state.put_customer(c.clone()).ok()?;
    }
    Some(Visit { store_name, email: c.email, changed })
}
