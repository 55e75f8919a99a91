//! Issue 6 in the real window against an in-process platform emulator: sign in through the sign-in
//! screen (a wrong token is refused with advice), the platform's fans arrive (window and DB file),
//! a tag edited while the platform is down stays local and pending, then "Sync now" sends it and
//! the emulator has it. A revoked token asks to sign in again and loses no pending edit. The token
//! never lands in the SQLite files. Needs a private Secret Service: run under scripts/with-keyring.sh.

use std::path::Path;
use std::time::{Duration, Instant};

use fanbase_core::Db;
use fanbase_e2e::App;
use fanbase_e2e::Sandbox;
use fanbase_emulator::{Emulator, Generate, Rule, Seed};
use fanbase_sync::{Credentials, Keychain, Token};
use serde_json::json;

const FANS: usize = 240;
const TAG: &str = "e2e-offline-tag";
/// WebDriver's Enter key.
const ENTER: &str = "\u{E007}";

/// An emulator with one store of `FANS` fans (its owner is the creator), on this test's runtime.
async fn platform() -> Emulator {
    let g = Generate {
        stores: 1,
        customers_per_store: FANS,
        users: 3,
        events_per_store: 20,
        ..Generate::at(1_760_000_000_000)
    };
    Emulator::start(Seed::generate(&g)).await.expect("the emulator starts on loopback")
}

/// The private test keychain (scripts/with-keyring.sh), emptied so no earlier sign-in leaks in.
fn keychain() -> Keychain {
    assert_eq!(
        std::env::var("FANBASE_TEST_KEYRING").as_deref(),
        Ok("1"),
        "the sync window tests need a private Secret Service: run them under scripts/with-keyring.sh (make e2e does)"
    );
    let keychain = Keychain::os().expect("the test keychain opens");
    keychain.delete().expect("the test keychain is emptied");
    keychain
}

/// No environment sign-in: the window must use the keychain.
const NO_ENV: &[(&str, &str)] = &[("FANBASE_DEPLOYMENT", ""), ("FANBASE_TOKEN", "")];

fn live_fans(emulator: &Emulator) -> Vec<fanbase_emulator::Customer> {
    emulator.state().customers(emulator.creator_store_id()).into_iter().filter(|c| c.deleted_at.is_none()).collect()
}

async fn scalar(db: &Db, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sql).bind(bind).fetch_one(db.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Waits until the emulator's copy of `email` carries `tag`.
async fn wait_platform_tag(emulator: &Emulator, email: &str, tag: &str, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        let fan =
            emulator.state().customer_by_email(emulator.creator_store_id(), email).expect("the fan on the platform");
        if fan.tags.iter().any(|t| t == tag) {
            return;
        }
        assert!(Instant::now() < deadline, "the platform never got tag {tag} on {email}: {:?}", fan.tags);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Opens `email`'s drawer through the search box and adds `tag` from it.
async fn tag_in_drawer(app: &App, email: &str, tag: &str) {
    app.find("[data-testid=search]").await.send_keys(email).await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "1").await;
    let row = app.find_with("[data-testid=contact-row][data-index='0']", "data-email", email).await;
    row.click().await.unwrap();
    app.js("document.querySelector('[data-testid=contacts-scroll]')
           .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));")
        .await;
    app.find_with("[data-testid=contact-drawer]", "data-email", email).await;
    let input = app.find("[data-testid=drawer-tag-input]").await;
    input.send_keys(tag).await.unwrap();
    input.send_keys(ENTER).await.unwrap();
    let shown = format!("return !!document.querySelector('[data-testid=drawer-tags] [data-tag=\"{tag}\"]');");
    app.wait_js_for(&shown, json!(true), "the new tag in the drawer", 20).await;
}

/// Fills the sign-in form and submits it.
async fn sign_in(app: &App, deployment: Option<&str>, token: &str) {
    if let Some(url) = deployment {
        let field = app.find("[data-testid=signin-deployment]").await;
        field.clear().await.unwrap();
        field.send_keys(url).await.unwrap();
    }
    let field = app.find("[data-testid=signin-token]").await;
    field.clear().await.unwrap();
    field.send_keys(token).await.unwrap();
    app.find("[data-testid=signin-submit]").await.click().await.unwrap();
}

/// The database file and its WAL never hold `secret`.
fn assert_not_in_db(db_path: &Path, secret: &str) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = format!("{}{suffix}", db_path.display());
        if let Ok(bytes) = std::fs::read(&path) {
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "the desktop token was written to {path}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_syncs_and_sends_a_tag_edited_offline() {
    let keychain = keychain();
    let emulator = platform().await;
    let token = emulator.creator_token().to_string();
    let fans = live_fans(&emulator);
    let fan = fans[7].email.clone();
    assert!(!fans[7].tags.iter().any(|t| t == TAG));

    let app = App::launch(Sandbox::new(), NO_ENV).await;
    app.find_with("[data-testid=sync-bar]", "data-state", "signed_out").await;
    app.find("[data-testid=sync-sign-in]").await.click().await.unwrap();

    // A URL where nothing listens is reported as unreachable; a wrong token is refused with
    // advice; nothing is kept for either.
    let nobody = format!(
        "http://127.0.0.1:{}",
        std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
    );
    sign_in(&app, Some(&nobody), &token).await;
    app.find_with("[data-testid=signin-error]", "data-code", "UNREACHABLE").await;
    let advice = app.find("[data-testid=signin-error]").await.text().await.unwrap();
    assert!(advice.contains(&nobody), "the advice names the URL it could not reach: {advice:?}");
    sign_in(&app, Some(emulator.url()), "not-the-token").await;
    app.find_with("[data-testid=signin-error]", "data-code", "SIGN_IN_REQUIRED").await;
    assert_eq!(keychain.load().unwrap(), None, "a refused sign-in keeps nothing in the keychain");

    // The right one: the dialog closes, the account shows, the store's fans arrive.
    sign_in(&app, None, &token).await;
    app.wait_js_for(
        "return !!document.querySelector('[data-testid=signin-dialog]');",
        json!(false),
        "the dialog closes",
        20,
    )
    .await;
    let who = emulator.state().user(emulator.creator_user_id()).expect("the creator").email;
    app.find_with("[data-testid=sync-account]", "data-email", &who).await;
    app.find_with("[data-testid=match-count]", "data-count", &fans.len().to_string()).await;
    app.find_with("[data-testid=sync-bar]", "data-state", "idle").await;
    let db = Db::open(&app.db_path).await.unwrap();
    let local = scalar(
        &db,
        "SELECT COUNT(*) FROM customers c JOIN stores s ON s.pk = c.store_pk WHERE s.id = ?",
        emulator.creator_store_id(),
    )
    .await;
    assert_eq!(local, fans.len() as i64, "every live fan of the platform store is in the database file");
    let kept = keychain.load().unwrap().expect("the sign-in is in the keychain");
    assert_eq!(kept, Credentials::new(emulator.url(), Token::new(token.clone())).unwrap());

    // The platform goes down: an edit still works locally and waits, and the bar says offline.
    emulator.faults().server_errors(Rule::always());
    tag_in_drawer(&app, &fan, TAG).await;
    app.find_with("[data-testid=sync-pending]", "data-count", "1").await;
    app.find_with("[data-testid=sync-bar]", "data-state", "offline").await;
    let pending = scalar(&db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND email = ?", &fan).await;
    assert_eq!(pending, 1, "the offline edit waits in the outbox");
    let fan_now = emulator.state().customer_by_email(emulator.creator_store_id(), &fan).unwrap();
    assert!(!fan_now.tags.iter().any(|t| t == TAG), "nothing reached the platform while it was down");

    // Back online: Sync now sends it.
    emulator.faults().clear();
    app.find("[data-testid=sync-now]").await.click().await.unwrap();
    wait_platform_tag(&emulator, &fan, TAG, 30).await;
    app.find_with("[data-testid=sync-pending]", "data-count", "0").await;
    app.find_with("[data-testid=sync-bar]", "data-state", "idle").await;

    db.close().await;
    assert_not_in_db(&app.db_path, &token);

    // Sign out (confirmed): the keychain forgets the sign-in, the fans stay.
    app.find("[data-testid=sync-sign-out]").await.click().await.unwrap();
    app.find("[data-testid=signout-confirm]").await.click().await.unwrap();
    app.find_with("[data-testid=sync-bar]", "data-state", "signed_out").await;
    assert_eq!(keychain.load().unwrap(), None, "sign-out removes the sign-in from the keychain");
    let db = Db::open(&app.db_path).await.unwrap();
    let kept = scalar(
        &db,
        "SELECT COUNT(*) FROM customers c JOIN stores s ON s.pk = c.store_pk WHERE s.id = ?",
        emulator.creator_store_id(),
    )
    .await;
    assert_eq!(kept, fans.len() as i64, "sign-out keeps the local fans");
    db.close().await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_token_asks_to_sign_in_again_and_keeps_the_pending_edit() {
    let keychain = keychain();
    let emulator = platform().await;
    let old = emulator.creator_token().to_string();
    keychain.save(&Credentials::new(emulator.url(), Token::new(old.clone())).unwrap()).unwrap();
    let fans = live_fans(&emulator);
    let fan = fans[3].email.clone();

    // Signed in from the keychain: the first sync runs on its own.
    let app = App::launch(Sandbox::new(), NO_ENV).await;
    app.find_with("[data-testid=match-count]", "data-count", &fans.len().to_string()).await;

    emulator.state().revoke_token(&old).unwrap();
    tag_in_drawer(&app, &fan, TAG).await;
    // The sync after the edit is refused: the window asks to sign in again and keeps the edit.
    let reason = app.find("[data-testid=signin-reason]").await.text().await.unwrap();
    assert!(reason.contains("1 change waiting"), "the prompt says the edit is kept: {reason:?}");
    app.find_with("[data-testid=sync-bar]", "data-state", "sign_in").await;
    let db = Db::open(&app.db_path).await.unwrap();
    let pending = scalar(&db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND email = ?", &fan).await;
    assert_eq!(pending, 1, "a refused sync loses no local edit");

    // Signing in with a new token (the URL is filled in) sends the edit.
    let new = emulator.token_for(emulator.creator_user_id());
    sign_in(&app, None, &new).await;
    wait_platform_tag(&emulator, &fan, TAG, 30).await;
    app.find_with("[data-testid=sync-pending]", "data-count", "0").await;
    assert_eq!(keychain.load().unwrap().map(|c| c.token), Some(Token::new(new.clone())), "the new token is kept");

    db.close().await;
    assert_not_in_db(&app.db_path, &old);
    assert_not_in_db(&app.db_path, &new);
    app.quit().await;
    keychain.delete().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_conflict_is_shown_field_by_field_and_keep_mine_sends_my_value() {
    let keychain = keychain();
    let emulator = platform().await;
    let token = emulator.creator_token().to_string();
    keychain.save(&Credentials::new(emulator.url(), Token::new(token.clone())).unwrap()).unwrap();
    let fan = live_fans(&emulator)[11].email.clone();
    const MINE: &str = "+1 555 0100";

    let app = App::launch(Sandbox::new(), NO_ENV).await;
    app.find_with("[data-testid=match-count]", "data-count", &FANS.to_string()).await;
    app.find_with("[data-testid=sync-bar]", "data-state", "idle").await;

    // A slow platform: "Sync now" shows Cancel, and cancelling stops the run at once.
    emulator.faults().delay_ms(5_000);
    app.find("[data-testid=sync-now]").await.click().await.unwrap();
    app.find("[data-testid=sync-cancel]").await.click().await.unwrap();
    app.find("[data-testid=sync-now]").await;
    app.find_with("[data-testid=sync-bar]", "data-state", "idle").await;
    let db = Db::open(&app.db_path).await.unwrap();
    let last: String = sqlx::query_scalar("SELECT error_code FROM sync_runs ORDER BY id DESC LIMIT 1")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(last, "CANCELLED", "the cancelled run is logged as cancelled");
    db.close().await;
    emulator.faults().delay_ms(0);

    // The website changes the same field just before my edit arrives: a conflict.
    emulator.faults().web_edits_on_push(Rule::times(1));
    app.find("[data-testid=search]").await.send_keys(&fan).await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "1").await;
    app.find_with("[data-testid=contact-row][data-index='0']", "data-email", &fan).await.click().await.unwrap();
    app.js("document.querySelector('[data-testid=contacts-scroll]')
           .dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));")
        .await;
    let phone = app.find("[data-testid=field-phone]").await;
    phone.clear().await.unwrap();
    phone.send_keys(MINE).await.unwrap();
    phone.send_keys(ENTER).await.unwrap();

    // The edit is sent after a moment and comes back as a conflict.
    app.find_with("[data-testid=sync-conflicts]", "data-count", "1").await.click().await.unwrap();
    app.find("[data-testid=conflicts-panel]").await;
    let theirs = emulator.state().customer_by_email(emulator.creator_store_id(), &fan).unwrap().phone;
    let theirs = theirs.expect("the website wrote a phone");
    assert_ne!(theirs, MINE);
    let row = "[data-testid=conflict] tr[data-field=phone]";
    let mine_shown = app.find(&format!("{row} [data-testid=conflict-mine]")).await.text().await.unwrap();
    let theirs_shown = app.find(&format!("{row} [data-testid=conflict-theirs]")).await.text().await.unwrap();
    assert_eq!((mine_shown.as_str(), theirs_shown.as_str()), (MINE, theirs.trim()), "mine and theirs, field by field");

    // Keep mine: it is sent again on top of the platform's version.
    app.find("[data-testid=conflict-keep-mine]").await.click().await.unwrap();
    app.find("[data-testid=conflicts-empty]").await;
    app.find("[data-testid=conflicts-close]").await.click().await.unwrap();
    app.find("[data-testid=sync-now]").await.click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = emulator.state().customer_by_email(emulator.creator_store_id(), &fan).unwrap().phone;
        if now.as_deref() == Some(MINE) {
            break;
        }
        assert!(Instant::now() < deadline, "keep mine never reached the platform: {now:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.find_with("[data-testid=sync-pending]", "data-count", "0").await;
    app.quit().await;
    keychain.delete().unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keychain_sign_in_says_so_and_names_the_environment_variables() {
    let emulator = platform().await;
    let token = emulator.creator_token().to_string();
    // The app's D-Bus session points nowhere: no Secret Service can be reached.
    let env =
        [("FANBASE_DEPLOYMENT", ""), ("FANBASE_TOKEN", ""), ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")];
    let app = App::launch(Sandbox::new(), &env).await;
    app.find("[data-testid=sync-sign-in]").await.click().await.unwrap();
    sign_in(&app, Some(emulator.url()), &token).await;
    let error = app.find_with("[data-testid=signin-error]", "data-code", "KEYCHAIN_UNAVAILABLE").await;
    let text = error.text().await.unwrap();
    assert!(text.contains("FANBASE_DEPLOYMENT") && text.contains("FANBASE_TOKEN"), "names the variables: {text:?}");
    assert!(!text.contains(&token), "the error never shows the token");
    let db_path = app.db_path.clone();
    assert_not_in_db(&db_path, &token);
    let files: Vec<String> = std::fs::read_dir(db_path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for file in walk(db_path.parent().unwrap()) {
        let bytes = std::fs::read(&file).unwrap_or_default();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "no file fallback: the token was written to {} (files: {files:?})",
            file.display()
        );
    }
    app.quit().await;
}

/// Every file under `dir` (the app's sandboxed data, config and cache folders included).
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
