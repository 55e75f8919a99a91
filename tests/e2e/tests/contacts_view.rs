//! The foundation's end-to-end test: 20,000 demo fans, the exact count, the first rows, the end.

use fanbase_core::contacts::{self, PageRequest};
use fanbase_core::demo;
use fanbase_e2e::{App, Sandbox};

#[tokio::test(flavor = "multi_thread")]
async fn shows_the_exact_count_the_first_rows_and_scrolls_to_the_last_fan() {
    let sandbox = Sandbox::new();
    let db = sandbox.db().await;
    demo::fill(&db, "s1", 20_000, 7, fanbase_core::now_ms()).await.unwrap();
    let first = contacts::page(&db, "s1", &PageRequest { limit: 1, ..Default::default() }).await.unwrap();
    let last =
        contacts::page(&db, "s1", &PageRequest { limit: 1, from_end: true, ..Default::default() }).await.unwrap();
    db.close().await;
    let (first_email, last_email) = (first.rows[0].email.clone(), last.rows[0].email.clone());

    let app = App::launch(sandbox, &[]).await;
    let count = app.find_with("[data-testid=fan-count]", "data-count", "20000").await;
    assert!(count.text().await.unwrap().contains("20,000"), "the count is shown with grouping");

    app.find_with("[data-testid=contact-row][data-index='0']", "data-email", &first_email).await;

    app.js("document.querySelector('[data-testid=contacts-scroll]').scrollTop = 1e9; return true;").await;
    app.find_with("[data-testid=contact-row][data-index='19999']", "data-email", &last_email).await;

    if let Some(path) = std::env::var_os("FANBASE_SCREENSHOT") {
        app.js("document.querySelector('[data-testid=contacts-scroll]').scrollTop = 0; return true;").await;
        app.find_with("[data-testid=contact-row][data-index='0']", "data-email", &first_email).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        app.screenshot(std::path::Path::new(&path)).await;
    }
    app.quit().await;
}
