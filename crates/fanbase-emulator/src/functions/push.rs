//! `desktop:pushCustomerChanges`: up to 100 changes applied in order in one transaction, each
//! answered `applied`, `duplicate` (changeId seen before), `conflict` (a `set` field changed on
//! the server after `baseUpdatedAt`: nothing of the change applies) or `rejected` (with a message).

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{store_of, Ctx};
use crate::args::{nullable, parse};
use crate::edit::{new_customer, Edit};
use crate::fields::{validate_set, web_value, Field, Valid};
use crate::records::{email_is_valid, email_key, Customer};
use crate::refusal::{Code, Fail, Json, Refusal};
use crate::state::State;

pub const MAX_CHANGES: usize = 100;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Args {
    store_id: String,
    changes: Vec<Change>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Change {
    change_id: String,
    #[serde(deserialize_with = "nullable")]
    customer_id: Option<String>,
    email: String,
    #[serde(deserialize_with = "nullable")]
    base_updated_at: Option<f64>,
    set: Map<String, Value>,
    add_tags: Vec<String>,
    remove_tags: Vec<String>,
    #[serde(default)]
    delete: Option<bool>,
}

enum Outcome {
    Applied(Customer),
    Conflict(Customer, String),
    Rejected(Option<Customer>, String),
}

pub fn run(state: &mut State, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    let a: Args = parse("desktop:pushCustomerChanges", args)?;
    let store = store_of(state, ctx, &a.store_id)?;
    let owner = store.store.owner_id.clone();
    if a.changes.is_empty() || a.changes.len() > MAX_CHANGES {
        return Err(Refusal::new(
            Code::InvalidArgument,
            format!("send 1 to {MAX_CHANGES} changes per call, not {}", a.changes.len()),
        )
        .into());
    }
    let results: Vec<Value> = a.changes.iter().map(|c| answer(state, ctx, &a.store_id, &owner, c)).collect();
    Ok(json!({ "results": results }).into())
}

/// One change's result, recorded in the ledger.
fn answer(state: &mut State, ctx: &Ctx, store_id: &str, owner: &str, change: &Change) -> Value {
    let id = &change.change_id;
    if let Some(done) = state.ledger.get_mut(id).filter(|t| t.applied > 0) {
        done.duplicates += 1;
        let current = done.customer_id.clone().and_then(|c| state.customer(&c).cloned());
        return result(id, "duplicate", current.as_ref(), None);
    }
    let outcome = decide(state, ctx, store_id, owner, change);
    let tally = state.ledger.entry(id.clone()).or_default();
    match outcome {
        Outcome::Applied(c) => {
            tally.applied += 1;
            tally.customer_id = Some(c.id.clone());
            result(id, "applied", Some(&c), None)
        }
        Outcome::Conflict(c, why) => {
            tally.conflicts += 1;
            result(id, "conflict", Some(&c), Some(why))
        }
        Outcome::Rejected(c, why) => {
            tally.rejected += 1;
            result(id, "rejected", c.as_ref(), Some(why))
        }
    }
}

fn result(change_id: &str, status: &str, customer: Option<&Customer>, message: Option<String>) -> Value {
    let mut r = json!({"changeId": change_id, "status": status});
    if let Some(c) = customer {
        r["customer"] = serde_json::to_value(c).expect("a customer always serialises");
    }
    if let Some(m) = message {
        r["message"] = json!(m);
    }
    r
}

fn decide(state: &mut State, ctx: &Ctx, store_id: &str, owner: &str, change: &Change) -> Outcome {
    let now = ctx.now;
    let store = state.store(store_id).expect("checked by store_of");
    let current = change.customer_id.as_deref().and_then(|id| store.customer(id)).cloned();
    if change.change_id.trim().is_empty() {
        return Outcome::Rejected(current, "changeId is empty: give every change a UUID".into());
    }
    let edit = match validate_set(&change.set).and_then(|set| Edit::new(set, &change.add_tags, &change.remove_tags)) {
        Ok(edit) => edit,
        Err(why) => return Outcome::Rejected(current, why),
    };
    let Some(customer_id) = &change.customer_id else {
        if change.delete == Some(true) {
            return Outcome::Rejected(None, "a delete needs the customer's platform id (customerId)".into());
        }
        return create(state, store_id, owner, change, &edit, now);
    };
    let Some(mut c) = current else {
        return Outcome::Rejected(None, format!("no customer `{customer_id}` in store `{store_id}`"));
    };
    let base = change.base_updated_at.map_or(i64::MIN, |b| b.floor() as i64);
    if change.delete == Some(true) {
        if c.deleted_at.is_none() {
            c.deleted_at = Some(now);
            c.updated_at = now;
            put(state, c.clone());
        }
        return Outcome::Applied(c);
    }
    if let Some(deleted_at) = c.deleted_at {
        return if deleted_at > base {
            Outcome::Conflict(c, "this customer was deleted on the platform after the edit's base".into())
        } else {
            Outcome::Rejected(Some(c), "this customer is deleted; edits to it cannot apply".into())
        };
    }
    let conflicts = edit.conflicting_fields(&c, base);
    if !conflicts.is_empty() {
        let why = format!("changed on the platform after baseUpdatedAt {base}: {}", conflicts.join(", "));
        return Outcome::Conflict(c, why);
    }
    if !edit.set.is_empty() && ctx.faults.fire_web_edit() {
        if let Some(conflicted) = web_edit_first_field(state, &mut c, &edit, now) {
            return conflicted;
        }
    }
    if let Some(email) = set_email(&edit).filter(|e| email_key(e) != email_key(&c.email)) {
        if state.store(store_id).and_then(|s| s.customer_by_email(&email)).is_some() {
            return Outcome::Rejected(
                Some(c),
                format!("another customer of this store already has the email `{email}`"),
            );
        }
    }
    edit.apply(&mut c, now);
    put(state, c.clone());
    Outcome::Applied(c)
}

fn set_email(edit: &Edit) -> Option<String> {
    edit.set.iter().find_map(|(f, v)| match v {
        Valid::Text(e) if *f == Field::Email => Some(e.clone()),
        _ => None,
    })
}

/// The conflict fault: someone edits the first field of this change on the website just before.
fn web_edit_first_field(state: &mut State, c: &mut Customer, edit: &Edit, now: i64) -> Option<Outcome> {
    let (field, _) = edit.set.first()?;
    let mut edited = c.clone();
    let web = Edit { set: vec![(*field, web_value(c, *field))], ..Edit::default() };
    web.apply(&mut edited, now);
    state.put_customer(edited.clone()).ok()?;
    *c = edited;
    let why = format!("changed on the platform (a concurrent web edit) after the edit's base: {}", field.name());
    Some(Outcome::Conflict(c.clone(), why))
}

fn create(state: &mut State, store_id: &str, owner: &str, change: &Change, edit: &Edit, now: i64) -> Outcome {
    if !email_is_valid(&change.email) {
        return Outcome::Rejected(None, format!("`{}` is not a valid email address", change.email));
    }
    if set_email(edit).is_some_and(|e| email_key(&e) != email_key(&change.email)) {
        return Outcome::Rejected(None, "a create takes its email from `email`; `set.email` differs from it".into());
    }
    let store = state.store(store_id).expect("checked by store_of");
    let mut c = match store.customer_by_email(&change.email) {
        Some(existing) => existing.clone(),
        None => new_customer(state.new_id("c"), store_id, owner, &change.email, "desktop", now),
    };
    if c.deleted_at.take().is_some() {
        c.updated_at = now;
    }
    edit.apply(&mut c, now);
    put(state, c.clone());
    Outcome::Applied(c)
}

fn put(state: &mut State, c: Customer) {
    state.put_customer(c).expect("emails were checked before writing");
}
