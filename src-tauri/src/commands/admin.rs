//! The platform admin's area: whether the signed-in account is an admin, the users table (pulled from
//! the platform with progress, then paged, sorted and filtered locally), a user's detail, role and
//! admin-flag changes (single and bulk), and platform stats. The work is `fanbase_admin`'s.
//!
//! Platform calls use the window's sign-in (`SyncSession`: `FANBASE_DEPLOYMENT` + `FANBASE_TOKEN`,
//! else the OS keychain, until the window signs in or out), so a sign-out removes the Admin area.

use fanbase_admin::{Admin, BulkOutcome, RoleChange, Stats, UserDetail, UserQuery, UserRow, UsersPage};
use fanbase_core::{now_ms, Db};
use fanbase_sync::{Client, Progress};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::sync::SyncSession;
use crate::ipc_error::IpcResult;

/// Whether the Admin area shows, and for whom.
#[derive(Debug, Serialize)]
pub struct AdminAccess {
    pub admin: bool,
    /// The signed-in account's email; `None` when nobody is signed in or the platform was not reached.
    pub email: Option<String>,
    pub user_id: Option<String>,
    /// Why `admin` is false when it is not a plain "not an admin" (NOT_SIGNED_IN, UNREACHABLE, ...).
    pub code: Option<String>,
}

/// A platform client for the window's signed-in account.
fn client(session: &SyncSession) -> Result<Client, fanbase_admin::Error> {
    let (creds, _) = session.credentials()?.ok_or(fanbase_sync::Error::NotSignedIn)?;
    Ok(Client::new(&creds)?)
}

async fn admin(session: &SyncSession) -> Result<Admin, fanbase_admin::Error> {
    Admin::sign_in(&client(session)?).await
}

/// Asks the platform whether the signed-in account is an admin. Never fails: nobody signed in, a
/// refused token or an unreachable platform all mean "no Admin area" (with the reason's code).
/// (`IpcResult` only because Tauri wants one from an async command that borrows state.)
#[tauri::command]
pub async fn admin_access(session: State<'_, SyncSession>) -> IpcResult<AdminAccess> {
    let who = match client(&session) {
        Ok(c) => c.whoami().await.map_err(fanbase_admin::Error::from),
        Err(e) => Err(e),
    };
    Ok(match who {
        Ok(w) => AdminAccess { admin: w.admin, email: Some(w.email), user_id: Some(w.user_id), code: None },
        Err(e) => AdminAccess { admin: false, email: None, user_id: None, code: Some(e.code().to_string()) },
    })
}

/// What a pull of the users did.
#[derive(Debug, Serialize)]
pub struct UsersPulled {
    pub received: u64,
    pub written: u64,
    /// Users in the local copy afterwards.
    pub total: i64,
}

/// Pulls the platform's users into the local copy, reporting progress after each page.
#[tauri::command]
pub async fn admin_users_pull(
    db: State<'_, Db>,
    session: State<'_, SyncSession>,
    on_progress: Channel<Progress>,
) -> IpcResult<UsersPulled> {
    let admin = admin(&session).await?;
    let progress = |p: &Progress| {
        // A closed window is no reason to stop the pull.
        let _ = on_progress.send(p.clone());
    };
    let pulled = fanbase_admin::pull_users(&db, &admin, now_ms, &progress).await?;
    let total = fanbase_admin::count(&db, &UserQuery::default(), now_ms()).await?;
    Ok(UsersPulled { received: pulled.received, written: pulled.written, total })
}

/// The exact number of users matching `query` (local copy).
#[tauri::command]
pub async fn admin_users_count(db: State<'_, Db>, query: UserQuery) -> IpcResult<i64> {
    Ok(fanbase_admin::count(&db, &query, now_ms()).await?)
}

/// One keyset page of the users matching `query`, in its sort order (local copy).
#[tauri::command]
pub async fn admin_users_page(db: State<'_, Db>, query: UserQuery) -> IpcResult<UsersPage> {
    Ok(fanbase_admin::list(&db, &query, now_ms()).await?)
}

/// One user's details and every local store where their email is a fan.
#[tauri::command]
pub async fn admin_user_detail(db: State<'_, Db>, user_id: String) -> IpcResult<UserDetail> {
    Ok(fanbase_admin::detail(&db, &user_id).await?)
}

/// The confirmation text of `change` for each user (the domain states the effect).
#[tauri::command]
pub async fn admin_role_effects(
    db: State<'_, Db>,
    user_ids: Vec<String>,
    change: RoleChange,
) -> IpcResult<Vec<String>> {
    let mut out = Vec::with_capacity(user_ids.len());
    for id in &user_ids {
        out.push(change.effect(&fanbase_admin::get(&db, id).await?));
    }
    Ok(out)
}

/// Changes one user's role and/or admin flag on the platform; the updated row.
#[tauri::command]
pub async fn admin_set_role(
    db: State<'_, Db>,
    session: State<'_, SyncSession>,
    user_id: String,
    change: RoleChange,
) -> IpcResult<UserRow> {
    Ok(fanbase_admin::set_role(&db, &admin(&session).await?, &user_id, change).await?)
}

/// Applies `change` to every selected user; one result per user.
#[tauri::command]
pub async fn admin_set_roles(
    db: State<'_, Db>,
    session: State<'_, SyncSession>,
    user_ids: Vec<String>,
    change: RoleChange,
) -> IpcResult<BulkOutcome> {
    Ok(fanbase_admin::set_roles(&db, &admin(&session).await?, &user_ids, change).await?)
}

/// The stats panel, from the local copy.
#[tauri::command]
pub async fn admin_stats(db: State<'_, Db>) -> IpcResult<Stats> {
    Ok(fanbase_admin::stats(&db, now_ms()).await?)
}
