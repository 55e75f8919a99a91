//! Search over a real database file: prefixes as you type, email, name and tags, accents, and
//! hostile strings that must only ever be text. Rows are written with plain SQL, so these tests
//! also show that the triggers keep the full-text index current for any writer.

mod seed;

use fanbase_core::contacts::{self, ContactFilter, PageRequest};
use fanbase_core::Db;

use seed::Fan;

async fn emails(db: &Db, filter: &ContactFilter) -> Vec<String> {
    let req = PageRequest { limit: 1000, ..Default::default() };
    let page = contacts::page_matching(db, seed::STORE, filter, &req).await.unwrap();
    let count = contacts::count_matching(db, seed::STORE, filter).await.unwrap();
    assert_eq!(count, page.rows.len() as i64, "the count and the rows must agree for {filter:?}");
    page.rows.into_iter().map(|r| r.email).collect()
}

async fn search(db: &Db, text: &str) -> Vec<String> {
    emails(db, &ContactFilter::search(text)).await
}

async fn people() -> (tempfile::TempDir, Db, i64) {
    let (dir, db, pk) = seed::db().await;
    seed::fan(&db, pk, Fan::new("jose.garcia@example.com").name("José García").tags(&["VIP", "sound-design"])).await;
    seed::fan(&db, pk, Fan::new("ana.mueller@example.com").name("Ana Müller").tags(&["beginner"])).await;
    seed::fan(&db, pk, Fan::new("orla@vipond.ie").name("Orla Vipond")).await;
    seed::fan(&db, pk, Fan::new("nf@example.com").name("Near Field")).await;
    seed::fan(&db, pk, Fan::new("rock@example.com").name("Dwayne \"The Rock\" Johnson").tags(&["vip"])).await;
    seed::fan(&db, pk, Fan::new("drop@example.com").name("Bobby Tables")).await;
    (dir, db, pk)
}

#[tokio::test]
async fn prefixes_match_as_you_type_with_or_without_accents() {
    let (_dir, db, _pk) = people().await;
    assert_eq!(search(&db, "j").await, ["jose.garcia@example.com", "rock@example.com"], "j: José and Johnson");
    for typed in ["jos", "jose", "José", "JOSÉ", "garc", "García"] {
        assert_eq!(search(&db, typed).await, ["jose.garcia@example.com"], "typing {typed:?} finds José");
    }
    assert_eq!(search(&db, "mull").await, ["ana.mueller@example.com"], "ü matches u");
    assert_eq!(search(&db, "ana.mu").await, ["ana.mueller@example.com"], "a piece of an email with its dot");
    assert_eq!(search(&db, "ana.mueller@example.com").await, ["ana.mueller@example.com"], "a whole email");
    assert_eq!(search(&db, "ana jose").await, Vec::<String>::new(), "every word must match the same fan");
    assert_eq!(search(&db, "  ").await.len(), 6, "a blank search shows everyone");
}

#[tokio::test]
async fn tags_are_searched_too() {
    let (_dir, db, _pk) = people().await;
    assert_eq!(search(&db, "sound").await, ["jose.garcia@example.com"], "a tag prefix finds its fans");
    assert_eq!(search(&db, "design").await, ["jose.garcia@example.com"], "each word of a tag is searchable");
    assert_eq!(
        search(&db, "vip").await,
        ["jose.garcia@example.com", "orla@vipond.ie", "rock@example.com"],
        "vip finds both tag spellings and the name Vipond"
    );
    assert_eq!(search(&db, "vip rock").await, ["rock@example.com"], "a tag word and a name word together");
    assert_eq!(search(&db, "begin ana").await, ["ana.mueller@example.com"]);
    assert_eq!(search(&db, "v").await, ["orla@vipond.ie"], "one letter searches emails and names, not tags");
}

#[tokio::test]
async fn hostile_strings_are_only_text() {
    let (_dir, db, _pk) = people().await;
    assert_eq!(search(&db, "'; DROP TABLE customers; --").await, Vec::<String>::new(), "no fan has these words");
    assert_eq!(contacts::count(&db, seed::STORE).await.unwrap(), 6, "and the table is still there");
    assert_eq!(
        search(&db, "\"vip\" OR").await,
        ["orla@vipond.ie"],
        "OR is a word to match (Orla), not an operator that would add every vip"
    );
    assert_eq!(search(&db, "*").await, Vec::<String>::new(), "a star is not a wildcard");
    assert_eq!(search(&db, "NEAR(").await, ["nf@example.com"], "NEAR( is the word near, not an FTS function");
    assert_eq!(search(&db, "\"the rock\"").await, ["rock@example.com"], "quotes inside a name are text");
    assert_eq!(search(&db, "rock\"").await, ["rock@example.com"], "an unbalanced quote is text");
    for hostile in
        ["col:jose", "jose -garcia", "(jose", "jose)", "^jose", "jo*se", "{email}: jose", "a AND", "NOT jose"]
    {
        contacts::count_matching(&db, seed::STORE, &ContactFilter::search(hostile))
            .await
            .unwrap_or_else(|e| panic!("{hostile:?} must be searched as text, not fail: {e}"));
    }
    let injected = ContactFilter { daw: vec!["'; DROP TABLE customers; --".into()], ..Default::default() };
    assert_eq!(emails(&db, &injected).await, Vec::<String>::new(), "filter values are bound, not spliced");
    let tag = ContactFilter { tag: vec!["x' OR 1=1 --".into()], ..Default::default() };
    assert_eq!(emails(&db, &tag).await, Vec::<String>::new());
    assert_eq!(contacts::count(&db, seed::STORE).await.unwrap(), 6);
}

#[tokio::test]
async fn the_store_token_in_the_index_is_never_a_match() {
    let (_dir, db, pk) = people().await;
    seed::fan(&db, pk, Fan::new("dj0s@example.com").name("DJ 0s")).await;
    let token = format!("0s{pk}");
    assert_eq!(search(&db, &token).await, Vec::<String>::new(), "the store's token is not a fan's text");
    assert_eq!(
        search(&db, "0s").await,
        ["dj0s@example.com"],
        "a word with a 0 still finds the emails and names that have it"
    );
    assert_eq!(search(&db, "0").await, ["dj0s@example.com"]);
    assert_eq!(search(&db, "0s dj").await, ["dj0s@example.com"]);
    assert_eq!(search(&db, "dj").await, ["dj0s@example.com"], "a word without a 0 needs no column names");
}

#[tokio::test]
async fn any_writer_keeps_the_index_current() {
    let (_dir, db, pk) = people().await;
    // An importer or sync rewriting a name with plain SQL.
    sqlx::query("UPDATE customers SET name = 'Far Meadow' WHERE email_norm = 'nf@example.com'")
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(search(&db, "field").await, Vec::<String>::new(), "the old name is gone from the index");
    assert_eq!(search(&db, "meadow").await, ["nf@example.com"], "the new name is found");
    // A change of another column must not disturb the index.
    sqlx::query("UPDATE customers SET score = 99, updated_at = 5").execute(db.pool()).await.unwrap();
    assert_eq!(search(&db, "meadow").await, ["nf@example.com"]);
    sqlx::query("DELETE FROM customers WHERE email_norm = 'drop@example.com'").execute(db.pool()).await.unwrap();
    assert_eq!(search(&db, "bobby").await, Vec::<String>::new(), "a deleted fan is not found");
    seed::fan(&db, pk, Fan::new("new.one@example.com").name("Nina Newcomer")).await;
    assert_eq!(search(&db, "nina").await, ["new.one@example.com"], "an inserted fan is found at once");
    sqlx::query("UPDATE tags SET name = 'platinum', name_norm = 'platinum' WHERE name_norm = 'beginner'")
        .execute(db.pool())
        .await
        .unwrap();
    assert_eq!(search(&db, "platin").await, ["ana.mueller@example.com"], "a renamed tag is searchable");
    assert_eq!(search(&db, "beginner").await, Vec::<String>::new());
    let fts_ok: Vec<(i64,)> = sqlx::query_as("SELECT 1 FROM contacts_fts WHERE contacts_fts MATCH 'meadow'")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert_eq!(fts_ok.len(), 1);
    sqlx::query("INSERT INTO contacts_fts (contacts_fts, rank) VALUES ('integrity-check', 1)")
        .execute(db.pool())
        .await
        .expect("the full-text index matches the customers table exactly");
}

#[tokio::test]
async fn search_combines_with_filters_and_stays_in_the_store() {
    let (_dir, db, pk) = people().await;
    let other = fanbase_core::stores::ensure(&db, "elsewhere", "Other", 1).await.unwrap();
    seed::fan(&db, other, Fan::new("jose.other@example.com").name("José Other")).await;
    assert_eq!(search(&db, "jose").await, ["jose.garcia@example.com"], "another store's José is not shown");
    seed::fan(&db, pk, Fan::new("jose.paying@example.com").name("José Pay").kind("paying")).await;
    let paying = ContactFilter { search: Some("jose".into()), kind: vec!["paying".into()], ..Default::default() };
    assert_eq!(emails(&db, &paying).await, ["jose.paying@example.com"]);
    let vip = ContactFilter { search: Some("jo".into()), tag: vec!["vip".into()], ..Default::default() };
    assert_eq!(emails(&db, &vip).await, ["jose.garcia@example.com", "rock@example.com"], "jo + tag vip (Johnson)");
}
