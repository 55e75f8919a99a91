//! Issue 8 in the real window, against a real SMTP server started by this test on loopback:
//! compose from a template with merge tags, pick a segment and see the exact recipient and
//! left-out counts, preview as two fans (different names; the HTML in a sandboxed frame), see the
//! warnings and Send disabled while the postal address is missing, set SMTP up, send a test that
//! arrives with the fan's merge data, then send for real: every recipient gets exactly one message.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fanbase_campaign::testing::fixtures::{self, FanSpec};
use fanbase_campaign::testing::{ServerConfig, SmtpServer};
use fanbase_core::Db;
use fanbase_e2e::{App, Sandbox};
use fanbase_segments::Segment;
use serde_json::{json, Value};
use sqlx::Row as _;

const STORE: &str = "s1";
const STORE_NAME: &str = "Beat Academy";
const SEGMENT: &str = "VIPs";
const CAMPAIGN: &str = "Spring course";
const ANA: &str = "ana@fans.test";
const NONAME: &str = "noname@fans.test";

/// Four fans: Ana (VIP), Bo (not VIP), a VIP without any name, and an unsubscribed VIP.
async fn seed(sandbox: &Sandbox) -> Db {
    let db = sandbox.db().await;
    let pk = fixtures::store(&db, STORE, STORE_NAME).await;
    fixtures::add_fan(&db, pk, &FanSpec::new(ANA, "Ana Lopez").first_name("Ana").daw("Ableton").tags(&["vip"])).await;
    fixtures::add_fan(&db, pk, &FanSpec::new("bo@fans.test", "Bo Chen").first_name("Bo")).await;
    fixtures::add_fan(&db, pk, &FanSpec::new(NONAME, "").tags(&["vip"])).await;
    fixtures::add_fan(&db, pk, &FanSpec::new("una@fans.test", "Una Sub").status("unsubscribed").tags(&["vip"])).await;
    let vip = Segment::from_json_str(r#"{"field": "tags", "op": "has_any", "value": ["vip"]}"#).unwrap();
    fanbase_segments::saved::save(&db, STORE, SEGMENT, &vip, false, fanbase_core::now_ms()).await.unwrap();
    db
}

/// Sets a React-controlled input, textarea or select as typing or choosing would.
async fn set_value(app: &App, css: &str, value: &str) {
    app.find(css).await;
    let script = format!(
        "const el = document.querySelector({css});
         const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
           : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
         Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, {value});
         el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', {{ bubbles: true }}));
         return el.value;",
        css = Value::from(css),
        value = Value::from(value),
    );
    assert_eq!(app.js(&script).await, json!(value), "{css} takes the value");
}

async fn click(app: &App, css: &str) {
    app.find(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Clicks through the page: for buttons the bottom toast may overlap (WebDriver refuses those clicks).
async fn press(app: &App, css: &str) {
    app.find(css).await;
    let script = format!("document.querySelector({}).click(); return true;", Value::from(css));
    assert_eq!(app.js(&script).await, json!(true));
}

fn text_of(css: &str) -> String {
    format!("const el = document.querySelector({}); return el === null ? null : el.textContent;", Value::from(css))
}

/// Waits until `check` holds for the server's inbox.
async fn wait_inbox(server: &SmtpServer, what: &str, check: impl Fn(usize) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check(server.count()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}; {} messages arrived", server.count());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn saved_definition(db_path: &std::path::Path) -> (String, Value) {
    let db = Db::open(db_path).await.unwrap();
    let row = sqlx::query("SELECT state, definition FROM campaigns WHERE name = ?")
        .bind(CAMPAIGN)
        .fetch_one(db.pool())
        .await
        .expect("the campaign is saved in the database");
    let out = (row.get::<String, _>(0), serde_json::from_str(&row.get::<String, _>(1)).unwrap());
    db.close().await;
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn composes_previews_as_two_fans_tests_and_sends_over_smtp() {
    let server = SmtpServer::start(ServerConfig::default()).await;
    let sandbox = Sandbox::new();
    seed(&sandbox).await.close().await;
    let app = App::launch(sandbox, &[]).await;
    let db_path = app.db_path.clone();

    // Compose from the course launch template.
    click(&app, "[data-testid=nav-campaigns]").await;
    app.find("[data-testid=campaigns-empty]").await;
    click(&app, "[data-testid=campaign-new]").await;
    set_value(&app, "[data-testid=new-campaign-name]", "First draft").await;
    click(&app, "[data-testid=new-campaign-template-course_launch]").await;
    set_value(&app, "[data-testid=new-campaign-from-name]", "Beat Academy").await;
    app.find("[data-testid=new-campaign-from-email]").await.send_keys("news@academy.test").await.unwrap();
    click(&app, "[data-testid=new-campaign-create]").await;
    app.find_with("[data-testid=campaign-editor]", "data-name", "First draft").await;
    // Renaming in the editor renames the saved draft (autosaved, no copy left behind).
    set_value(&app, "[data-testid=campaign-name]", CAMPAIGN).await;
    app.find_with("[data-testid=campaign-item]", "data-name", CAMPAIGN).await;
    app.find_with("[data-testid=save-state]", "data-state", "saved").await;
    let db = Db::open(&db_path).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM campaigns").fetch_all(db.pool()).await.unwrap();
    assert_eq!(names, vec![CAMPAIGN.to_string()], "the draft was renamed, not copied");
    db.close().await;
    let (state, def) = saved_definition(&db_path).await;
    assert_eq!(
        (state.as_str(), def["template"].as_str()),
        ("draft", Some("course_launch")),
        "a draft from the template"
    );
    let subject = def["subject"].as_str().unwrap().to_string();
    assert!(subject.contains("{{ first_name"), "the template's subject has a merge tag: {subject}");

    // The whole list: 3 recipients, the unsubscribed fan left out. Then the VIP segment: 2.
    app.find_with("[data-testid=recipient-count]", "data-count", "3").await;
    app.find_with("[data-testid=left-out-count]", "data-count", "1").await;
    set_value(&app, "[data-testid=campaign-segment]", SEGMENT).await;
    app.find_with("[data-testid=recipient-count]", "data-count", "2").await;
    app.find_with("[data-testid=left-out-count]", "data-count", "1").await;
    let left_out = app.js(&text_of("[data-testid=left-out-count]")).await;
    assert_eq!(left_out, json!("1 left out: 1 unsubscribed"), "says why fans were left out");

    // Preview as two fans: Ana, then (next) the fan without a name, who gets the fallback.
    app.find_with("[data-testid=preview-as]", "data-email", ANA).await;
    app.wait_js(&text_of("[data-testid=preview-subject]"), json!("Ana, the new course is open"), "Ana's subject").await;
    let frame = app.find("[data-testid=preview-frame]").await;
    assert_eq!(frame.attr("sandbox").await.unwrap().as_deref(), Some(""), "no scripts, no same origin");
    assert!(frame.attr("srcdoc").await.unwrap().unwrap_or_default().contains("Hi Ana"), "the HTML is Ana's");
    app.client.enter_frame(Some(0)).await.expect("the sandboxed preview frame loads under the CSP");
    let body = app.js("return document.body ? document.body.innerText : '';").await;
    app.client.enter_parent_frame().await.unwrap();
    assert!(body.as_str().unwrap_or_default().contains("Hi Ana"), "the frame shows the rendered email: {body}");
    click(&app, "[data-testid=preview-next]").await;
    app.find_with("[data-testid=preview-as]", "data-email", NONAME).await;
    app.wait_js(&text_of("[data-testid=preview-subject]"), json!("there, the new course is open"), "fallback subject")
        .await;
    // Search by email brings Ana back; the mobile width is a narrower frame.
    set_value(&app, "[data-testid=preview-search]", ANA).await;
    click(&app, "[data-testid=preview-search-go]").await;
    app.find_with("[data-testid=preview-as]", "data-email", ANA).await;
    click(&app, "[data-testid=preview-mobile]").await;
    app.find_with("[data-testid=preview-frame]", "data-width", "mobile").await;
    let width =
        app.js("return document.querySelector('[data-testid=preview-frame]').getBoundingClientRect().width;").await;
    assert_eq!(width.as_f64().map(|w| w.round()), Some(375.0), "mobile preview width");
    let frame = app.find("[data-testid=preview-frame]").await;
    assert_eq!(frame.attr("sandbox").await.unwrap().as_deref(), Some(""), "still sandboxed at mobile width");

    // Warnings: the missing first name (with the fallback) and the missing postal address, which blocks Send.
    app.find_with("[data-testid=preview-warning][data-code=missing_merge_data]", "data-blocking", "false").await;
    let missing = app.js(&text_of("[data-testid=preview-warning][data-code=missing_merge_data]")).await;
    assert!(
        missing
            .as_str()
            .unwrap_or_default()
            .contains("1 recipient has no first name; the fallback 'there' will be used"),
        "names the count and the fallback: {missing}"
    );
    app.find_with("[data-testid=preview-warning][data-code=no_postal_address]", "data-blocking", "true").await;
    app.find_with("[data-testid=send-open]", "disabled", "true").await;
    let reason = app.js(&text_of("[data-testid=send-blocked-reason]")).await;
    assert!(reason.as_str().unwrap_or_default().to_lowercase().contains("address"), "says why: {reason}");

    // The address unblocks Send; the draft is autosaved with it and the segment.
    set_value(&app, "[data-testid=campaign-footerAddress]", "1 Studio Lane, Berlin").await;
    app.wait_js("return document.querySelector('[data-testid=send-open]').disabled;", json!(false), "Send enabled")
        .await;
    app.find_with("[data-testid=save-state]", "data-state", "saved").await;
    let (_, def) = saved_definition(&db_path).await;
    assert_eq!(def["footer_address"], "1 Studio Lane, Berlin", "autosaved: {def}");
    assert_eq!(def["segment_name"], SEGMENT, "autosaved: {def}");

    // SMTP settings to the test server (no login, so no keychain is involved).
    click(&app, "[data-testid=smtp-open]").await;
    set_value(&app, "[data-testid=smtp-host]", "127.0.0.1").await;
    set_value(&app, "[data-testid=smtp-port]", &server.port.to_string()).await;
    set_value(&app, "[data-testid=smtp-tls]", "none").await;
    set_value(&app, "[data-testid=smtp-unsubscribe-url]", "https://academy.test/unsubscribe?e={email}").await;
    click(&app, "[data-testid=smtp-save]").await;
    app.find("[data-testid=campaign-toast]").await;
    // The composed campaign with its preview, for the docs (FANBASE_CAMPAIGN_SCREENSHOT=path.png).
    if let Ok(path) = std::env::var("FANBASE_CAMPAIGN_SCREENSHOT") {
        click(&app, "[data-testid=preview-desktop]").await;
        app.find_with("[data-testid=preview-frame]", "data-width", "desktop").await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.screenshot(std::path::Path::new(&path)).await;
    }
    let db = Db::open(&db_path).await.unwrap();
    let port: i64 =
        sqlx::query_scalar("SELECT port FROM smtp_settings WHERE id = 1").fetch_one(db.pool()).await.unwrap();
    assert_eq!(port, i64::from(server.port), "the SMTP settings are saved");
    db.close().await;

    // A test, rendered as the previewed fan (Ana), arrives with her merge data.
    press(&app, "[data-testid=send-test]").await;
    set_value(&app, "[data-testid=send-test-to]", "me@studio.test").await;
    click(&app, "[data-testid=send-test-go]").await;
    wait_inbox(&server, "the test message", |n| n == 1).await;
    let received = server.received();
    assert_eq!(received[0].to, vec!["me@studio.test".to_string()], "the test goes to the given address only");
    let mail = fixtures::parse(&received[0].data);
    assert_eq!(mail.subject, "[Test] Ana, the new course is open", "the test carries Ana's merge data");
    assert!(mail.html.contains("Hi Ana") && mail.text.contains("Hi Ana"), "both parts are Ana's: {mail:?}");
    assert!(mail.list_unsubscribe.contains("https://academy.test/unsubscribe?e=ana%40fans.test"), "{mail:?}");
    let toast = app.js(&text_of("[data-testid=campaign-toast]")).await;
    assert!(toast.as_str().unwrap_or_default().contains("me@studio.test"), "the window confirms the test: {toast}");

    // Send for real: the confirmation states the exact count; each VIP gets exactly one message.
    press(&app, "[data-testid=send-open]").await;
    app.find_with("[data-testid=send-confirm-text]", "data-count", "2").await;
    let confirm = app.js(&text_of("[data-testid=send-confirm-text]")).await;
    assert_eq!(confirm, json!(format!("Send “{CAMPAIGN}” to exactly 2 fans?")), "the exact count is stated");
    click(&app, "[data-testid=send-confirm]").await;
    app.find_with("[data-testid=send-progress]", "data-phase", "done").await;
    app.find_with("[data-testid=send-progress]", "data-sent", "2").await;
    wait_inbox(&server, "the campaign", |n| n == 3).await;
    let mut per_fan: HashMap<String, Vec<String>> = HashMap::new();
    for m in server.received().iter().skip(1) {
        for to in &m.to {
            per_fan.entry(to.clone()).or_default().push(fixtures::parse(&m.data).subject);
        }
    }
    assert_eq!(per_fan.get(ANA), Some(&vec!["Ana, the new course is open".to_string()]), "Ana: one message");
    assert_eq!(per_fan.get(NONAME), Some(&vec!["there, the new course is open".to_string()]), "fallback: one message");
    assert_eq!(per_fan.len(), 2, "nobody outside the segment and nobody unsubscribed got it: {per_fan:?}");
    let (state, _) = saved_definition(&db_path).await;
    assert_eq!(state, "done", "the campaign is recorded as sent");
    click(&app, "[data-testid=send-close]").await;
    app.find_with("[data-testid=campaign-item]", "data-name", CAMPAIGN).await;
    app.quit().await;
}

/// Waits until the send dialog's progress has `attr` at least `min`.
async fn wait_progress_at_least(app: &App, attr: &str, min: i64) -> i64 {
    let script = format!("const p = document.querySelector('[data-testid=send-progress]'); return p === null ? -1 : Number(p.getAttribute('{attr}'));");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = app.js(&script).await.as_i64().unwrap_or(-1);
        if got >= min {
            return got;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {attr} >= {min}, last {got}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pauses_and_resumes_a_send_and_nobody_gets_it_twice() {
    const FANS: usize = 8;
    let server = SmtpServer::start(ServerConfig::default()).await;
    let sandbox = Sandbox::new();
    let db = sandbox.db().await;
    let pk = fixtures::store(&db, STORE, STORE_NAME).await;
    for i in 0..FANS {
        fixtures::add_fan(&db, pk, &FanSpec::new(&format!("fan{i}@fans.test"), &format!("Fan{i} Doe"))).await;
    }
    let campaign = fixtures::campaign(CAMPAIGN);
    fanbase_campaign::drafts::save(&db, STORE, &campaign, fanbase_core::now_ms()).await.unwrap();
    let account = fixtures::account(&server, fanbase_campaign::TlsMode::None, None);
    fanbase_campaign::smtp::settings::save(&db, &account.settings, fanbase_core::now_ms()).await.unwrap();
    db.close().await;
    let app = App::launch(sandbox, &[]).await;
    let db_path = app.db_path.clone();

    click(&app, "[data-testid=nav-campaigns]").await;
    app.find_with("[data-testid=campaign-editor]", "data-name", CAMPAIGN).await;
    app.find_with("[data-testid=recipient-count]", "data-count", &FANS.to_string()).await;
    app.wait_js("return document.querySelector('[data-testid=send-open]').disabled;", json!(false), "Send enabled")
        .await;
    press(&app, "[data-testid=send-open]").await;
    app.find_with("[data-testid=send-confirm-text]", "data-count", &FANS.to_string()).await;
    set_value(&app, "[data-testid=send-rate]", "2").await;
    click(&app, "[data-testid=send-confirm]").await;

    // Pause after the first message: the campaign is recorded paused and sending stops.
    wait_progress_at_least(&app, "data-sent", 1).await;
    click(&app, "[data-testid=send-pause]").await;
    app.find_with("[data-testid=send-progress]", "data-phase", "paused").await;
    let (state, _) = saved_definition(&db_path).await;
    assert_eq!(state, "paused", "the pause is recorded, so a restart keeps it paused");
    assert!(server.count() < FANS, "paused before the end ({} of {FANS} sent)", server.count());

    click(&app, "[data-testid=send-resume]").await;
    app.find_with("[data-testid=send-progress]", "data-phase", "done").await;
    app.find_with("[data-testid=send-progress]", "data-sent", &FANS.to_string()).await;
    let mut per_fan: HashMap<String, usize> = HashMap::new();
    for m in server.received() {
        for to in m.to {
            *per_fan.entry(to).or_default() += 1;
        }
    }
    assert_eq!(per_fan.len(), FANS, "every fan got the campaign: {per_fan:?}");
    assert!(per_fan.values().all(|n| *n == 1), "nobody got it twice across the pause: {per_fan:?}");
    let (state, _) = saved_definition(&db_path).await;
    assert_eq!(state, "done");
    app.quit().await;
}
