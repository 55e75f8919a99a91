//! The rules for contacts: existing contacts under each --on-existing mode, blank cells, suppression,
//! --tag, duplicates across batches, idempotence, dry runs, cancel, progress and saved reports; the
//! search entries of what an import creates or changes, and the connection it gives back.

mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use common::*;
use fanbase_import::{MapOverride, OnExisting, Options, Phase};

fn write(e: &Env, name: &str, text: &str) -> PathBuf {
    let path = e.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const BASE: &str = "email,first name,last name,phone,daw,score,status,tags\n\
                    ana@example.com,Ana,Silva,111,,10,unsubscribed,Old\n\
                    ben@example.com,Ben,,222,Bitwig,0,,\n";
const NEW: &str = "Email,First Name,Last Name,Phone,DAW,Score,Status,Tags\n\
                   ANA@example.com,Anna,,999,Ableton,20,active,\"new, OLD\"\n\
                   ben@example.com,,Berg,,,,,\n\
                   cy@example.com,Cy,,,,,,\n";

async fn with_base(mode: OnExisting) -> (Env, fanbase_import::Report) {
    let e = env().await;
    import(&e.db, &write(&e, "base.csv", BASE), &Options::default()).await;
    let r = import(&e.db, &write(&e, "new.csv", NEW), &Options { on_existing: mode, ..Default::default() }).await;
    (e, r)
}

#[tokio::test]
async fn fill_empty_only_fills_blank_fields() {
    let (e, r) = with_base(OnExisting::FillEmpty).await;
    assert_eq!((r.counts.inserted, r.counts.updated, r.counts.unchanged), (1, 2, 0), "{:?}", r.counts);
    let ana = show(&e.db, "ana@example.com").await;
    assert_eq!((ana.first_name.as_str(), ana.phone.as_str(), ana.score), ("Ana", "111", 10), "stored values stay");
    assert_eq!(ana.daw, "Ableton", "a blank field is filled");
    assert_eq!(ana.status, "unsubscribed", "an import never re-subscribes");
    assert_eq!(ana.tags, ["new", "Old"], "tags are unioned; the stored spelling of a tag is kept");
    let ben = show(&e.db, "ben@example.com").await;
    assert_eq!((ben.last_name.as_str(), ben.phone.as_str(), ben.daw.as_str()), ("Berg", "222", "Bitwig"));
    assert_eq!(ben.name, "Ben Berg", "a name made of first and last names follows them");
    assert_eq!(ana.name, "Ana Silva");
}

#[tokio::test]
async fn overwrite_replaces_with_non_blank_values_only() {
    let (e, r) = with_base(OnExisting::Overwrite).await;
    assert_eq!((r.counts.inserted, r.counts.updated), (1, 2));
    let ana = show(&e.db, "ana@example.com").await;
    assert_eq!((ana.first_name.as_str(), ana.phone.as_str(), ana.score), ("Anna", "999", 20));
    assert_eq!(ana.last_name, "Silva", "a blank cell never erases stored data");
    assert_eq!(ana.status, "unsubscribed", "not even overwrite re-subscribes");
    let ben = show(&e.db, "ben@example.com").await;
    assert_eq!((ben.phone.as_str(), ben.daw.as_str(), ben.last_name.as_str()), ("222", "Bitwig", "Berg"));
    assert_eq!(
        (ana.name.as_str(), ben.name.as_str()),
        ("Anna Silva", "Ben Berg"),
        "the name is made from the merged first and last names, never from the file's half alone"
    );
}

/// The outbox rows an import recorded: (email, set_fields, add_tags, origin), by email.
async fn outbox(e: &Env) -> Vec<(String, serde_json::Value, serde_json::Value, String)> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT email, set_fields, add_tags, origin FROM outbox ORDER BY email, id")
            .fetch_all(e.db.pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(email, set, add, origin)| {
            (email, serde_json::from_str(&set).unwrap(), serde_json::from_str(&add).unwrap(), origin)
        })
        .collect()
}

#[tokio::test]
async fn what_an_import_changes_on_existing_contacts_is_recorded_for_sync() {
    let (e, _) = with_base(OnExisting::Overwrite).await;
    let rows = outbox(&e).await;
    assert_eq!(rows.len(), 2, "one change per existing contact that changed; none for created ones: {rows:?}");
    let (email, set, add, origin) = &rows[0];
    assert_eq!((email.as_str(), origin.as_str()), ("ana@example.com", "import"));
    assert_eq!(
        set,
        &serde_json::json!({"name": "Anna Silva", "phone": "999", "daw": "Ableton", "score": 20}),
        "the platform's fields that changed, by their contract names (first name is local only; \
         the status stays unsubscribed)"
    );
    assert_eq!(add, &serde_json::json!(["new"]), "the tag the contact did not have, as the file spells it");
    let (email, set, add, _) = &rows[1];
    assert_eq!(email, "ben@example.com");
    assert_eq!((set, add), (&serde_json::json!({"name": "Ben Berg"}), &serde_json::json!([])), "{set}");

    // A suppression from the file goes up too, so that a later pull cannot undo it.
    let r = import(&e.db, &write(&e, "unsub.csv", "email,status\nben@example.com,unsubscribed\n"), &Options::default())
        .await;
    assert_eq!(r.counts.updated, 1);
    let rows = outbox(&e).await;
    assert_eq!(
        rows.last().map(|r| (r.0.as_str(), &r.1)),
        Some(("ben@example.com", &serde_json::json!({"status": "unsubscribed"})))
    );
    let again =
        import(&e.db, &write(&e, "unsub.csv", "email,status\nben@example.com,unsubscribed\n"), &Options::default())
            .await;
    assert_eq!(again.counts.unchanged, 1);
    assert_eq!(outbox(&e).await.len(), rows.len(), "an import that changes nothing records nothing");
}

#[tokio::test]
async fn skip_leaves_fields_alone_but_adds_tags() {
    let (e, r) = with_base(OnExisting::Skip).await;
    assert_eq!((r.counts.inserted, r.counts.updated, r.counts.unchanged), (1, 1, 1), "{:?}", r.counts);
    let ana = show(&e.db, "ana@example.com").await;
    assert_eq!((ana.first_name.as_str(), ana.daw.as_str()), ("Ana", ""));
    assert_eq!(ana.tags, ["new", "Old"], "tags are always unioned");
    assert_eq!(show(&e.db, "ben@example.com").await.last_name, "", "skip fills nothing");
}

#[tokio::test]
async fn a_suppression_in_the_file_is_kept_even_with_skip() {
    let e = env().await;
    import(&e.db, &write(&e, "a.csv", "email,name\nana@example.com,Ana\n"), &Options::default()).await;
    let opts = Options { on_existing: OnExisting::Skip, ..Default::default() };
    let r = import(&e.db, &write(&e, "b.csv", "email,status\nana@example.com,bounced\n"), &opts).await;
    assert_eq!(r.counts.updated, 1);
    assert_eq!(show(&e.db, "ana@example.com").await.status, "bounced");
}

#[tokio::test]
async fn a_second_identical_import_changes_nothing_and_says_so() {
    let e = env().await;
    let opts = Options { tags: vec!["AC import".into()], ..Default::default() };
    let first = import(&e.db, &fixture("activecampaign.csv"), &opts).await;
    let before = show(&e.db, "ana.silva@example.com").await;
    let later = Options { tags: vec!["ac IMPORT".into()], ..Default::default() };
    let again = fanbase_import::run(
        &e.db,
        "s1",
        &fixture("activecampaign.csv"),
        &later,
        |_| {},
        &AtomicBool::new(false),
        NOW + 1,
    )
    .await
    .unwrap();
    let c = again.counts;
    assert_eq!((c.inserted, c.updated, c.unchanged), (0, 0, 3), "{c:?}");
    assert_eq!((c.duplicates_in_file, c.rejected), (first.counts.duplicates_in_file, first.counts.rejected));
    let after = show(&e.db, "ana.silva@example.com").await;
    assert_eq!(after, before, "not even updated_at moves");
    assert!(after.tags.contains(&"AC import".to_string()), "--tag is on every contact: {:?}", after.tags);
}

#[tokio::test]
async fn tag_option_and_file_source() {
    let e = env().await;
    let path =
        write(&e, "s.csv", "email,source,type\na@example.com,Webinar,Paying\nb@example.com,,\nc@example.com,,vip\n");
    let opts = Options { tags: vec![" Spring 2025 ".into(), "spring 2025".into()], ..Default::default() };
    let r = import(&e.db, &path, &opts).await;
    assert_eq!((r.counts.inserted, r.counts.rejected), (2, 1));
    assert!(errors(&r)[0].2.contains("not a type"), "{:?}", r.errors);
    let a = show(&e.db, "a@example.com").await;
    assert_eq!((a.source.as_str(), a.kind.as_str()), ("Webinar", "paying"), "the file's source is kept");
    assert_eq!(a.tags, ["Spring 2025"]);
    assert_eq!(show(&e.db, "b@example.com").await.source, "csv_import", "source records the import");
}

/// Rows for a file big enough for several batches: email i appears at rows i and i + n.
fn two_halves(n: usize) -> String {
    let mut text = String::from("email,name,phone,tags\n");
    for i in 0..n {
        text.push_str(&format!("fan{i}@example.com,,{i},t{}\n", i % 3));
    }
    for i in 0..n {
        text.push_str(&format!("FAN{i}@example.com,Name {i},999,T{}\n", (i + 1) % 3));
    }
    text
}

#[tokio::test]
async fn duplicates_are_folded_across_batches() {
    let e = env().await;
    let n = 12_000;
    let r = import(&e.db, &write(&e, "big.csv", &two_halves(n)), &Options::default()).await;
    let c = r.counts;
    assert_eq!((c.rows_read, c.inserted, c.duplicates_in_file), (2 * n as u64, n as u64, n as u64), "{c:?}");
    let fan = show(&e.db, "fan7@example.com").await;
    assert_eq!((fan.name.as_str(), fan.phone.as_str()), ("Name 7", "7"), "first non-empty value of each field wins");
    assert_eq!(fan.tags, ["t1", "t2"], "tags unioned; T2 is the tag first spelled t2");

    // The same file over existing contacts: the look-up path instead of the empty-store path.
    let opts = Options { on_existing: OnExisting::Overwrite, ..Default::default() };
    let text = two_halves(n).replace(",,", ",New,");
    let r = import(&e.db, &write(&e, "big2.csv", &text), &opts).await;
    let c = r.counts;
    assert_eq!((c.updated, c.unchanged, c.duplicates_in_file), (n as u64, 0, n as u64), "{c:?}");
    let fan = show(&e.db, "fan7@example.com").await;
    assert_eq!(fan.name, "New", "overwrite takes the file's first non-empty value, not the later one");
    // The search entries of contacts that existed follow the name the import gave them.
    assert_eq!(searched(&e.db, "new").await, n as i64);
    assert_eq!(searched(&e.db, "name").await, 0);
    assert_search_index_is_exact(&e.db).await;
}

#[tokio::test]
async fn contacts_an_import_creates_are_found_by_search_as_they_end() {
    let e = env().await;
    let n = 12_000;
    import(&e.db, &write(&e, "big.csv", &two_halves(n)), &Options::default()).await;
    // Each contact was created without a name and named by a row in a later batch: its search
    // entry holds the name it ended with, once.
    assert_eq!(searched(&e.db, "name").await, n as i64);
    assert_eq!(searched(&e.db, "fan11999").await, 1);
    assert_search_index_is_exact(&e.db).await;
    let pending: i64 =
        sqlx::query_scalar("SELECT count(*) FROM contacts_fts_pending").fetch_one(e.db.pool()).await.unwrap();
    assert_eq!(pending, 0, "after the import, the triggers index every change again");

    // An edit after the import goes through the triggers.
    sqlx::query("UPDATE customers SET name = 'Zed' WHERE email_norm = 'fan11999@example.com'")
        .execute(e.db.pool())
        .await
        .unwrap();
    assert_eq!(searched(&e.db, "zed").await, 1);
    assert_eq!(searched(&e.db, "name").await, n as i64 - 1);
    assert_search_index_is_exact(&e.db).await;
}

async fn searched(db: &fanbase_core::Db, text: &str) -> i64 {
    let filter = fanbase_core::contacts::ContactFilter::search(text);
    fanbase_core::contacts::count_matching(db, "s1", &filter).await.unwrap()
}

/// FTS5's own check that the search index holds exactly the contacts' current emails and names.
async fn assert_search_index_is_exact(db: &fanbase_core::Db) {
    sqlx::query("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)")
        .execute(db.pool())
        .await
        .expect("the search index matches the contacts");
}

/// The settings of a connection that an import changes while it runs.
async fn connection_settings(db: &fanbase_core::Db) -> (i64, i64, i64) {
    let get =
        |pragma: &'static str| async move { sqlx::query_scalar::<_, i64>(pragma).fetch_one(db.pool()).await.unwrap() };
    (get("PRAGMA foreign_keys").await, get("PRAGMA temp_store").await, get("PRAGMA cache_size").await)
}

#[tokio::test]
async fn an_import_gives_its_connection_back_as_it_found_it() {
    // One connection, so the import runs on the very connection checked here.
    let db = fanbase_core::Db::open_in_memory().await.unwrap();
    fanbase_core::stores::add(&db, "s1", "Beat Academy", 1).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let before = connection_settings(&db).await;
    assert_eq!(before.0, 1, "foreign keys are enforced");
    // 40,000 rows in 1.4 MB: the bulk path, which also changes the cache and the temp store.
    let path = dir.path().join("big.csv");
    std::fs::write(&path, two_halves(20_000)).unwrap();
    let never = AtomicBool::new(false);
    let big = fanbase_import::run(&db, "s1", &path, &Options::default(), |_| {}, &never, NOW).await.unwrap();
    assert_eq!(big.counts.inserted, 20_000);
    assert_eq!(connection_settings(&db).await, before, "after an import");

    let cancelled = AtomicBool::new(true);
    let r = fanbase_import::run(&db, "s1", &path, &Options::default(), |_| {}, &cancelled, NOW).await;
    assert!(matches!(r, Err(fanbase_import::Error::Cancelled)), "{r:?}");
    assert_eq!(connection_settings(&db).await, before, "after a cancelled import");

    // Foreign keys are enforced again: deleting the store takes its contacts with it.
    sqlx::query("DELETE FROM stores").execute(db.pool()).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM customers").fetch_one(db.pool()).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_dry_run_reports_exactly_and_writes_nothing() {
    let e = env().await;
    import(&e.db, &write(&e, "base.csv", BASE), &Options::default()).await;
    let path = write(&e, "new.csv", NEW);
    let dry = import(&e.db, &path, &Options { dry_run: true, ..Default::default() }).await;
    assert_eq!((dry.id, dry.dry_run), (None, true));
    assert_eq!(count(&e.db).await, 2, "a dry run adds nobody");
    assert_eq!(show(&e.db, "ana@example.com").await.daw, "", "a dry run changes nobody");
    assert!(fanbase_import::reports(&e.db, "s1").await.unwrap().len() == 1, "a dry run saves no report");
    let real = import(&e.db, &path, &Options::default()).await;
    assert_eq!(dry.counts, real.counts, "the dry run predicted the real import");
    assert_eq!(dry.errors, real.errors);
}

#[tokio::test]
async fn cancelling_leaves_the_database_as_it_was() {
    let e = env().await;
    import(&e.db, &write(&e, "base.csv", BASE), &Options::default()).await;
    let path = write(&e, "big.csv", &two_halves(20_000));
    let cancel = AtomicBool::new(false);
    let mut calls = 0;
    let result = fanbase_import::run(
        &e.db,
        "s1",
        &path,
        &Options::default(),
        |_| {
            calls += 1;
            cancel.store(true, Ordering::Relaxed);
        },
        &cancel,
        NOW,
    )
    .await;
    assert!(matches!(result, Err(fanbase_import::Error::Cancelled)), "{result:?}");
    assert!(calls >= 1);
    assert_eq!(count(&e.db).await, 2, "nothing of a cancelled import stays");
    assert_eq!(fanbase_import::reports(&e.db, "s1").await.unwrap().len(), 1, "nor its report");
}

#[tokio::test]
async fn progress_is_reported_until_the_end() {
    let e = env().await;
    let path = write(&e, "big.csv", &two_halves(6_000));
    let size = std::fs::metadata(&path).unwrap().len();
    let mut seen = Vec::new();
    fanbase_import::run(&e.db, "s1", &path, &Options::default(), |p| seen.push(p), &AtomicBool::new(false), NOW)
        .await
        .unwrap();
    assert!(seen.len() >= 3, "a progress event per batch: {}", seen.len());
    assert!(seen.windows(2).all(|w| w[0].counts.rows_read <= w[1].counts.rows_read), "rows only grow");
    let last = seen.last().unwrap();
    assert_eq!(
        (last.phase, last.bytes_read, last.total_bytes, last.counts.rows_read),
        (Phase::Finishing, size, size, 12_000)
    );
}

#[tokio::test]
async fn rejected_rows_are_saved_as_csv_fixed_and_imported_again() {
    let e = env().await;
    let r = import_fixture(&e.db, "activecampaign.csv").await;
    let id = r.id.expect("a real import saves its report");
    let saved = fanbase_import::report(&e.db, id).await.unwrap();
    assert_eq!((saved.counts, saved.errors.clone()), (r.counts, r.errors.clone()), "the report is kept as it was");
    assert_eq!(fanbase_import::reports(&e.db, "s1").await.unwrap()[0].id, Some(id));

    let mut csv_bytes = Vec::new();
    assert_eq!(fanbase_import::write_rejected_csv(&e.db, id, &mut csv_bytes).await.unwrap(), 2);
    let text = String::from_utf8(csv_bytes).unwrap();
    let first_line = text.lines().next().unwrap();
    assert!(first_line.starts_with("fanbase_rejected_reason,Email,First Name"), "{first_line}");
    assert!(text.contains("line 6, Email: invalid email"), "{text}");
    let fixed = text.replace("not-an-email", "dan@example.com").replace("2024-13-45", "2024-12-24");
    let r = import(&e.db, &write(&e, "fixed.csv", &fixed), &Options::default()).await;
    assert_eq!((r.counts.inserted, r.counts.rejected), (2, 0), "{:?}", r.errors);
    let dan = show(&e.db, "dan@example.com").await;
    assert!(dan.custom.is_empty(), "the reason column is not imported: {:?}", dan.custom);
    assert_eq!(show(&e.db, "eve@example.com").await.created_at, ms("2024-12-24 00:00:00"));
}

#[tokio::test]
async fn mapping_overrides() {
    let e = env().await;
    let path = write(&e, "es.csv", "Correo,Nombre,Notas,email\nana@example.com,Ana,hola,other@example.com\n");
    let opts = Options {
        map: vec![
            MapOverride::parse("correo=email").unwrap(),
            MapOverride::parse("Nombre=first_name").unwrap(),
            MapOverride::parse("Notas=ignore").unwrap(),
        ],
        ..Default::default()
    };
    let r = import(&e.db, &path, &opts).await;
    assert_eq!(r.counts.inserted, 1);
    let ana = show(&e.db, "ana@example.com").await;
    assert_eq!(ana.first_name, "Ana");
    assert_eq!(serde_json::Value::Object(ana.custom), serde_json::json!({"email": "other@example.com"}));
    let preview = fanbase_import::inspect(&path, &opts.map).unwrap();
    let targets: Vec<&str> = preview.preamble.mapping.iter().map(|c| c.target.name()).collect();
    assert_eq!(targets, ["email", "first_name", "ignore", "custom"]);
}
