//! `desktop:whoami`: who the token speaks for, their role, admin flag and stores.

use serde_json::{json, Value};

use super::Ctx;
use crate::args::{parse, NoArgs};
use crate::refusal::{Fail, Json};
use crate::state::State;

/// The stores the caller may sync: their own, or every store for a platform admin (who may read
/// any store, and needs them all for the admin area's per-store figures).
pub fn run(state: &mut State, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    let NoArgs {} = parse("desktop:whoami", args)?;
    let u = &ctx.caller;
    let stores: Vec<Value> = state
        .stores
        .values()
        .filter(|s| u.admin || s.store.owner_id == u.id)
        .map(|s| json!({"storeId": s.store.id, "name": s.store.name}))
        .collect();
    Ok(json!({
        "userId": u.id,
        "clerkId": u.clerk_id,
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "admin": u.admin,
        "stores": stores,
        "serverTime": ctx.now,
    })
    .into())
}
