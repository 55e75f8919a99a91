//! Role and admin-flag changes through the platform (`desktop:setUserRole`), one user or a selection.
//! Only an [`Admin`] can call them (refused locally otherwise); the platform refuses again for a
//! non-admin (FORBIDDEN) and refuses an admin removing their own flag (CONFLICT, its message kept).
//! Each applied change is written to the local `users` row from the platform's answer.

use serde::{Deserialize, Serialize};

use fanbase_core::Db;
use fanbase_sync::feeds::apply_users_raw;
use fanbase_sync::wire::User;

use crate::access::Admin;
use crate::role::Role;
use crate::users::{self, UserRow};
use crate::{Error, Result};

/// What to change: a role, the admin flag, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RoleChange {
    pub role: Option<Role>,
    pub admin: Option<bool>,
}

impl RoleChange {
    fn check(&self) -> Result<()> {
        if self.role.is_none() && self.admin.is_none() {
            return Err(Error::InvalidArgument("give a role, an admin flag (true or false), or both".into()));
        }
        Ok(())
    }

    /// The confirmation text stating the effect on `user`, e.g.
    /// "Ana Li (ana@x.co) becomes Guest (SUBACCOUNT_GUEST) and loses the admin flag".
    pub fn effect(&self, user: &UserRow) -> String {
        let who = if user.name.is_empty() { user.email.clone() } else { format!("{} ({})", user.name, user.email) };
        let mut parts = Vec::new();
        match self.role {
            Some(r) if r == user.role => parts.push(format!("stays {} ({r})", r.label())),
            Some(r) => parts.push(format!("becomes {} ({r}), from {}", r.label(), user.role.label())),
            None => {}
        }
        match self.admin {
            Some(true) if user.admin => parts.push("keeps the admin flag".into()),
            Some(true) => parts.push("gains the admin flag: full access to every store, user and role".into()),
            Some(false) if !user.admin => parts.push("stays without the admin flag".into()),
            Some(false) => parts.push("loses the admin flag and the admin area".into()),
            None => {}
        }
        format!("{who} {}", parts.join(" and "))
    }
}

/// How one user's change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleStatus {
    /// The platform applied it; `user` holds the updated record.
    Applied,
    /// The platform (or this layer) refused it; `code` and `message` say why.
    Refused,
    /// Not sent: an earlier failure (sign-in required, unreachable, cancelled) stopped the batch.
    Skipped,
}

/// One line of the per-user result list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleResult {
    pub user_id: String,
    pub status: RoleStatus,
    /// The updated user as the table shows it (applied only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<UserRow>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The result list of a bulk change, in the order of the selection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulkOutcome {
    pub applied: usize,
    pub refused: usize,
    pub skipped: usize,
    pub results: Vec<RoleResult>,
}

/// Changes one user's role and/or admin flag on the platform, then writes the platform's answer to
/// the local copy; returns the user's updated row.
pub async fn set_role(db: &Db, admin: &Admin, user_id: &str, change: RoleChange) -> Result<UserRow> {
    change.check()?;
    let role = change.role.map(Role::as_str);
    let user: User = admin.client().set_user_role(user_id, role, change.admin).await?;
    let mut tx = db.pool().begin().await?;
    apply_users_raw(&mut tx, std::slice::from_ref(&user)).await?;
    tx.commit().await?;
    users::get(db, &user.id).await
}

/// Applies `change` to every user of the selection, one platform call each, and reports per user.
/// A refusal (FORBIDDEN, NOT_FOUND, CONFLICT, INVALID_ARGUMENT) concerns that user only and the batch
/// goes on; a failure that would hit every following call too (sign-in required, platform
/// unreachable, cancelled) stops it and the rest are `skipped`. Duplicate ids are sent once.
pub async fn set_roles(db: &Db, admin: &Admin, user_ids: &[String], change: RoleChange) -> Result<BulkOutcome> {
    change.check()?;
    if user_ids.is_empty() {
        return Err(Error::InvalidArgument("select at least one user".into()));
    }
    let mut seen = std::collections::HashSet::new();
    let mut results = Vec::with_capacity(user_ids.len());
    let mut stop: Option<(String, String)> = None;
    for id in user_ids.iter().filter(|id| seen.insert(id.as_str())) {
        if let Some((code, message)) = &stop {
            results.push(RoleResult {
                user_id: id.clone(),
                status: RoleStatus::Skipped,
                user: None,
                code: Some(code.clone()),
                message: Some(message.clone()),
            });
            continue;
        }
        match set_role(db, admin, id, change).await {
            Ok(user) => results.push(RoleResult {
                user_id: id.clone(),
                status: RoleStatus::Applied,
                user: Some(user),
                code: None,
                message: None,
            }),
            Err(e) => {
                let (code, message) = (e.code().to_string(), e.to_string());
                if stops_batch(&e) {
                    stop = Some((code.clone(), format!("not sent: {message}")));
                }
                results.push(RoleResult {
                    user_id: id.clone(),
                    status: RoleStatus::Refused,
                    user: None,
                    code: Some(code),
                    message: Some(message),
                });
            }
        }
    }
    let count = |s: RoleStatus| results.iter().filter(|r| r.status == s).count();
    Ok(BulkOutcome {
        applied: count(RoleStatus::Applied),
        refused: count(RoleStatus::Refused),
        skipped: count(RoleStatus::Skipped),
        results,
    })
}

/// Failures that are about the session or the connection, not about one user.
fn stops_batch(e: &Error) -> bool {
    use fanbase_sync::Error as S;
    matches!(
        e,
        Error::Platform(S::SignInRequired(_) | S::NotSignedIn | S::Unreachable { .. } | S::Cancelled | S::Db(_))
            | Error::Db(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(role: Role, admin: bool) -> UserRow {
        UserRow {
            id: "u1".into(),
            cursor: String::new(),
            email: "ana@x.co".into(),
            name: "Ana Li".into(),
            image_url: String::new(),
            role,
            admin,
            stripe_connected: false,
            stripe_connect_account_id: String::new(),
            created_at: 0,
            last_sign_in_at: None,
            fan_stores: 0,
        }
    }

    #[test]
    fn the_confirmation_states_the_effect() {
        let c = RoleChange { role: Some(Role::SubaccountGuest), admin: Some(false) };
        assert_eq!(
            c.effect(&row(Role::SubaccountUser, true)),
            "Ana Li (ana@x.co) becomes Guest (SUBACCOUNT_GUEST), from User and loses the admin flag and the admin area"
        );
        let grant = RoleChange { role: None, admin: Some(true) };
        assert!(grant.effect(&row(Role::AgencyOwner, false)).contains("gains the admin flag"));
        assert!(RoleChange::default().check().is_err(), "an empty change is refused before any request");
    }
}
