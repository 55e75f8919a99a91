//! Export then import gives the same contacts, fields, custom fields and tags; formula cells are
//! escaped in the file. Also a bulk-sized file (secondary indexes dropped and rebuilt), and a dry
//! run (derived-table triggers dropped and rolled back).

mod common;

use common::*;
use fanbase_core::contacts::Contact;
use fanbase_import::Options;

async fn all_contacts(db: &fanbase_core::Db, store: &str) -> Vec<Contact> {
    let emails: Vec<String> = sqlx::query_scalar(
        "SELECT c.email FROM customers c JOIN stores s ON s.pk = c.store_pk WHERE s.id = ? ORDER BY c.email_norm",
    )
    .bind(store)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut out = Vec::new();
    for e in emails {
        out.push(show_in(db, store, &e).await);
    }
    out
}

#[tokio::test]
async fn export_then_import_gives_the_same_contacts() {
    let e = env().await;
    for f in [
        "activecampaign.csv",
        "mailchimp_subscribed.csv",
        "mailchimp_unsubscribed.csv",
        "mautic.csv",
        "listmonk.csv",
        "kit.csv",
    ] {
        import_fixture(&e.db, f).await;
    }
    let tricky = e.dir.path().join("tricky.csv");
    std::fs::write(
        &tricky,
        "email,name,tags,Formula\nq@example.com,=HYPERLINK(\"x\"),\"\"\"rock, pop\"\", edm\",@SUM(A1)\n",
    )
    .unwrap();
    import(&e.db, &tricky, &Options::default()).await;

    let mut out = Vec::new();
    let n = fanbase_import::export(&e.db, "s1", &mut out).await.unwrap();
    assert_eq!(n as i64, count(&e.db).await);
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("email,name,first_name,last_name,type,source,"), "{}", &text[..80]);
    assert!(text.contains("'=HYPERLINK"), "formula cells are escaped");
    assert!(text.contains("'+15551234567"), "a phone starting with + is escaped");
    assert!(text.contains("'-3"), "a negative score is escaped");

    let path = e.dir.path().join("export.csv");
    std::fs::write(&path, &text).unwrap();
    fanbase_core::stores::add(&e.db, "s2", "Copy", 1).await.unwrap();
    let r = import_to(&e.db, "s2", &path, &Options::default()).await;
    assert_eq!(r.format, "fanbase", "the importer recognises its own export");
    assert_eq!((r.counts.inserted, r.counts.rejected), (n, 0), "{:?}", r.errors);

    let (a, b) = (all_contacts(&e.db, "s1").await, all_contacts(&e.db, "s2").await);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        let strip = |c: &Contact| Contact { id: 0, updated_at: 0, ..c.clone() };
        assert_eq!(strip(x), strip(y), "the round trip must not change {}", x.email);
    }
    let q = show_in(&e.db, "s2", "q@example.com").await;
    assert_eq!((q.name.as_str(), q.custom["Formula"].as_str()), ("=HYPERLINK(\"x\")", Some("@SUM(A1)")));
    assert_eq!(q.tags, ["edm", "rock, pop"], "a quoted tag keeps its comma");
}

#[tokio::test]
async fn a_bulk_sized_file_rebuilds_the_indexes() {
    let e = env().await;
    let indexes = |db: fanbase_core::Db| async move {
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('customers', 'customer_tags') ORDER BY name",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        names
    };
    let before = indexes(e.db.clone()).await;
    // 2,000 rows padded to 21 MB: the size alone makes the importer take the bulk path.
    let pad = "x".repeat(10_500);
    let mut text = String::from("email,name,padding,tags\n");
    for i in 0..2_000 {
        text.push_str(&format!("fan{i}@example.com,Fan {i},{pad},bulk\n"));
    }
    let path = e.dir.path().join("bulk.csv");
    std::fs::write(&path, text).unwrap();
    let r = import(&e.db, &path, &Options::default()).await;
    assert_eq!(r.counts.inserted, 2_000);
    assert_eq!(indexes(e.db.clone()).await, before, "every index is back after a bulk import");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(e.db.pool()).await.unwrap();
    assert_eq!(check, "ok");
    let by_name: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customers INDEXED BY customers_by_name WHERE store_pk = 1 AND name >= ''",
    )
    .fetch_one(e.db.pool())
    .await
    .unwrap();
    assert_eq!(by_name, 2_000, "the rebuilt index covers the new rows");
    let again = import(&e.db, &path, &Options { dry_run: true, ..Default::default() }).await;
    assert_eq!(again.counts.unchanged, 2_000);
    assert_eq!(indexes(e.db.clone()).await, before, "a dry run rolls the dropped indexes back");
}

#[tokio::test]
async fn a_dry_run_leaves_the_schema_and_the_derived_tables_as_they_were() {
    let e = env().await;
    let pool = e.db.pool();
    let schema = || async {
        let rows: Vec<(String, String, Option<String>)> =
            sqlx::query_as("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
                .fetch_all(pool)
                .await
                .unwrap();
        rows
    };
    let before = schema().await;
    sqlx::query(
        "INSERT INTO users (id, clerk_id, email, email_norm, name, role, created_at, updated_at)
         VALUES ('u1', 'c1', 'Fan1@Example.com', 'fan1@example.com', 'Fan One', 'SUBACCOUNT_USER', 1, 1)",
    )
    .execute(pool)
    .await
    .unwrap();
    let users_only = || async {
        let emails: Vec<String> =
            sqlx::query_scalar("SELECT email_norm FROM users_only WHERE store_pk = 1").fetch_all(pool).await.unwrap();
        emails
    };
    assert_eq!(users_only().await, ["fan1@example.com"]);
    let path = e.dir.path().join("dry.csv");
    std::fs::write(&path, "email,name\nfan1@example.com,Fan One\nfan2@example.com,Zed Two\n").unwrap();

    let dry = import(&e.db, &path, &Options { dry_run: true, ..Default::default() }).await;
    assert_eq!(dry.counts.inserted, 2, "a dry run reports what the import would do");
    assert_eq!(schema().await, before, "a dry run puts back every trigger it dropped");
    assert_eq!(count(&e.db).await, 0);

    let real = import(&e.db, &path, &Options::default()).await;
    assert_eq!(real.counts, dry.counts, "the real import does what the dry run said");
    let found: Vec<i64> =
        sqlx::query_scalar("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH 'zed*' AND store MATCH '0s1'")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(found.len(), 1, "after a dry run the search index still follows new contacts");
    assert!(users_only().await.is_empty(), "after a dry run, a user who became a fan leaves users_only");
}
