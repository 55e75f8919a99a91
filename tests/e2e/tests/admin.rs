//! Issue 7 in the real window against the platform emulator on loopback. As an admin: the Admin tab
//! shows, the users are pulled, the stats and charts match the platform's data, filtering to
//! Stripe-connected users shows exactly those, a role change goes through the confirmation and lands
//! on the platform, removing your own admin flag is refused with the platform's message, and a bulk
//! change reports per user (partial failure included). As a non-admin: no Admin tab.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use fanbase_core::{now_ms, stores, Db};
use fanbase_e2e::{one_crypto_provider, App, Sandbox};
use fanbase_emulator::{Emulator, Generate, Role, Seed, User};
use fanbase_sync::pull::{pull, Target, MAX_PAGE};
use fanbase_sync::run::remember_stores;
use fanbase_sync::state::Feed;
use fanbase_sync::{no_progress, Client, Credentials, Token};
use fantoccini::Locator;
use serde_json::json;

/// WebDriver's Escape key.
const ESCAPE: &str = "\u{E00C}";
const DAY_MS: i64 = 86_400_000;
const WEEK_MS: i64 = 7 * DAY_MS;

/// A realistic platform: 300 users (some Stripe-connected), 4 stores of 400 fans, some of whom are users.
async fn platform() -> Emulator {
    one_crypto_provider();
    let g =
        Generate { stores: 4, customers_per_store: 400, users: 300, events_per_store: 400, ..Generate::at(now_ms()) };
    Emulator::start(Seed::generate(&g)).await.expect("the emulator starts on loopback")
}

/// The stores' fans and engagement in the local database (what a sync would bring), but not the
/// users: pulling those is the admin area's job, which the test checks.
async fn pull_fans(db: &Db, emulator: &Emulator) {
    let client = Client::new(&Credentials::new(emulator.url(), Token::new(emulator.admin_token())).unwrap()).unwrap();
    let who = client.whoami().await.unwrap();
    remember_stores(db, &who, now_ms()).await.unwrap();
    for s in &who.stores {
        let store_pk = stores::pk(db, &s.store_id).await.unwrap();
        for feed in [Feed::Customers, Feed::Engagement] {
            let target = Target { feed, store_id: Some(&s.store_id), store_pk };
            pull(db, &client, &target, MAX_PAGE, now_ms, &no_progress).await.unwrap();
        }
    }
}

/// Sets a React-controlled `<select>` and fires its change event (WebKitWebDriver cannot pick options).
async fn choose(app: &App, css: &str, value: &str) {
    app.find(css).await;
    let script = format!(
        "const s = document.querySelector({css:?});
         Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(s, {value:?});
         s.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return s.value;"
    );
    assert_eq!(app.js(&script).await, json!(value), "{css} takes the value {value}");
}

/// Waits until the emulator's user `id` satisfies `ok`.
async fn wait_platform(emulator: &Emulator, id: &str, ok: impl Fn(&User) -> bool, what: &str) -> User {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let user = emulator.state().user(id).expect("the user exists on the platform");
        if ok(&user) {
            return user;
        }
        assert!(Instant::now() < deadline, "timed out waiting for the platform: {what}; user is {user:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_search(app: &App, text: &str) {
    let search = app.find("[data-testid=users-search]").await;
    // Escape empties a search box the way a person does (React sees the input event).
    search.send_keys(ESCAPE).await.unwrap();
    if !text.is_empty() {
        search.send_keys(text).await.unwrap();
    }
}

/// Monday 00:00 UTC of the week holding `t` (the chart's weeks).
fn week_start(t: i64) -> i64 {
    (t - 4 * DAY_MS).div_euclid(WEEK_MS) * WEEK_MS + 4 * DAY_MS
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_pulls_users_filters_stripe_creators_and_changes_roles_on_the_platform() {
    let emulator = platform().await;
    let users = emulator.state().users();
    let stripe: Vec<&User> = users.iter().filter(|u| u.stripe_connect_account_id.is_some()).collect();
    assert!(stripe.len() > 10 && stripe.len() < users.len(), "the seed mixes creators and others");
    let fan_emails: HashSet<String> = emulator
        .state()
        .stores()
        .iter()
        .flat_map(|s| emulator.state().customers(&s.store.id))
        .map(|c| c.email.to_lowercase())
        .collect();
    // The user whose role the test changes: a Stripe creator (not an admin) who is also a fan.
    let target = stripe
        .iter()
        .find(|u| !u.admin && u.role != Role::SubaccountGuest && fan_emails.contains(&u.email.to_lowercase()))
        .expect("a Stripe-connected non-admin who is a fan")
        .to_owned()
        .clone();
    let first_week = week_start(now_ms()) - 25 * WEEK_MS;
    let recent_signups = users.iter().filter(|u| u.creation_time >= first_week).count();

    let sandbox = Sandbox::new();
    let db = sandbox.db().await;
    pull_fans(&db, &emulator).await;
    db.close().await;
    let app =
        App::launch(sandbox, &[("FANBASE_DEPLOYMENT", emulator.url()), ("FANBASE_TOKEN", emulator.admin_token())])
            .await;

    // The Admin tab shows for an admin; opening it pulls every user from the platform.
    app.find_with(".app", "data-admin-access", "admin").await;
    app.find("[data-testid=nav-admin]").await.click().await.unwrap();
    app.find_with("[data-testid=admin-pull]", "data-state", "done").await;
    app.find_with("[data-testid=users-count]", "data-count", &users.len().to_string()).await;

    // The stats come from the pulled data: totals, creators, and the sign-up chart's weeks.
    app.find_with("[data-testid=stat-total]", "data-value", &users.len().to_string()).await;
    app.find_with("[data-testid=stat-creators]", "data-value", &stripe.len().to_string()).await;
    let bars = app
        .js("return Array.from(document.querySelectorAll('[data-testid=signup-bar]')).map(b => Number(b.dataset.count));")
        .await;
    let bars: Vec<i64> = serde_json::from_value(bars).unwrap();
    assert_eq!(bars.len(), 26, "the sign-up chart has one bar per week over 26 weeks");
    assert_eq!(bars.iter().sum::<i64>() as usize, recent_signups, "the bars add up to the platform's recent sign-ups");
    let conversion = app.js("return document.querySelectorAll('[data-testid=conversion-bar]').length;").await;
    assert_eq!(conversion, json!(4), "one conversion bar per local store");

    if let Some(path) = std::env::var_os("FANBASE_SCREENSHOT_ADMIN") {
        // The README picture: every user, with the drawer of a user who is a fan of several stores.
        let opened = app
            .js("const r = Array.from(document.querySelectorAll('[data-testid=user-row]'))
                   .find(r => Number(r.dataset.fanStores) >= 2 && r.dataset.stripe === 'true')
                   || document.querySelector('[data-testid=user-row][data-index=\"2\"]');
                 r.click(); return r.dataset.id;")
            .await;
        let opened = opened.as_str().unwrap().to_string();
        app.find_with("[data-testid=user-drawer]", "data-id", &opened).await;
        app.find("[data-testid=fan-of], [data-testid=user-drawer] .drawer-quiet").await;
        app.wait_js(
            "return document.querySelector('[data-testid=user-drawer]').textContent.includes('Loading');",
            json!(false),
            "the drawer's detail",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(400)).await;
        app.screenshot(std::path::Path::new(&path)).await;
        app.find("[data-testid=user-drawer-close]").await.click().await.unwrap();
    }

    // Filter to Stripe-connected users: exactly the platform's creators.
    choose(&app, "[data-testid=filter-stripe]", "yes").await;
    app.find_with("[data-testid=users-count]", "data-count", &stripe.len().to_string()).await;
    let shown = app
        .js("return Array.from(document.querySelectorAll('[data-testid=user-row]')).every(r => r.dataset.stripe === 'true');")
        .await;
    assert_eq!(shown, json!(true), "every row shown is Stripe-connected");

    // Change one user's role through the drawer and the confirmation; the platform has it.
    type_search(&app, &target.email).await;
    app.find_with("[data-testid=users-count]", "data-count", "1").await;
    app.find_with("[data-testid=user-row][data-index='0']", "data-id", &target.id).await.click().await.unwrap();
    app.find_with("[data-testid=user-drawer]", "data-id", &target.id).await;
    app.find("[data-testid=fan-of]").await;
    choose(&app, "[data-testid=drawer-role-select]", "SUBACCOUNT_GUEST").await;
    app.find("[data-testid=drawer-role-apply]").await.click().await.unwrap();
    let effect = app.find("[data-testid=role-effect]").await.text().await.unwrap();
    assert!(
        effect.contains(&target.email) && effect.contains("becomes Guest"),
        "the confirmation states the effect: {effect:?}"
    );
    assert_eq!(emulator.state().user(&target.id).unwrap().role, target.role, "nothing changes before the confirmation");
    app.find("[data-testid=role-confirm]").await.click().await.unwrap();
    wait_platform(&emulator, &target.id, |u| u.role == Role::SubaccountGuest, "the target became a guest").await;
    app.find_with("[data-testid=drawer-role]", "data-role", "SUBACCOUNT_GUEST").await;
    app.find_with("[data-testid=user-row][data-index='0']", "data-role", "SUBACCOUNT_GUEST").await;
    app.find("[data-testid=user-drawer-close]").await.click().await.unwrap();

    // Removing your own admin flag: the platform refuses and its message is shown.
    let me = emulator.admin_user_id().to_string();
    let my_email = emulator.state().user(&me).unwrap().email;
    type_search(&app, &my_email).await;
    app.find_with("[data-testid=user-row][data-index='0']", "data-id", &me).await.click().await.unwrap();
    app.find_with("[data-testid=user-drawer]", "data-id", &me).await;
    app.find("[data-testid=drawer-admin-toggle]").await.click().await.unwrap();
    let effect = app.find("[data-testid=role-effect]").await.text().await.unwrap();
    assert!(effect.contains("loses the admin flag"), "the confirmation states the effect: {effect:?}");
    app.find("[data-testid=role-confirm]").await.click().await.unwrap();
    let refusal = app.find("[data-testid=role-error]").await;
    let message = refusal.text().await.unwrap();
    assert!(message.contains("you cannot remove your own admin flag"), "the platform's message is shown: {message:?}");
    assert_eq!(refusal.attr("data-code").await.unwrap().as_deref(), Some("CONFLICT"));
    assert!(emulator.state().user(&me).unwrap().admin, "the admin keeps the flag");
    app.find("[data-testid=role-close]").await.click().await.unwrap();
    app.find("[data-testid=user-drawer-close]").await.click().await.unwrap();

    // Bulk: yourself and two creators become Users without the admin flag; yours is refused.
    type_search(&app, "").await;
    app.find_with("[data-testid=users-count]", "data-count", &stripe.len().to_string()).await;
    app.find("[data-testid=users-sort][data-sort=admin]").await.click().await.unwrap();
    app.find("[data-testid=users-sort][data-sort=admin]").await.click().await.unwrap();
    app.find_with("[data-testid=user-row][data-index='0']", "data-id", &me).await;
    let picked = app
        .js(&format!(
            "const rows = Array.from(document.querySelectorAll('[data-testid=user-row]'));
             const others = rows.filter(r => r.dataset.admin === 'false' && r.dataset.id !== {target:?}
                                             && r.dataset.role !== 'SUBACCOUNT_USER').slice(0, 2);
             const picked = [rows[0], ...others];
             picked.forEach(r => r.querySelector('[data-testid=user-select]').click());
             return picked.map(r => r.dataset.id);",
            target = target.id
        ))
        .await;
    let picked: Vec<String> = serde_json::from_value(picked).unwrap();
    assert_eq!(picked.len(), 3, "yourself and two others are selected");
    assert_eq!(picked[0], me);
    app.find("[data-testid=users-selected]").await;
    app.find("[data-testid=bulk-role-open]").await.click().await.unwrap();
    choose(&app, "[data-testid=bulk-role]", "SUBACCOUNT_USER").await;
    choose(&app, "[data-testid=bulk-admin]", "false").await;
    app.wait_js(
        "return document.querySelectorAll('[data-testid=role-effect]').length;",
        json!(3),
        "one effect per user",
    )
    .await;
    app.find("[data-testid=role-confirm]").await.click().await.unwrap();
    app.find("[data-testid=role-results]").await;
    for id in &picked {
        let want = if *id == me { "refused" } else { "applied" };
        app.find_with(&format!("[data-testid=role-result][data-id='{id}']"), "data-status", want).await;
    }
    let summary = app.find("[data-testid=role-results-summary]").await.text().await.unwrap();
    assert!(
        summary.contains("2 applied") && summary.contains("1 refused"),
        "the summary counts per outcome: {summary:?}"
    );
    for id in &picked[1..] {
        wait_platform(&emulator, id, |u| u.role == Role::SubaccountUser && !u.admin, "the bulk change landed").await;
    }
    let mine = emulator.state().user(&me).unwrap();
    assert!(mine.admin && mine.role == Role::AgencyOwner, "the refused change left the admin untouched: {mine:?}");
    app.find("[data-testid=role-results-close]").await.click().await.unwrap();
    for id in &picked[1..] {
        app.find_with(&format!("[data-testid=user-row][data-id='{id}']"), "data-role", "SUBACCOUNT_USER").await;
    }
    assert!(app.client.find(Locator::Css("[data-testid=error-banner]")).await.is_err(), "no error along the way");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_creator_who_is_not_an_admin_gets_no_admin_tab() {
    let emulator = platform().await;
    let app = App::launch(
        Sandbox::new(),
        &[("FANBASE_DEPLOYMENT", emulator.url()), ("FANBASE_TOKEN", emulator.creator_token())],
    )
    .await;
    app.find_with(".app", "data-admin-access", "none").await;
    app.find("[data-testid=nav-contacts]").await;
    assert!(app.client.find(Locator::Css("[data-testid=nav-admin]")).await.is_err(), "no Admin tab for a non-admin");
    assert!(app.client.find(Locator::Css("[data-testid=admin-area]")).await.is_err());
    app.quit().await;
}
