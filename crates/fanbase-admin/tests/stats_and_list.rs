//! Stats, the users table and the user drawer on a small data set written straight into a real
//! SQLite file, checked against figures computed by hand (see the table in `seed`).

use fanbase_admin::stats::{week_start, SIGNUP_WEEKS, WEEK_MS};
use fanbase_admin::{count, detail, list, stats, Role, UserQuery, UserSort, UserSortField};
use fanbase_core::Db;

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// Thursday 2025-10-09 12:00 UTC; its week starts Monday 2025-10-06 00:00 UTC.
const NOW: i64 = 1_760_011_200_000;
const W0: i64 = 1_759_708_800_000;

/// id, name, email, role, admin, Stripe account, created, last sign-in.
type SeedUser = (&'static str, &'static str, &'static str, &'static str, i64, &'static str, i64, Option<i64>);

/// Users (sign-up week index in the 26-week chart, 25 = the current week):
/// | id | email     | role  | admin | stripe | created           | last sign-in | fan of (type, events)                  |
/// | u1 | ada       | OWNER | yes   | yes    | NOW-2d  (wk 25)   | NOW-1h       | —                                      |
/// | u2 | cleo      | OWNER |       | yes    | W0-1ms  (wk 24)   | NOW-10d      | — (a purchase event without a fan row) |
/// | u3 | dan       | USER  |       |        | W0-25w  (wk 0)    | never        | s1 lead; s2 lead + open                |
/// | u4 | eve       | USER  |       |        | W0-25w-1 (before) | NOW-40d      | s1 paying (as EVE@X.CO)                |
/// | u5 | finn      | GUEST |       |        | W0-3w+5 (wk 22)   | NOW-3d       | s1 lead + purchase; s2 lead            |
/// | u6 | gus       | ADMIN |       | yes    | NOW-400d (before) | NOW-6d       | s2 subscription                        |
/// | u7 | hana      | USER  |       |        | W0-3w+100 (wk 22) | never        | s2 lead + enrollment                   |
/// Fans who are not users: zed (s1 paying), yan (s1 lead), ana (s2 lead).
async fn seed(db: &Db) {
    let users: [SeedUser; 7] = [
        ("u1", "Ada Admin", "ada@x.co", "AGENCY_OWNER", 1, "acct_1", NOW - 2 * DAY, Some(NOW - HOUR)),
        ("u2", "Cleo Creator", "cleo@x.co", "AGENCY_OWNER", 0, "acct_2", W0 - 1, Some(NOW - 10 * DAY)),
        ("u3", "Dan Drum", "dan@x.co", "SUBACCOUNT_USER", 0, "", W0 - 25 * WEEK_MS, None),
        ("u4", "Eve Echo", "eve@x.co", "SUBACCOUNT_USER", 0, "", W0 - 25 * WEEK_MS - 1, Some(NOW - 40 * DAY)),
        ("u5", "Finn Fader", "finn@x.co", "SUBACCOUNT_GUEST", 0, "", W0 - 3 * WEEK_MS + 5, Some(NOW - 3 * DAY)),
        ("u6", "Gus Gain", "gus@x.co", "AGENCY_ADMIN", 0, "acct_6", NOW - 400 * DAY, Some(NOW - 6 * DAY)),
        ("u7", "Hana Hook", "hana@x.co", "SUBACCOUNT_USER", 0, "", W0 - 3 * WEEK_MS + 100, None),
    ];
    for (id, name, email, role, admin, stripe, created, signed_in) in users {
        sqlx::query(
            "INSERT INTO users (id, clerk_id, email, email_norm, name, role, admin, stripe_connect_account_id,
                created_at, updated_at, last_sign_in_at) VALUES (?, ?, ?, lower(?), ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(format!("clerk_{id}"))
        .bind(email)
        .bind(email)
        .bind(name)
        .bind(role)
        .bind(admin)
        .bind(stripe)
        .bind(created)
        .bind(created)
        .bind(signed_in)
        .execute(db.pool())
        .await
        .unwrap();
    }
    for (pk, id, name) in [(1, "s1", "Beat Lab"), (2, "s2", "Academy")] {
        sqlx::query("INSERT INTO stores (pk, id, name, created_at) VALUES (?, ?, ?, 0)")
            .bind(pk)
            .bind(id)
            .bind(name)
            .execute(db.pool())
            .await
            .unwrap();
    }
    let fans: [(i64, i64, &str, &str, i64); 10] = [
        (1, 1, "dan@x.co", "lead", 0),
        (2, 1, "EVE@X.CO", "paying", 4_999),
        (3, 1, "finn@x.co", "lead", 0),
        (4, 1, "zed@x.co", "paying", 1_000),
        (5, 1, "yan@x.co", "lead", 0),
        (6, 2, "dan@x.co", "lead", 0),
        (7, 2, "gus@x.co", "subscription", 1_900),
        (8, 2, "hana@x.co", "lead", 0),
        (9, 2, "finn@x.co", "lead", 0),
        (10, 2, "ana@x.co", "lead", 0),
    ];
    for (id, store, email, kind, cents) in fans {
        sqlx::query(
            "INSERT INTO customers (id, store_pk, email, email_norm, type, total_spent_cents, created_at, updated_at)
             VALUES (?, ?, ?, lower(?), ?, ?, 0, 0)",
        )
        .bind(id)
        .bind(store)
        .bind(email)
        .bind(email)
        .bind(kind)
        .bind(cents)
        .execute(db.pool())
        .await
        .unwrap();
    }
    let events: [(i64, Option<i64>, &str, &str); 4] = [
        (2, Some(6), "dan@x.co", "open"),
        (1, Some(3), "finn@x.co", "purchase"),
        (2, Some(8), "hana@x.co", "enrollment"),
        (1, None, "cleo@x.co", "purchase"),
    ];
    for (store, customer, email, kind) in events {
        sqlx::query(
            "INSERT INTO engagement_events (store_pk, customer_id, email_norm, kind, at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(store)
        .bind(customer)
        .bind(email)
        .bind(kind)
        .bind(NOW - DAY)
        .execute(db.pool())
        .await
        .unwrap();
    }
}

async fn seeded() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("fans.db")).await.unwrap();
    seed(&db).await;
    (db, dir)
}

async fn ids(db: &Db, q: UserQuery) -> Vec<String> {
    list(db, &UserQuery { limit: 1000, ..q }, NOW).await.unwrap().rows.into_iter().map(|r| r.id).collect()
}

#[tokio::test]
async fn stats_match_the_hand_computed_figures() {
    let (db, _dir) = seeded().await;
    assert_eq!(week_start(NOW), W0, "the test's week arithmetic agrees with the crate's");
    let s = stats(&db, NOW).await.unwrap();
    assert_eq!(s.total_users, 7);
    assert_eq!(s.admins, 1, "only Ada has the admin flag (Gus has the AGENCY_ADMIN role, not the flag)");
    assert_eq!(s.creators, 3, "Ada, Cleo and Gus have a Stripe Connect account");
    assert_eq!(
        s.students, 4,
        "Eve (paying), Finn (purchase event), Gus (subscription), Hana (enrollment); not Dan (lead, open only) \
         nor Cleo (a purchase event but no fan record)"
    );
    assert_eq!(s.signups_per_week.len(), SIGNUP_WEEKS);
    assert_eq!(s.signups_per_week[0].week_start, W0 - 25 * WEEK_MS, "the chart starts 25 weeks before this one");
    assert_eq!(s.signups_per_week[25].week_start, W0, "and ends with the current week");
    let weekly: Vec<(usize, i64)> =
        s.signups_per_week.iter().enumerate().filter(|(_, w)| w.signups > 0).map(|(i, w)| (i, w.signups)).collect();
    assert_eq!(
        weekly,
        [(0, 1), (22, 2), (24, 1), (25, 1)],
        "Dan at the window's first ms, Finn and Hana three weeks ago, Cleo on last Sunday, Ada this week; \
         Eve (1 ms before the window) and Gus (400 days ago) are outside"
    );
    let conv: Vec<(&str, i64, i64)> = s.conversion.iter().map(|c| (c.store_name.as_str(), c.fans, c.users)).collect();
    assert_eq!(conv, [("Academy", 5, 4), ("Beat Lab", 5, 3)], "fans with an account per store, by store name");
    assert!((s.conversion[0].rate - 0.8).abs() < 1e-9 && (s.conversion[1].rate - 0.6).abs() < 1e-9);
}

#[tokio::test]
async fn the_users_table_searches_filters_and_sorts() {
    let (db, _dir) = seeded().await;
    assert_eq!(ids(&db, UserQuery { search: "fin".into(), ..Default::default() }).await, ["u5"], "prefix of a name");
    assert_eq!(ids(&db, UserQuery { search: "hana@x".into(), ..Default::default() }).await, ["u7"], "an email");
    assert!(ids(&db, UserQuery { search: "\"*".into(), ..Default::default() }).await.is_empty(), "punctuation is text");
    let role = UserQuery { role: Some(Role::SubaccountUser), ..Default::default() };
    assert_eq!(ids(&db, role.clone()).await, ["u3", "u4", "u7"], "users by name: Dan, Eve, Hana");
    assert_eq!(count(&db, &role, NOW).await.unwrap(), 3);
    assert_eq!(ids(&db, UserQuery { admin: Some(true), ..Default::default() }).await, ["u1"]);
    let stripe = UserQuery { stripe_connected: Some(true), ..Default::default() };
    assert_eq!(ids(&db, stripe).await, ["u1", "u2", "u6"]);
    let recent = UserQuery { signed_in_within_days: Some(7), ..Default::default() };
    assert_eq!(ids(&db, recent).await, ["u1", "u5", "u6"], "1 hour, 3 days, 6 days ago; never-signed-in excluded");
    let both = UserQuery { stripe_connected: Some(false), signed_in_within_days: Some(30), ..Default::default() };
    assert_eq!(ids(&db, both).await, ["u5"], "filters combine");

    // Keyset pages of 2 by number of stores as a fan, descending, ties by id descending.
    let sort = UserSort { field: UserSortField::FanStores, desc: true };
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page =
            list(&db, &UserQuery { sort, after: after.clone(), limit: 2, ..Default::default() }, NOW).await.unwrap();
        seen.extend(page.rows.iter().map(|r| (r.id.clone(), r.fan_stores)));
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    let expected: Vec<(String, i64)> = [("u5", 2), ("u3", 2), ("u7", 1), ("u6", 1), ("u4", 1), ("u2", 0), ("u1", 0)]
        .map(|(i, n)| (i.into(), n))
        .to_vec();
    assert_eq!(seen, expected, "every user once, in order, across pages");

    let by_sign_in =
        UserQuery { sort: UserSort { field: UserSortField::LastSignInAt, desc: true }, ..Default::default() };
    assert_eq!(ids(&db, by_sign_in).await, ["u1", "u5", "u6", "u2", "u4", "u7", "u3"], "never signed in sorts last");
    let by_role = UserQuery { sort: UserSort::parse("role").unwrap(), ..Default::default() };
    assert_eq!(ids(&db, by_role).await, ["u1", "u2", "u6", "u3", "u4", "u7", "u5"], "Owner, Admin, User, Guest");

    let first = list(&db, &UserQuery { limit: 1, ..Default::default() }, NOW).await.unwrap();
    let wrong = UserQuery { after: first.next, sort, limit: 1, ..Default::default() };
    assert_eq!(list(&db, &wrong, NOW).await.unwrap_err().code(), "INVALID_CURSOR", "a cursor is bound to its sort");
}

#[tokio::test]
async fn the_drawer_lists_every_store_where_the_user_is_a_fan() {
    let (db, _dir) = seeded().await;
    let finn = detail(&db, "u5").await.unwrap();
    assert_eq!(finn.user.email, "finn@x.co");
    assert_eq!(finn.user.fan_stores, 2);
    let stores: Vec<(&str, &str, i64, i64)> = finn
        .fan_of
        .iter()
        .map(|f| (f.store_name.as_str(), f.kind.as_str(), f.total_spent_cents, f.purchases))
        .collect();
    assert_eq!(stores, [("Academy", "lead", 0, 0), ("Beat Lab", "lead", 0, 1)], "by store name, with the purchase");
    let eve = detail(&db, "u4").await.unwrap();
    assert_eq!(eve.fan_of.len(), 1, "the fan EVE@X.CO is Eve: emails compare case-insensitively");
    assert_eq!((eve.fan_of[0].kind.as_str(), eve.fan_of[0].total_spent_cents), ("paying", 4_999), "type and spend");
    assert!(detail(&db, "u1").await.unwrap().fan_of.is_empty());
    assert_eq!(detail(&db, "nobody").await.unwrap_err().code(), "USER_NOT_FOUND");
}
