//! The unified fans + users view over a real database file: one row per email (case-insensitive),
//! badges from type and account, the "has account" filter, and users without a fan record only
//! when the view includes users, with keyset paging still exact across both kinds of rows.

mod seed;

use std::cmp::Ordering;
use std::collections::HashSet;

use fanbase_core::contacts::{self, Badge, ContactFilter, ContactRow, PageRequest, Sort, SortField};
use fanbase_core::Db;

use seed::Fan;

async fn all_rows(db: &Db, filter: &ContactFilter) -> Vec<ContactRow> {
    let req = PageRequest { limit: 1000, ..Default::default() };
    contacts::page_matching(db, seed::STORE, filter, &req).await.unwrap().rows
}

async fn small_world() -> (tempfile::TempDir, Db) {
    let (dir, db, pk) = seed::db().await;
    seed::fan(&db, pk, Fan::new("ana@example.com").name("Ana").kind("lead")).await;
    seed::fan(&db, pk, Fan::new("Bo@Example.com").name("Bo").kind("paying")).await;
    seed::fan(&db, pk, Fan::new("cy@example.com").name("Cy").kind("subscription")).await;
    seed::fan(&db, pk, Fan::new("di@example.com").name("Di").kind("lead")).await;
    seed::user(&db, "u_ana", "ANA@example.com", "Ana A.").await;
    seed::user(&db, "u_bo1", "bo@example.com", "Bo").await;
    seed::user(&db, "u_bo2", "BO@EXAMPLE.COM", "Bo twice").await;
    seed::user(&db, "u_eve1", "eve@example.com", "Eve").await;
    seed::user(&db, "u_eve2", "Eve@Example.com", "Eve again").await;
    seed::user(&db, "u_fay", "fay@example.com", "Fay").await;
    // A fan of another store with Eve's email does not make Eve a fan of this one.
    let other = fanbase_core::stores::ensure(&db, "other", "Other", 1).await.unwrap();
    seed::fan(&db, other, Fan::new("eve@example.com").name("Eve elsewhere")).await;
    (dir, db)
}

#[tokio::test]
async fn fans_carry_badges_and_users_appear_only_when_included() {
    let (_dir, db) = small_world().await;
    let fans = all_rows(&db, &ContactFilter::default()).await;
    let badges: Vec<(&str, Vec<Badge>)> = fans.iter().map(|r| (r.email.as_str(), r.badges.clone())).collect();
    assert_eq!(
        badges,
        [
            ("ana@example.com", vec![Badge::Lead, Badge::RegisteredUser]),
            ("Bo@Example.com", vec![Badge::Paying, Badge::RegisteredUser]),
            ("cy@example.com", vec![Badge::Subscriber]),
            ("di@example.com", vec![Badge::Lead]),
        ],
        "type gives lead/paying/subscriber; a user with the email in any case adds registered_user"
    );
    assert_eq!(fans[1].user_id.as_deref(), Some("u_bo1"), "the first user of an email is the one linked");

    let unified = ContactFilter { include_users: true, ..Default::default() };
    let rows = all_rows(&db, &unified).await;
    let emails: Vec<String> = rows.iter().map(|r| r.email.to_lowercase()).collect();
    assert_eq!(
        emails,
        ["ana@example.com", "bo@example.com", "cy@example.com", "di@example.com", "eve@example.com", "fay@example.com"],
        "one row per email: Bo's two accounts and Eve's two spellings are one row each"
    );
    let eve = &rows[4];
    assert!(!eve.fan && eve.id < 0, "a user without a fan record is marked and has a negative id");
    assert_eq!(eve.badges, [Badge::RegisteredUser]);
    assert_eq!(eve.user_id.as_deref(), Some("u_eve1"));
    assert!(eve.has_account && eve.tags.is_empty() && eve.kind.is_empty());
    assert_eq!(contacts::count_matching(&db, seed::STORE, &unified).await.unwrap(), 6);
}

#[tokio::test]
async fn has_account_and_other_filters_in_the_unified_view() {
    let (_dir, db) = small_world().await;
    let count = |f: ContactFilter| {
        let db = db.clone();
        async move {
            let rows = all_rows(&db, &f).await;
            let n = contacts::count_matching(&db, seed::STORE, &f).await.unwrap();
            assert_eq!(n, rows.len() as i64, "count and rows agree for {f:?}");
            rows.into_iter().map(|r| r.email.to_lowercase()).collect::<Vec<_>>()
        }
    };
    let with = ContactFilter { include_users: true, has_account: Some(true), ..Default::default() };
    assert_eq!(count(with).await, ["ana@example.com", "bo@example.com", "eve@example.com", "fay@example.com"]);
    let without = ContactFilter { include_users: true, has_account: Some(false), ..Default::default() };
    assert_eq!(count(without).await, ["cy@example.com", "di@example.com"], "users always have an account");
    let leads = ContactFilter { include_users: true, kind: vec!["lead".into()], ..Default::default() };
    assert_eq!(count(leads).await, ["ana@example.com", "di@example.com"], "a fan-only filter leaves users out");
    let search = ContactFilter { include_users: true, search: Some("ev".into()), ..Default::default() };
    assert_eq!(count(search).await, ["eve@example.com"], "users are searched by email and name");
    let search = ContactFilter { include_users: true, search: Some("again".into()), ..Default::default() };
    assert_eq!(count(search).await, Vec::<String>::new(), "only the first account of an email is shown and searched");
    let search = ContactFilter { include_users: true, search: Some("*".into()), ..Default::default() };
    assert_eq!(count(search).await, Vec::<String>::new());
}

fn key_cmp(field: SortField, a: &ContactRow, b: &ContactRow) -> Ordering {
    let nocase =
        |x: &str, y: &str| x.bytes().map(|c| c.to_ascii_lowercase()).cmp(y.bytes().map(|c| c.to_ascii_lowercase()));
    let by_value = match field {
        SortField::Email => a.email.to_lowercase().cmp(&b.email.to_lowercase()),
        SortField::Name => nocase(&a.name, &b.name),
        SortField::Score => a.score.cmp(&b.score),
        SortField::Type => a.kind.cmp(&b.kind),
        SortField::Daw => nocase(&a.daw, &b.daw),
        _ => unreachable!("not used here"),
    };
    by_value.then(a.id.cmp(&b.id))
}

#[tokio::test]
async fn paging_mixed_fans_and_users_is_exact_both_ways() {
    let (_dir, db, pk) = seed::db().await;
    for i in 0..60 {
        let kind = ["lead", "paying", "subscription"][i % 3];
        let name = ["Kim", "kim", "Lee", "Ng", ""][i % 5];
        seed::fan(
            &db,
            pk,
            Fan::new(&format!("fan{i:02}@example.com"))
                .name(name)
                .kind(kind)
                .score((i % 7) as i64)
                .daw(["", "Ableton", "bitwig"][i % 3]),
        )
        .await;
        if i % 4 == 0 {
            seed::user(&db, &format!("uf{i}"), &format!("FAN{i:02}@example.com"), name).await;
        }
    }
    for i in 0..25 {
        seed::user(&db, &format!("u{i}"), &format!("learner{i:02}@example.com"), ["Kim", "Zoe", ""][i % 3]).await;
    }
    let unified = ContactFilter { include_users: true, ..Default::default() };
    let total = contacts::count_matching(&db, seed::STORE, &unified).await.unwrap();
    assert_eq!(total, 85, "60 fans and 25 users without a fan record");
    for field in [SortField::Email, SortField::Name, SortField::Score, SortField::Type, SortField::Daw] {
        for desc in [false, true] {
            let sort = Sort { field, desc };
            let mut forward: Vec<ContactRow> = Vec::new();
            let mut after = None;
            loop {
                let req = PageRequest { sort, after, limit: 7, ..Default::default() };
                let page = contacts::page_matching(&db, seed::STORE, &unified, &req).await.unwrap();
                forward.extend(page.rows);
                after = page.next;
                if after.is_none() {
                    break;
                }
            }
            let ids: Vec<i64> = forward.iter().map(|r| r.id).collect();
            assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "{sort:?}: no row twice");
            assert_eq!(ids.len() as i64, total, "{sort:?}: no row missing");
            for w in forward.windows(2) {
                let ord = key_cmp(field, &w[0], &w[1]);
                let ok = if desc { ord == Ordering::Greater } else { ord == Ordering::Less };
                assert!(ok, "{sort:?}: {:?} must come before {:?}", (w[0].id, &w[0].email), (w[1].id, &w[1].email));
            }
            let mut backward = Vec::new();
            let mut req = PageRequest { sort, from_end: true, limit: 7, ..Default::default() };
            loop {
                let page = contacts::page_matching(&db, seed::STORE, &unified, &req).await.unwrap();
                backward.push(page.rows.iter().map(|r| r.id).collect::<Vec<_>>());
                match page.prev {
                    Some(p) => req = PageRequest { sort, before: Some(p), limit: 7, ..Default::default() },
                    None => break,
                }
            }
            let backward: Vec<i64> = backward.into_iter().rev().flatten().collect();
            assert_eq!(backward, ids, "{sort:?}: paging back gives the same sequence");
        }
    }
}

/// `users_only` (the users' half of the unified view, kept by triggers) always equals its
/// definition: per store, the distinct user emails that no fan of the store has.
#[tokio::test]
async fn users_without_a_fan_stay_exact_as_fans_users_and_stores_change() {
    let (_dir, db) = small_world().await;
    let pool = db.pool();
    let check = |step: &'static str| async move {
        let kept: Vec<(i64, String)> =
            sqlx::query_as("SELECT store_pk, email_norm FROM users_only ORDER BY 1, 2").fetch_all(pool).await.unwrap();
        let defined: Vec<(i64, String)> = sqlx::query_as(
            "SELECT s.pk, u.email_norm FROM stores s CROSS JOIN (SELECT DISTINCT email_norm FROM users) u
             WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.store_pk = s.pk AND c.email_norm = u.email_norm)
             ORDER BY 1, 2",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(kept, defined, "after {step}");
        assert!(!kept.is_empty(), "after {step}: some users have no fan record");
    };
    check("seeding").await;
    let run = |sql: &'static str| async move { sqlx::query(sql).execute(pool).await.unwrap() };
    run("UPDATE customers SET email_norm = 'fay@example.com', email = 'fay@example.com' WHERE email_norm = 'di@example.com'").await;
    check("a fan taking a user's email").await;
    run("UPDATE customers SET email_norm = 'dee@example.com', email = 'dee@example.com' WHERE email_norm = 'ana@example.com'").await;
    check("a fan leaving a user's email").await;
    run("DELETE FROM customers WHERE email_norm = 'bo@example.com'").await;
    check("deleting a fan who has an account").await;
    run("UPDATE users SET email_norm = 'cy@example.com', email = 'cy@example.com' WHERE id = 'u_fay'").await;
    check("a user changing email to a fan's").await;
    run("DELETE FROM users WHERE id = 'u_eve1'").await;
    check("deleting one of two users with the same email").await;
    run("DELETE FROM users WHERE id = 'u_eve2'").await;
    check("deleting the last user with that email").await;
    run("INSERT INTO users (id, clerk_id, email, email_norm, name, role, created_at, updated_at)
         VALUES ('u_gus', 'c_gus', 'gus@example.com', 'gus@example.com', 'Gus', 'SUBACCOUNT_USER', 1, 1)")
    .await;
    check("a new user").await;
    fanbase_core::stores::ensure(&db, "third", "Third", 1).await.unwrap();
    check("a new store").await;
    let other: i64 = sqlx::query_scalar("SELECT pk FROM stores WHERE id = 'other'").fetch_one(pool).await.unwrap();
    sqlx::query("DELETE FROM stores WHERE pk = ?").bind(other).execute(pool).await.unwrap();
    check("deleting a store with its fans").await;
}
