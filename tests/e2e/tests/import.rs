//! CSV import in the real window: a file enters the import flow, the dry-run summary gives the exact
//! outcome, the import runs, the report lists the rejected row, and the table shows the new count.
//!
//! A WebDriver session cannot drive the native file dialog nor a real OS drag, so the file enters
//! through the test-only path field (shown with `FANBASE_E2E=1`), or through the same Tauri
//! drag-drop event the OS drop emits; from there it is the one flow the drop and the dialog use.

use std::path::{Path, PathBuf};

use fanbase_core::contacts::{self, PageRequest};
use fanbase_core::demo;
use fanbase_e2e::{App, Sandbox};
use fantoccini::Locator;

const DEMO_FANS: u64 = 40;

/// An ActiveCampaign-style export: 6 rows, of which one has an invalid email (line 4), one repeats
/// an earlier email in another case (line 5), and one is a fan already in the store (line 6).
fn write_fixture(dir: &Path, existing_email: &str) -> PathBuf {
    let csv = format!(
        "Email,First Name,Last Name,Phone,Tags,Date Created,DAW,Type of Music,Student Level\r\n\
         new1@example.com,Ana,Lopez,+1 555 0100,\"beats, mixing\",2024-03-01 10:00:00,Ableton,House,Beginner\r\n\
         new2@example.com,Ben,Kim,,producer,2024-03-02,FL Studio,Trap,Intermediate\r\n\
         not-an-email,Cara,Diaz,,,2024-03-03,,,\r\n\
         NEW1@example.com,,,,vip,2024-03-04,,,\r\n\
         {existing_email},Existing,Fan,,imported,2024-03-05,Logic Pro,Jazz,Advanced\r\n\
         new3@example.com,Dee,Park,,,03/06/2024,,,\r\n"
    );
    let path = dir.join("activecampaign-export.csv");
    std::fs::write(&path, csv).expect("write the CSV fixture");
    path
}

/// A sandbox with `DEMO_FANS` demo fans in store `s1`, and the fixture next to its database.
async fn seeded() -> (Sandbox, PathBuf) {
    let sandbox = Sandbox::new();
    let db = sandbox.db().await;
    demo::fill(&db, "s1", DEMO_FANS, 11, fanbase_core::now_ms()).await.unwrap();
    let first = contacts::page(&db, "s1", &PageRequest { limit: 1, ..Default::default() }).await.unwrap();
    db.close().await;
    let csv = write_fixture(sandbox.dir.path(), &first.rows[0].email);
    (sandbox, csv)
}

async fn attr(app: &App, css: &str, name: &str) -> String {
    app.find(css).await.attr(name).await.unwrap().unwrap_or_default()
}

/// Waits for the dry run and checks its exact numbers.
async fn check_summary(app: &App) {
    app.find("[data-testid=import-dialog]").await;
    let summary = app.find_with("[data-testid=import-summary]", "data-state", "done").await;
    for (name, want) in [
        ("data-rows", "6"),
        ("data-inserted", "3"),
        ("data-updated", "1"),
        ("data-rejected", "1"),
        ("data-duplicates", "1"),
        ("data-unchanged", "0"),
    ] {
        assert_eq!(
            summary.attr(name).await.unwrap().as_deref(),
            Some(want),
            "dry-run {name}: 3 new fans, 1 existing, 1 invalid email, 1 repeat of new1"
        );
    }
    let text = summary.text().await.unwrap();
    assert!(text.contains("will add 3 · update 1 · reject 1"), "the summary reads as the issue asks: {text:?}");
    assert_eq!(attr(app, "[data-testid=import-facts]", "data-format").await, "activecampaign", "format detected");
    assert_eq!(attr(app, "[data-testid=import-facts]", "data-encoding").await, "utf-8", "encoding detected");
}

/// Imports, checks the report and the new count in the table, closes the dialog.
async fn import_and_check(app: &App) {
    app.find("[data-testid=import-start]").await.click().await.unwrap();
    let report = app.find("[data-testid=import-report]").await;
    assert_eq!(report.attr("data-inserted").await.unwrap().as_deref(), Some("3"), "three fans added");
    assert_eq!(report.attr("data-rejected").await.unwrap().as_deref(), Some("1"), "one row rejected");
    let reject = app.find("[data-testid=import-reject]").await;
    assert_eq!(reject.attr("data-line").await.unwrap().as_deref(), Some("4"), "the invalid email is on line 4");
    let reason = reject.text().await.unwrap();
    assert!(reason.contains("Email") && reason.contains("not-an-email"), "line, column and reason: {reason:?}");
    app.find("[data-testid=import-save-rejected]").await;

    let total = (DEMO_FANS + 3).to_string();
    app.find_with("[data-testid=fan-count]", "data-count", &total).await;
    app.find("[data-testid=import-close]").await.click().await.unwrap();
    assert!(app.client.find(Locator::Css("[data-testid=import-dialog]")).await.is_err(), "Done closes the dialog");
    app.find_with("[data-testid=fan-count]", "data-count", &total).await;
}

async fn check_database(db_path: &Path) {
    let db = fanbase_core::Db::open(db_path).await.unwrap();
    assert_eq!(contacts::count(&db, "s1").await.unwrap(), DEMO_FANS as i64 + 3, "the import was committed");
    let reports = fanbase_import::reports(&db, "s1").await.unwrap();
    assert_eq!(reports.len(), 1, "one saved import report (the dry runs are rolled back, never saved)");
    assert_eq!((reports[0].counts.inserted, reports[0].counts.rejected), (3, 1), "the saved report's counts");
    db.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn imports_a_csv_entered_by_path_with_summary_report_and_new_count() {
    let (sandbox, csv) = seeded().await;
    let app = App::launch(sandbox, &[("FANBASE_E2E", "1")]).await;
    app.find_with("[data-testid=fan-count]", "data-count", &DEMO_FANS.to_string()).await;
    app.find("[data-testid=import-button]").await;

    let input = app.find("[data-testid=import-path]").await;
    input.send_keys(&csv.display().to_string()).await.unwrap();
    app.find("[data-testid=import-path-open]").await.click().await.unwrap();
    check_summary(&app).await;

    if let Some(path) = std::env::var_os("FANBASE_IMPORT_SCREENSHOT") {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app.screenshot(Path::new(&path)).await;
    }
    import_and_check(&app).await;
    // Checked while the app runs: quitting deletes the sandbox.
    check_database(&app.db_path).await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_dropped_on_the_window_highlights_the_target_then_opens_the_import() {
    let (sandbox, csv) = seeded().await;
    let app = App::launch(sandbox, &[]).await;
    app.find_with("[data-testid=fan-count]", "data-count", &DEMO_FANS.to_string()).await;
    assert!(
        app.client.find(Locator::Css("[data-testid=import-path]")).await.is_err(),
        "the test-only path field is hidden without FANBASE_E2E=1"
    );

    // The events a real OS drag makes Tauri emit to the webview, with the same payloads.
    let path = serde_json::to_string(&csv.display().to_string()).unwrap();
    let emit = |event: &str, payload: String| {
        format!(
            "window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {{ event: '{event}', payload: {payload} }}); return true;"
        )
    };
    let at = "{ x: 300, y: 300 }";
    app.js(&emit("tauri://drag-enter", format!("{{ paths: [{path}], position: {at} }}"))).await;
    let overlay = app.find("[data-testid=drop-overlay]").await;
    assert_eq!(
        overlay.attr("data-importable").await.unwrap().as_deref(),
        Some("true"),
        "a CSV is highlighted as droppable"
    );
    app.js(&emit("tauri://drag-drop", format!("{{ paths: [{path}], position: {at} }}"))).await;
    check_summary(&app).await;
    assert!(
        app.client.find(Locator::Css("[data-testid=drop-overlay]")).await.is_err(),
        "the highlight ends with the drop"
    );
    import_and_check(&app).await;
    // Checked while the app runs: quitting deletes the sandbox.
    check_database(&app.db_path).await;
    app.quit().await;
}

/// A sheet whose email column has a name no synonym knows: the dialog asks which column it is.
#[tokio::test(flavor = "multi_thread")]
async fn a_sheet_without_a_recognised_email_column_asks_for_it_then_imports() {
    let (sandbox, _) = seeded().await;
    let sheet = sandbox.dir.path().join("alumnos.csv");
    std::fs::write(&sheet, "Nombre;Correo;Ciudad\nAna;ana@example.es;Madrid\nLuis;luis@example.es;Sevilla\n")
        .expect("write the sheet");
    let app = App::launch(sandbox, &[("FANBASE_E2E", "1")]).await;
    app.find_with("[data-testid=fan-count]", "data-count", &DEMO_FANS.to_string()).await;
    app.find("[data-testid=import-path]").await.send_keys(&sheet.display().to_string()).await.unwrap();
    app.find("[data-testid=import-path-open]").await.click().await.unwrap();

    let pick = app.find("[data-testid=import-email-column]").await;
    assert!(app.client.find(Locator::Css("[data-testid=import-error]")).await.is_err(), "a question, not a failure");
    pick.select_by_value("Correo").await.unwrap();
    let summary = app.find_with("[data-testid=import-summary]", "data-state", "done").await;
    assert_eq!(summary.attr("data-inserted").await.unwrap().as_deref(), Some("2"), "both rows will be added");
    app.find("[data-testid=import-start]").await.click().await.unwrap();
    app.find("[data-testid=import-report]").await;
    app.find_with("[data-testid=fan-count]", "data-count", &(DEMO_FANS + 2).to_string()).await;

    let db = fanbase_core::Db::open(&app.db_path).await.unwrap();
    let luis =
        contacts::show(&db, "s1", "luis@example.es").await.unwrap().expect("the fan is stored by the picked column");
    assert_eq!(luis.email, "luis@example.es");
    db.close().await;
    app.quit().await;
}
