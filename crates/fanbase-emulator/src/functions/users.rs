//! `desktop:pullUsers` and `desktop:setUserRole`: the platform's accounts, for admins only.

use serde::Deserialize;
use serde_json::Value;

use super::{require_admin, since_key, Ctx};
use crate::args::{nullable, parse};
use crate::paging::{PaginationOpts, Paging};
use crate::records::Role;
use crate::refusal::{Code, Fail, Json, Refusal};
use crate::state::State;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PullArgs {
    #[serde(deserialize_with = "nullable")]
    since: Option<f64>,
    pagination_opts: PaginationOpts,
}

pub fn pull(state: &mut State, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    let a: PullArgs = parse("desktop:pullUsers", args)?;
    require_admin(ctx, "desktop:pullUsers")?;
    let binding = format!("desktop:pullUsers|{}", since_key(a.since));
    let paging = Paging::open(&a.pagination_opts, binding, a.since)?;
    Ok(paging.page(&state.users_by_update, ctx.faults.split_above(), |(_, id), _, out| {
        out.push_str(&serde_json::to_string(&state.users[id]).expect("a user always serialises"))
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SetRoleArgs {
    user_id: String,
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    admin: Option<bool>,
}

pub fn set_role(state: &mut State, ctx: &Ctx, args: Value) -> Result<Json, Fail> {
    let a: SetRoleArgs = parse("desktop:setUserRole", args)?;
    require_admin(ctx, "desktop:setUserRole")?;
    if a.role.is_none() && a.admin.is_none() {
        return Err(Refusal::new(Code::InvalidArgument, "give `role`, `admin` or both").into());
    }
    let Some(user) = state.user(&a.user_id) else {
        return Err(Refusal::new(Code::NotFound, format!("no user `{}`", a.user_id)).with("userId", a.user_id).into());
    };
    if a.user_id == ctx.caller.id && a.admin == Some(false) {
        return Err(Refusal::new(Code::Conflict, "you cannot remove your own admin flag; ask another admin to do it")
            .with("userId", a.user_id)
            .into());
    }
    let mut user = user.clone();
    let before = user.clone();
    if let Some(role) = a.role {
        user.role = role;
    }
    if let Some(admin) = a.admin {
        user.admin = admin;
    }
    if user != before {
        user.updated_at = ctx.now;
        state.insert_user(user.clone());
    }
    Ok(serde_json::to_value(&user).expect("a user always serialises").into())
}
