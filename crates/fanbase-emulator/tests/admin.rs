//! Admin functions: `desktop:pullUsers` and `desktop:setUserRole` for admins only, and the rule
//! that an admin cannot remove their own admin flag.

mod common;

use common::{start, Client};
use serde_json::json;

#[tokio::test]
async fn admins_pull_every_user_and_others_are_refused() {
    let emu = start(10).await;
    let admin = Client::new(&emu, emu.admin_token());
    let users = admin.pull_all("desktop:pullUsers", json!({"since": null}), 5).await;
    assert_eq!(users.len(), 12, "every registered account arrives");
    let keys: Vec<(i64, String)> =
        users.iter().map(|u| (u["updatedAt"].as_i64().unwrap(), u["_id"].as_str().unwrap().to_string())).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "users come in (updatedAt, _id) order");
    let roles = ["AGENCY_OWNER", "AGENCY_ADMIN", "SUBACCOUNT_USER", "SUBACCOUNT_GUEST"];
    assert!(users.iter().all(|u| roles.contains(&u["role"].as_str().unwrap())), "roles come from the contract");
    assert!(
        users.iter().all(|u| u["admin"].is_boolean() && u["clerkId"].is_string()),
        "every user has admin and clerkId"
    );
    assert!(users.iter().any(|u| u["stripeConnectAccountId"].is_string()), "some users sell (Stripe connected)");
    let me = admin.query("desktop:whoami", json!({})).await;
    assert_eq!(me["admin"], true, "whoami tells the admin they are one");
    let stores: Vec<&str> = me["stores"].as_array().unwrap().iter().map(|s| s["storeId"].as_str().unwrap()).collect();
    assert_eq!(stores, ["store000", "store001"], "an admin is offered every store, not only their own");

    let creator = Client::new(&emu, emu.creator_token());
    let (code, _) = creator
        .refused(
            "query",
            "desktop:pullUsers",
            json!({"since": null, "paginationOpts": {"numItems": 10, "cursor": null}}),
        )
        .await;
    assert_eq!(code, "FORBIDDEN", "a non-admin may not pull users");
    let (code, _) = creator
        .refused("mutation", "desktop:setUserRole", json!({"userId": "user000005", "role": "AGENCY_ADMIN"}))
        .await;
    assert_eq!(code, "FORBIDDEN", "a non-admin may not change roles");
}

#[tokio::test]
async fn set_user_role_changes_role_and_admin_flag() {
    let emu = start(10).await;
    let admin = Client::new(&emu, emu.admin_token());
    let before = emu.state().user("user000005").unwrap();
    let u = admin
        .mutation("desktop:setUserRole", json!({"userId": "user000005", "role": "SUBACCOUNT_GUEST", "admin": true}))
        .await;
    assert_eq!(u["role"], "SUBACCOUNT_GUEST", "the updated user comes back");
    assert_eq!(u["admin"], true);
    assert!(u["updatedAt"].as_i64().unwrap() > before.updated_at, "a role change moves updatedAt");
    assert!(emu.state().user("user000005").unwrap().admin, "the platform keeps it");
    let since = u["updatedAt"].as_i64().unwrap();
    let changed = admin.pull_all("desktop:pullUsers", json!({"since": since}), 10).await;
    assert_eq!(changed.len(), 1, "a pull from the change's time brings just that user");

    let new_admin = Client::new(&emu, &emu.token_for("user000005"));
    let demoted =
        new_admin.mutation("desktop:setUserRole", json!({"userId": emu.admin_user_id(), "admin": false})).await;
    assert_eq!(demoted["admin"], false, "an admin may remove another admin's flag");
}

#[tokio::test]
async fn set_user_role_refusals() {
    let emu = start(10).await;
    let admin = Client::new(&emu, emu.admin_token());
    let (code, message) =
        admin.refused("mutation", "desktop:setUserRole", json!({"userId": emu.admin_user_id(), "admin": false})).await;
    assert_eq!(code, "CONFLICT", "an admin cannot remove their own admin flag");
    assert!(message.contains("own admin"), "the message says why: {message}");
    assert!(emu.state().user(emu.admin_user_id()).unwrap().admin, "and stays admin");
    let own_role =
        admin.mutation("desktop:setUserRole", json!({"userId": emu.admin_user_id(), "role": "AGENCY_ADMIN"})).await;
    assert_eq!(own_role["role"], "AGENCY_ADMIN", "changing one's own role is allowed");

    let (code, _) =
        admin.refused("mutation", "desktop:setUserRole", json!({"userId": "user999999", "role": "AGENCY_ADMIN"})).await;
    assert_eq!(code, "NOT_FOUND", "an unknown user");
    let (code, _) = admin.refused("mutation", "desktop:setUserRole", json!({"userId": "user000004"})).await;
    assert_eq!(code, "INVALID_ARGUMENT", "neither role nor admin given");
}
