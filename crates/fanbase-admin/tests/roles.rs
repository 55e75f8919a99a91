//! Users pull and role changes against the emulator over real HTTP, into a real SQLite file:
//! single and bulk changes with partial failure, the own-admin-flag CONFLICT, and refusals of
//! non-admins by this crate (NOT_ADMIN, before any request) and by the platform (FORBIDDEN).

mod common;

use common::*;
use fanbase_admin::{pull_users, set_role, set_roles, users, Admin, Role, RoleChange, RoleStatus, UserQuery};
use fanbase_emulator::Role as PlatformRole;
use fanbase_sync::no_progress;

/// A user's role on the platform, as the contract writes it.
fn platform_role(w: &World, id: &str) -> String {
    serde_json::to_value(w.emulator.state().user(id).unwrap().role).unwrap().as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_pulls_every_platform_user() {
    let w = world(30).await;
    let admin = Admin::sign_in(&client(&w.emulator, w.emulator.admin_token())).await.expect("the admin is an admin");
    let pulled = pull_users(&w.db, &admin, clock, &no_progress).await.expect("the pull succeeds");
    let platform = w.emulator.state().users();
    assert_eq!(pulled.received as usize, platform.len(), "every platform user is received");
    assert_eq!(scalar(&w.db, "SELECT count(*) FROM users").await as usize, platform.len(), "and stored once");
    let page = fanbase_admin::list(&w.db, &UserQuery { limit: 1000, ..UserQuery::default() }, clock()).await.unwrap();
    assert_eq!(page.rows.len(), platform.len());
    for p in &platform {
        let local = page.rows.iter().find(|r| r.id == p.id).unwrap_or_else(|| panic!("user {} is missing", p.id));
        assert_eq!(local.email, p.email);
        assert_eq!(local.role.as_str(), serde_json::to_value(p.role).unwrap().as_str().unwrap(), "role of {}", p.id);
        assert_eq!(local.admin, p.admin, "admin flag of {}", p.id);
        assert_eq!(local.stripe_connected, p.stripe_connect_account_id.is_some(), "Stripe status of {}", p.id);
        assert_eq!(local.last_sign_in_at, p.last_sign_in_at);
        assert_eq!(local.created_at, p.creation_time, "created = the platform's _creationTime");
    }
    let names: Vec<String> = page.rows.iter().map(|r| r.name.to_lowercase()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "the default order is by name");
    let again = pull_users(&w.db, &admin, clock, &no_progress).await.unwrap();
    assert!(again.received <= 1, "a second pull resumes from the watermark (only the inclusive boundary may repeat)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_and_bulk_role_changes_with_partial_failure() {
    let w = world(12).await;
    let admin = Admin::sign_in(&client(&w.emulator, w.emulator.admin_token())).await.unwrap();
    pull_users(&w.db, &admin, clock, &no_progress).await.unwrap();
    let me = w.emulator.admin_user_id().to_string();

    // Single: a role, then the admin flag.
    let was = Role::parse(&platform_role(&w, "user000005")).unwrap();
    let new = if was == Role::SubaccountGuest { Role::AgencyOwner } else { Role::SubaccountGuest };
    let change = RoleChange { role: Some(new), admin: None };
    let row = set_role(&w.db, &admin, "user000005", change).await.expect("an admin may change a role");
    assert_eq!(row.role, new, "the returned row shows the new role");
    assert_eq!(platform_role(&w, "user000005"), new.as_str(), "the platform has it");
    assert_eq!(users::get(&w.db, "user000005").await.unwrap().role, new, "and the local copy");
    let row = set_role(&w.db, &admin, "user000006", RoleChange { role: None, admin: Some(true) }).await.unwrap();
    assert!(row.admin && w.emulator.state().user("user000006").unwrap().admin, "admin granted on both sides");

    // Own admin flag: refused by the platform with its message.
    let err = set_role(&w.db, &admin, &me, RoleChange { role: None, admin: Some(false) }).await.unwrap_err();
    assert_eq!(err.code(), "CONFLICT", "the platform's CONFLICT comes through: {err}");
    assert!(
        err.to_string().contains("you cannot remove your own admin flag"),
        "the platform's message is shown: {err}"
    );
    assert!(w.emulator.state().user(&me).unwrap().admin, "the admin is still an admin");

    // Bulk with partial failure: two apply, an unknown user and the own flag are refused.
    let ids: Vec<String> = ["user000003", "nosuchuser", &me, "user000004", "user000003"].map(String::from).to_vec();
    let was: Vec<String> = ["user000003", "user000004"].iter().map(|id| platform_role(&w, id)).collect();
    assert!(was.iter().any(|r| r != "AGENCY_ADMIN"), "the seed makes the bulk change visible: {was:?}");
    let change = RoleChange { role: Some(Role::AgencyAdmin), admin: Some(false) };
    let out = set_roles(&w.db, &admin, &ids, change).await.expect("a bulk change reports per user");
    let summary: Vec<(&str, RoleStatus, Option<&str>)> =
        out.results.iter().map(|r| (r.user_id.as_str(), r.status, r.code.as_deref())).collect();
    assert_eq!(
        summary,
        [
            ("user000003", RoleStatus::Applied, None),
            ("nosuchuser", RoleStatus::Refused, Some("NOT_FOUND")),
            (me.as_str(), RoleStatus::Refused, Some("CONFLICT")),
            ("user000004", RoleStatus::Applied, None),
        ],
        "one result per selected user in order, a duplicate id sent once"
    );
    assert_eq!((out.applied, out.refused, out.skipped), (2, 2, 0));
    let own = out.results.iter().find(|r| r.user_id == me).unwrap();
    assert!(own.message.as_deref().unwrap().contains("you cannot remove your own admin flag"));
    for id in ["user000003", "user000004"] {
        assert_eq!(platform_role(&w, id), "AGENCY_ADMIN", "{id} changed on the platform");
        assert_eq!(users::get(&w.db, id).await.unwrap().role, Role::AgencyAdmin, "{id} changed locally");
    }
    let mine = w.emulator.state().user(&me).unwrap();
    assert!(mine.admin && mine.role == PlatformRole::AgencyOwner, "a refused change applies nothing of itself");

    // A revoked token stops the batch: the first is refused, the rest are not sent.
    w.emulator.state().revoke_token(w.emulator.admin_token()).unwrap();
    let ids: Vec<String> = ["user000007", "user000008", "user000009"].map(String::from).to_vec();
    let before: Vec<_> = ids.iter().map(|id| w.emulator.state().user(id).unwrap()).collect();
    let out = set_roles(&w.db, &admin, &ids, RoleChange { role: None, admin: Some(true) }).await.unwrap();
    let statuses: Vec<RoleStatus> = out.results.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [RoleStatus::Refused, RoleStatus::Skipped, RoleStatus::Skipped]);
    assert!(out.results.iter().all(|r| r.code.as_deref() == Some("SIGN_IN_REQUIRED")), "{:?}", out.results);
    let after: Vec<_> = ids.iter().map(|id| w.emulator.state().user(id).unwrap()).collect();
    assert_eq!(after, before, "nothing was changed on the platform");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_admins_are_refused_here_and_by_the_platform() {
    let w = world(12).await;
    let creator = client(&w.emulator, w.emulator.creator_token());

    // This layer: no Admin for a non-admin, so no admin request can even be made.
    let err = Admin::sign_in(&creator).await.unwrap_err();
    assert_eq!(err.code(), "NOT_ADMIN", "whoami.admin is false: refused locally ({err})");
    assert!(err.to_string().contains("cleo.creator@beatlab.example"), "the message names the account: {err}");

    // The platform: the same calls made directly are refused with FORBIDDEN, and change nothing.
    let err = creator.pull_users(None, fanbase_sync::wire::PaginationOpts { num_items: 10, cursor: None }).await;
    assert_eq!(err.unwrap_err().code(), "FORBIDDEN", "the platform refuses pullUsers to a non-admin");
    let err = creator.set_user_role("user000005", Some("AGENCY_OWNER"), Some(true)).await.unwrap_err();
    assert_eq!(err.code(), "FORBIDDEN", "the platform refuses setUserRole to a non-admin");
    let target = w.emulator.state().user("user000005").unwrap();
    assert!(!target.admin, "nothing changed on the platform");

    // An admin whose flag was revoked after sign-in still holds an `Admin`: the platform refuses.
    let admin = Admin::sign_in(&client(&w.emulator, w.emulator.admin_token())).await.unwrap();
    let second_token = w.emulator.token_for("user000002");
    set_role(&w.db, &admin, "user000002", RoleChange { role: None, admin: Some(true) }).await.unwrap();
    let stale = Admin::sign_in(&client(&w.emulator, &second_token)).await.expect("user000002 is an admin now");
    set_role(&w.db, &admin, "user000002", RoleChange { role: None, admin: Some(false) }).await.unwrap();
    let before = w.emulator.state().user("user000005").unwrap();
    let err = set_role(&w.db, &stale, "user000005", RoleChange { role: Some(Role::AgencyOwner), admin: Some(true) })
        .await
        .unwrap_err();
    assert_eq!(err.code(), "FORBIDDEN", "the platform checks admin itself, whatever the app believes: {err}");
    assert_eq!(w.emulator.state().user("user000005").unwrap(), before, "the refused change applied nothing");
    assert_eq!(Admin::sign_in(&client(&w.emulator, &second_token)).await.unwrap_err().code(), "NOT_ADMIN");
}
