//! Issue 4 in the real window, on a seeded database: search as you type, sort by a header, a hostile
//! name shown as text, open a contact with the keyboard, tag it from the drawer and see the sidebar
//! count change, and bulk-tag everything a filter matches with the exact number confirmed.

use std::time::Duration;

use fanbase_core::contacts::{self, ContactFilter, Origin, PageRequest, Sort, SortField};
use fanbase_core::{demo, tags, Db};
use fanbase_e2e::{App, Sandbox};
use fantoccini::Locator;
use serde_json::{json, Map, Value};

const STORE: &str = "s1";
const HOSTILE_NAME: &str = "<img src=x onerror=alert(1)>";
const HOSTILE_EMAIL: &str = "hostile.name@example.org";
/// WebDriver's Enter key.
const ENTER: &str = "\u{E007}";
/// WebDriver's Escape key (clears the search box).
const ESCAPE: &str = "\u{E00C}";

/// 3,000 demo fans; one of them renamed (through the domain's edit function) to a hostile name.
async fn seed(sandbox: &Sandbox) -> (Db, i64) {
    let db = sandbox.db().await;
    demo::fill(&db, STORE, 3_000, 11, fanbase_core::now_ms()).await.unwrap();
    let first = contacts::page(&db, STORE, &PageRequest { limit: 1, ..Default::default() }).await.unwrap();
    let id = first.rows[0].id;
    let fields: Map<String, Value> =
        serde_json::from_value(json!({ "name": HOSTILE_NAME, "email": HOSTILE_EMAIL })).unwrap();
    contacts::set_fields(&db, STORE, id, &fields, Origin::Cli, fanbase_core::now_ms()).await.unwrap();
    (db, id)
}

/// Presses Enter on the table, which has the focus after a row click. The key event is dispatched
/// in the page: WebKitWebDriver's send-keys to a focusable non-input element does not deliver it.
async fn press_enter_on_table(app: &App) {
    let focused = app
        .js("const t = document.querySelector('[data-testid=contacts-scroll]');
             const had = document.activeElement === t;
             t.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
             return had;")
        .await;
    assert_eq!(focused, json!(true), "clicking a row puts the keyboard focus on the table");
}

#[tokio::test(flavor = "multi_thread")]
async fn searches_as_you_type_sorts_by_a_header_and_shows_a_hostile_name_as_text() {
    let sandbox = Sandbox::new();
    let (db, _) = seed(&sandbox).await;
    let by_score = PageRequest { limit: 1, sort: Sort { field: SortField::Score, desc: false }, ..Default::default() };
    let lowest = contacts::page(&db, STORE, &by_score).await.unwrap().rows[0].email.clone();
    let by_score_desc = PageRequest { sort: Sort { field: SortField::Score, desc: true }, ..by_score };
    let highest = contacts::page(&db, STORE, &by_score_desc).await.unwrap().rows[0].email.clone();
    let hostile_matches = contacts::count_matching(&db, STORE, &ContactFilter::search("hostil")).await.unwrap();
    assert_eq!(hostile_matches, 1, "the seed has exactly one fan whose email starts with 'hostile'");
    db.close().await;

    let app = App::launch(sandbox, &[]).await;
    app.find_with("[data-testid=fan-count]", "data-count", "3000").await;
    app.find_with("[data-testid=match-count]", "data-count", "3000").await;

    // Sort by a header: ascending on the first click, descending on the second.
    let header = "[data-testid=sort-header][data-sort=score]";
    app.find(header).await.click().await.unwrap();
    app.find_with("[role=columnheader][data-column=score]", "aria-sort", "ascending").await;
    app.find_with("[data-testid=contact-row][data-index='0']", "data-email", &lowest).await;
    // A new sort rebuilds the table: find the header again.
    app.find(header).await.click().await.unwrap();
    app.find_with("[role=columnheader][data-column=score]", "aria-sort", "descending").await;
    app.find_with("[data-testid=contact-row][data-index='0']", "data-email", &highest).await;

    // Search as you type: a prefix is enough, the exact count follows.
    let search = app.find("[data-testid=search]").await;
    search.send_keys("hostil").await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "1").await;
    let row = app.find_with("[data-testid=contact-row][data-index='0']", "data-email", HOSTILE_EMAIL).await;
    drop(row);
    let text =
        app.js("return document.querySelector('[data-testid=contact-row][data-index=\"0\"]').textContent;").await;
    let text = text.as_str().unwrap_or_default().to_string();
    assert!(text.contains(HOSTILE_NAME), "the hostile name must show literally in its row, got {text:?}");
    let images = app.js("return document.querySelectorAll('[data-testid=contact-row] img').length;").await;
    assert_eq!(images, json!(0), "imported text must never become an <img> element");

    // Hostile search strings are only text: no error, and nothing matches.
    search.send_keys(ESCAPE).await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "3000").await;
    search.send_keys("\"vip\" OR '; DROP TABLE customers; --").await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "0").await;
    app.find("[data-testid=no-matches]").await;
    assert!(app.client.find(Locator::Css("[data-testid=error-banner]")).await.is_err(), "a hostile search is no error");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn opens_a_contact_tags_it_and_bulk_tags_everything_a_filter_matches() {
    let sandbox = Sandbox::new();
    let (db, hostile_id) = seed(&sandbox).await;
    let contact = contacts::show(&db, STORE, HOSTILE_EMAIL).await.unwrap().expect("the seeded fan");
    let listed = tags::list(&db, STORE).await.unwrap();
    let tag = listed.iter().find(|t| !contact.tags.contains(&t.name)).expect("a tag the fan lacks").clone();
    let paying = ContactFilter { kind: vec!["paying".into()], ..Default::default() };
    let paying_count = contacts::count_matching(&db, STORE, &paying).await.unwrap();
    db.close().await;

    let app = App::launch(sandbox, &[]).await;
    app.find_with("[data-testid=match-count]", "data-count", "3000").await;
    app.find("[data-testid=tag-sidebar]").await;
    let item = format!("[data-testid=tag-item][data-tag='{}']", tag.name);
    app.find_with(&item, "data-count", &tag.count.to_string()).await;

    // Open the contact: click its row, then Enter.
    app.find("[data-testid=search]").await.send_keys("hostile").await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "1").await;
    let row = app.find_with("[data-testid=contact-row][data-index='0']", "data-email", HOSTILE_EMAIL).await;
    row.click().await.unwrap();
    press_enter_on_table(&app).await;
    let drawer = app.find_with("[data-testid=contact-drawer]", "data-email", HOSTILE_EMAIL).await;
    let name = app.find("[data-testid=drawer-name]").await.text().await.unwrap();
    assert_eq!(name, HOSTILE_NAME, "the drawer shows the hostile name as text");
    let images = app.js("return document.querySelectorAll('[data-testid=contact-drawer] img').length;").await;
    assert_eq!(images, json!(0));
    let shown = drawer.text().await.unwrap().to_lowercase();
    assert!(
        shown.contains("engagement") && shown.contains("spent"),
        "the drawer shows engagement and spent: {shown:?}"
    );

    // Add a tag from the drawer: the sidebar count goes up by one and the edit waits for sync.
    let input = app.find("[data-testid=drawer-tag-input]").await;
    input.send_keys(&tag.name).await.unwrap();
    input.send_keys(ENTER).await.unwrap();
    app.find_with(&item, "data-count", &(tag.count + 1).to_string()).await;
    app.find("[data-testid=pending-sync]").await;
    app.wait_js(
        &format!("return !!document.querySelector('[data-testid=drawer-tags] [data-tag=\"{}\"]');", tag.name),
        json!(true),
        "the new tag in the drawer",
    )
    .await;
    app.find("[data-testid=drawer-close]").await.click().await.unwrap();

    // Bulk: every paying fan (filter chip), with the exact number in the confirmation.
    app.find("[data-testid=search]").await.send_keys(ESCAPE).await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", "3000").await;
    app.find("[data-testid=filters-button]").await.click().await.unwrap();
    app.find("[data-testid=filter-type-paying]").await.click().await.unwrap();
    app.find_with("[data-testid=match-count]", "data-count", &paying_count.to_string()).await;
    app.find("[data-testid=bulk-tag]").await.click().await.unwrap();
    app.find("[data-testid=bulk-tag-input]").await.send_keys("e2e-paying").await.unwrap();
    let summary = app.find_with("[data-testid=bulk-summary]", "data-count", &paying_count.to_string()).await;
    let text = summary.text().await.unwrap();
    assert!(text.contains(&format_grouped(paying_count)), "the confirmation names the exact number: {text:?}");
    app.find("[data-testid=bulk-confirm]").await.click().await.unwrap();
    app.find_with("[data-testid=tag-item][data-tag='e2e-paying']", "data-count", &paying_count.to_string()).await;
    if let Some(path) = std::env::var_os("FANBASE_CONTACTS_SCREENSHOT") {
        // The finished view for the docs: a filtered list, a selection and a fan's drawer open.
        let row = app.find("[data-testid=contact-row][data-index='2']").await;
        row.click().await.unwrap();
        press_enter_on_table(&app).await;
        app.find("[data-testid=field-email]").await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        app.screenshot(std::path::Path::new(&path)).await;
    }
    // Every edit made in the window is in the outbox, once per contact. Read while the app runs:
    // quitting removes the sandbox with its database.
    let db = Db::open(&app.db_path).await.unwrap();
    let drawer_rows: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM outbox
         WHERE customer_id = ? AND origin = 'ui' AND ? IN (SELECT value FROM json_each(add_tags))",
    )
    .bind(hostile_id)
    .bind(&tag.name)
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(drawer_rows, 1, "the drawer's tag edit is recorded once for sync");
    let after = tags::list(&db, STORE).await.unwrap();
    let bulk = after.iter().find(|t| t.name == "e2e-paying").expect("the bulk tag exists");
    assert_eq!(bulk.count, paying_count, "the bulk tag is on every paying fan, however many");
    db.close().await;
    app.quit().await;
}

fn format_grouped(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
