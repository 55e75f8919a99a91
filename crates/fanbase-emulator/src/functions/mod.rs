//! The `desktop:*` functions of contract v1: the table of paths (query or mutation) and what
//! every function may rely on when it runs (the caller, the time, the injected faults).

mod customers;
mod engagement;
mod push;
pub(crate) mod unsubscribe;
mod users;
mod whoami;

use serde_json::Value;

use crate::faults::Faults;
use crate::records::User;
use crate::refusal::{Code, Fail, Json, Refusal};
use crate::state::{State, StoreData};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Mutation,
}

impl Kind {
    pub fn endpoint(self) -> &'static str {
        match self {
            Kind::Query => "/api/query",
            Kind::Mutation => "/api/mutation",
        }
    }
}

/// Every public function and its kind.
pub const FUNCTIONS: [(&str, Kind); 7] = [
    ("desktop:whoami", Kind::Query),
    ("desktop:pullCustomers", Kind::Query),
    ("desktop:pushCustomerChanges", Kind::Mutation),
    ("desktop:pullUsers", Kind::Query),
    ("desktop:setUserRole", Kind::Mutation),
    ("desktop:pullEngagement", Kind::Query),
    ("desktop:issueUnsubscribeLinks", Kind::Mutation),
];

pub fn kind_of(path: &str) -> Option<Kind> {
    FUNCTIONS.iter().find(|(p, _)| *p == path).map(|(_, k)| *k)
}

/// What a running function knows besides its arguments.
pub struct Ctx {
    pub caller: User,
    /// The server time of this call (a fresh write time for mutations).
    pub now: i64,
    /// The emulator's own base URL, for links it hands out.
    pub base_url: String,
    pub faults: Faults,
}

/// Runs the function at `path` (already known to exist) for an authenticated caller.
pub fn call(state: &mut State, path: &str, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    match path {
        "desktop:whoami" => whoami::run(state, ctx, args),
        "desktop:pullCustomers" => customers::pull(state, ctx, args),
        "desktop:pushCustomerChanges" => push::run(state, ctx, args),
        "desktop:pullUsers" => users::pull(state, ctx, args),
        "desktop:setUserRole" => users::set_role(state, ctx, args),
        "desktop:pullEngagement" => engagement::pull(state, ctx, args),
        "desktop:issueUnsubscribeLinks" => unsubscribe::issue(state, ctx, args),
        other => Err(Fail::BadCall(format!("Could not find public function for '{other}'"))),
    }
}

/// The store, if the caller owns it or is an admin.
fn store_of<'a>(state: &'a State, ctx: &Ctx, store_id: &str) -> Result<&'a StoreData, Refusal> {
    let store = state
        .store(store_id)
        .ok_or_else(|| Refusal::new(Code::NotFound, format!("no store `{store_id}`")).with("storeId", store_id))?;
    if store.store.owner_id != ctx.caller.id && !ctx.caller.admin {
        return Err(Refusal::new(
            Code::Forbidden,
            format!("store `{store_id}` is not yours: only its owner or a platform admin may use it"),
        )
        .with("storeId", store_id));
    }
    Ok(store)
}

fn require_admin(ctx: &Ctx, path: &str) -> Result<(), Refusal> {
    if ctx.caller.admin {
        return Ok(());
    }
    Err(Refusal::new(Code::Forbidden, format!("`{path}` is for platform admins only")))
}

/// `since` as it enters a cursor binding: exact, so other `since` values never share cursors.
fn since_key(since: Option<f64>) -> String {
    since.map_or("null".into(), |s| format!("{s:?}"))
}
