//! Issue 5 in the real window, on a database seeded with demo fans: build a segment with a nested
//! group, see its live exact count (the same the domain computes on the DB file), change a value and
//! see the count follow, save it (and find it in the DB), open it and see the contacts table
//! filtered to exactly the segment's fans.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use fanbase_core::{demo, now_ms, Db};
use fanbase_e2e::{App, Sandbox};
use fanbase_segments::{saved, Segment};
use fantoccini::Locator;
use serde_json::{json, Value};

const STORE: &str = "s1";
const FANS: i64 = 3_000;
const NAME: &str = "Ableton VIPs";
/// WebDriver's End and Backspace keys.
const END: &str = "\u{E010}";
const BACKSPACE: &str = "\u{E003}";

/// The segment the test builds, with `score gte {min}` in the nested group.
fn segment_json(min: i64) -> Value {
    json!({"all": [
        {"field": "daw", "op": "eq", "value": "Ableton"},
        {"any": [
            {"field": "tags", "op": "has_any", "value": ["vip", "techno"]},
            {"field": "score", "op": "gte", "value": min}
        ]}
    ]})
}

/// The exact count of `json` in the store, computed by the domain on the app's DB file.
async fn domain_count(db: &Db, json: &Value) -> i64 {
    fanbase_segments::count(db, STORE, &Segment::from_json(json).unwrap(), now_ms()).await.unwrap()
}

/// Chooses `value` in the select `css` the way a change of the picker does (a `change` event).
async fn choose(app: &App, css: &str, value: &str) {
    let script = format!(
        "const s = document.querySelector({css});
         if (s === null) return 'missing';
         s.value = {value};
         s.dispatchEvent(new Event('change', {{ bubbles: true }}));
         return s.value;",
        css = json!(css),
        value = json!(value),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let got = app.js(&script).await;
        if got == json!(value) {
            return;
        }
        assert!(Instant::now() < deadline, "cannot choose {value:?} in {css}: {got}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(app: &App, css: &str, text: &str) {
    let input = app.find(css).await;
    input.click().await.unwrap();
    input.send_keys(text).await.unwrap();
}

const COND: &str = "[data-testid=segment-condition]";

#[tokio::test(flavor = "multi_thread")]
async fn builds_a_nested_segment_with_a_live_count_saves_it_and_opens_it_in_the_table() {
    let sandbox = Sandbox::new();
    let db = sandbox.db().await;
    demo::fill(&db, STORE, FANS as u64, 5, now_ms()).await.unwrap();
    let want_50 = domain_count(&db, &segment_json(50)).await;
    let want_80 = domain_count(&db, &segment_json(80)).await;
    assert!(want_50 > want_80 && want_80 > 0, "the values pick different, non-empty sets: {want_50}, {want_80}");
    db.close().await;

    let app = App::launch(sandbox, &[]).await;
    app.find_with("[data-testid=fan-count]", "data-count", &FANS.to_string()).await;
    app.find("[data-testid=nav-segments]").await.click().await.unwrap();

    // all[0]: daw is Ableton.
    app.find("[data-path=root] > .group-actions [data-testid=group-add-condition]").await.click().await.unwrap();
    choose(&app, &format!("{COND}[data-path='all[0]'] [data-testid=cond-field]"), "daw").await;
    type_into(&app, &format!("{COND}[data-path='all[0]'] [data-testid=cond-value]"), "Ableton").await;
    // all[1]: any of (tags has any of vip, techno) (score >= 50).
    app.find("[data-path=root] > .group-actions [data-testid=group-add-group]").await.click().await.unwrap();
    let inner = "[data-testid=segment-group][data-path='all[1]']";
    app.find_with(inner, "data-kind", "any").await;
    let first = format!("{COND}[data-path='all[1].any[0]']");
    choose(&app, &format!("{first} [data-testid=cond-field]"), "tags").await;
    choose(&app, &format!("{first} [data-testid=cond-op]"), "has_any").await;
    type_into(&app, &format!("{first} [data-testid=cond-value]"), "vip, techno").await;
    app.find(&format!("{inner} > .group-actions [data-testid=group-add-condition]")).await.click().await.unwrap();
    let second = format!("{COND}[data-path='all[1].any[1]']");
    choose(&app, &format!("{second} [data-testid=cond-field]"), "score").await;
    choose(&app, &format!("{second} [data-testid=cond-op]"), "gte").await;
    type_into(&app, &format!("{second} [data-testid=cond-value]"), "50").await;

    // The live count is the domain's count of the same JSON on the DB file.
    let count = app.find_with("[data-testid=segment-count]", "data-count", &want_50.to_string()).await;
    assert_eq!(count.attr("data-state").await.unwrap().as_deref(), Some("ready"));
    let shown_json = app.js("return document.querySelector('[data-testid=segment-json]').textContent").await;
    let shown_json: Value = serde_json::from_str(shown_json.as_str().unwrap()).unwrap();
    assert_eq!(shown_json, segment_json(50), "the JSON view shows the segment built");

    // A bad value names its node; fixing it counts again.
    let value = format!("{second} [data-testid=cond-value]");
    type_into(&app, &value, "x").await;
    let error = app.find_with("[data-testid=segment-count]", "data-state", "invalid").await;
    drop(error);
    let message = app.find("[data-testid=segment-error]").await.text().await.unwrap();
    assert!(message.starts_with("all[1].any[1].value:"), "the error names the bad node's path: {message}");
    app.find_with(&second, "class", "segment-condition has-error").await;
    // 50x -> 80: the count follows the edit.
    let input = app.find(&value).await;
    input.send_keys(&format!("{END}{BACKSPACE}{BACKSPACE}{BACKSPACE}80")).await.unwrap();
    app.find_with("[data-testid=segment-count]", "data-count", &want_80.to_string()).await;

    // Save it under a name: it is in the DB, and in the list with its count.
    type_into(&app, "[data-testid=segment-name]", NAME).await;
    app.find("[data-testid=segment-save]:not([disabled])").await.click().await.unwrap();
    let item = format!("[data-testid=saved-segment][data-name='{NAME}']");
    app.find_with(&item, "data-count", &want_80.to_string()).await;
    let db = Db::open(&app.db_path).await.unwrap();
    let stored = saved::find(&db, STORE, NAME).await.unwrap();
    assert!(!stored.builtin);
    assert_eq!(stored.segment.to_json(), segment_json(80), "the DB holds the segment as built");
    let members: HashSet<String> =
        fanbase_segments::emails(&db, STORE, &stored.segment, now_ms()).await.unwrap().into_iter().collect();
    assert_eq!(members.len() as i64, want_80);

    // Open it: the contacts table shows exactly the segment's fans, under a removable chip.
    app.find(&format!("{item} [data-testid=segment-open]")).await.click().await.unwrap();
    app.find_with("[data-testid=segment-chip]", "data-segment", NAME).await;
    app.find_with("[data-testid=match-count]", "data-count", &want_80.to_string()).await;
    let rows_script = "return [...document.querySelectorAll('[data-testid=contact-row]')].map(r => r.dataset.email)";
    let deadline = Instant::now() + Duration::from_secs(20);
    let rows: Vec<String> = loop {
        let rows: Vec<String> = serde_json::from_value(app.js(rows_script).await).unwrap();
        if rows.len() as i64 >= want_80.min(10) {
            break rows;
        }
        assert!(Instant::now() < deadline, "the table shows rows of the segment: {rows:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for email in &rows {
        assert!(members.contains(email), "{email} is shown but is not in the segment");
    }
    let mut sorted: Vec<&String> = members.iter().collect();
    sorted.sort_by_key(|e| e.to_lowercase());
    assert_eq!(&rows[0], sorted[0], "the table starts at the segment's first fan by email");

    // Removing the chip shows every fan again.
    app.client
        .find(Locator::Css(&format!("[aria-label='Remove segment filter {NAME}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.find_with("[data-testid=match-count]", "data-count", &FANS.to_string()).await;
    app.wait_js("return document.querySelector('[data-testid=segment-chip]') === null", json!(true), "the chip goes")
        .await;
    db.close().await;
    app.quit().await;
}

/// Lead scoring in the window: a condition rule made from the builder's segment is saved, and
/// "Recompute scores" applies it to every fan (the domain then finds nothing left to change).
#[tokio::test(flavor = "multi_thread")]
async fn a_scoring_rule_made_in_the_window_is_saved_and_recomputes_every_score() {
    let sandbox = Sandbox::new();
    let db = sandbox.db().await;
    demo::fill(&db, STORE, 800, 9, now_ms()).await.unwrap();
    db.close().await;

    let app = App::launch(sandbox, &[]).await;
    app.find_with("[data-testid=fan-count]", "data-count", "800").await;
    app.find("[data-testid=nav-segments]").await.click().await.unwrap();
    app.find("[data-path=root] > .group-actions [data-testid=group-add-condition]").await.click().await.unwrap();
    choose(&app, &format!("{COND}[data-path='all[0]'] [data-testid=cond-field]"), "daw").await;
    type_into(&app, &format!("{COND}[data-path='all[0]'] [data-testid=cond-value]"), "Ableton").await;
    app.find_with("[data-testid=segment-count]", "data-state", "ready").await;

    type_into(&app, "[data-testid=scoring-name]", "Ableton bonus").await;
    choose(&app, "[data-testid=scoring-trigger]", "condition").await;
    let points = app.find("[data-testid=scoring-points]").await;
    points.clear().await.unwrap();
    points.send_keys("25").await.unwrap();
    app.find("[data-testid=scoring-save]").await.click().await.unwrap();
    app.find_with("[data-testid=scoring-rule][data-name='Ableton bonus']", "data-points", "25").await;

    app.find("[data-testid=scoring-recompute]").await.click().await.unwrap();
    app.wait_js("return [...document.querySelectorAll('[role=status], .toast')].some(t => t.textContent.includes('Scores recomputed'))",
        json!(true),
        "the recompute's result",
    )
    .await;

    let db = Db::open(&app.db_path).await.unwrap();
    let rules = fanbase_segments::scoring::list_rules(&db, STORE).await.unwrap();
    let rule = rules.iter().find(|r| r.name == "Ableton bonus").expect("the rule is in the DB");
    assert_eq!(rule.points, 25);
    assert_eq!(
        rule.to_json()["condition"],
        json!({"all": [{"field": "daw", "op": "eq", "value": "Ableton"}]}),
        "the condition is the builder's segment"
    );
    let again = fanbase_segments::scoring::recompute(&db, STORE, now_ms()).await.unwrap();
    assert_eq!(again.changed, 0, "the window's recompute already applied the new rule to every fan");
    db.close().await;
    app.quit().await;
}
