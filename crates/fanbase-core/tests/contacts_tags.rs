//! Tags over a real database file: exact counts, adding and removing on chosen contacts or on
//! everything a filter matches, rename, merge, and delete with an undo that restores exactly.

mod seed;

use std::collections::BTreeSet;

use fanbase_core::contacts::{self, ContactFilter, Origin};
use fanbase_core::tags::{self, TagCount, Target};
use fanbase_core::{demo, Db};

use seed::Fan;

async fn members(db: &Db, tag: &str) -> BTreeSet<String> {
    sqlx::query_scalar(
        "SELECT c.email_norm FROM customers c JOIN customer_tags ct ON ct.customer_id = c.id
         JOIN tags t ON t.id = ct.tag_id WHERE t.name_norm = lower(?)",
    )
    .bind(tag)
    .fetch_all(db.pool())
    .await
    .unwrap()
    .into_iter()
    .collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

async fn four() -> (tempfile::TempDir, Db, i64) {
    let (dir, db, pk) = seed::db().await;
    seed::fan(&db, pk, Fan::new("a@x.io").tags(&["vip", "edm"])).await;
    seed::fan(&db, pk, Fan::new("b@x.io").tags(&["vip"])).await;
    seed::fan(&db, pk, Fan::new("c@x.io").tags(&["edm", "House"])).await;
    seed::fan(&db, pk, Fan::new("d@x.io")).await;
    (dir, db, pk)
}

fn tc(name: &str, count: i64) -> TagCount {
    TagCount { name: name.into(), count }
}

#[tokio::test]
async fn list_counts_exactly_and_add_remove_on_chosen_contacts() {
    let (_dir, db, _pk) = four().await;
    let list = tags::list(&db, seed::STORE).await.unwrap();
    assert_eq!(list, [tc("edm", 2), tc("House", 1), tc("vip", 2)], "by name, case-insensitively, exact counts");

    let emails = Target::Emails(vec!["D@X.IO".into(), "b@x.io".into(), "ghost@x.io".into()]);
    let added = tags::add(&db, seed::STORE, "VIP", &emails, Origin::Ui, 10).await.unwrap();
    assert_eq!(added.tag, "vip", "an existing tag keeps its spelling");
    assert_eq!(added.changed, 1, "only d lacked the tag (b had it)");
    assert_eq!(added.not_found, ["ghost@x.io"], "unknown emails are reported, not invented");
    assert_eq!(members(&db, "vip").await, set(&["a@x.io", "b@x.io", "d@x.io"]));
    let again = tags::add(&db, seed::STORE, "vip", &emails, Origin::Ui, 11).await.unwrap();
    assert_eq!(again.changed, 0, "adding a tag twice changes nothing");

    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM customers WHERE email_norm IN ('a@x.io', 'c@x.io')")
        .fetch_all(db.pool())
        .await
        .unwrap();
    let removed = tags::remove(&db, seed::STORE, "EDM", &Target::Ids([ids.clone(), vec![-5]].concat()), Origin::Ui, 12)
        .await
        .unwrap();
    assert_eq!((removed.changed, removed.not_found.clone()), (2, vec!["-5".to_string()]));
    assert_eq!(tags::list(&db, seed::STORE).await.unwrap(), [tc("edm", 0), tc("House", 1), tc("vip", 3)]);
    let new = tags::add(&db, seed::STORE, "  Fresh Tag ", &Target::Ids(ids), Origin::Ui, 13).await.unwrap();
    assert_eq!((new.tag.as_str(), new.changed), ("Fresh Tag", 2), "a new tag is created, trimmed");
    for bad in ["", "   ", "tab\there"] {
        let err = tags::add(&db, seed::STORE, bad, &Target::Ids(vec![1]), Origin::Ui, 14).await.unwrap_err();
        assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad:?} is no tag name");
    }
    let err = tags::remove(&db, seed::STORE, "nope", &Target::Ids(vec![1]), Origin::Ui, 15).await.unwrap_err();
    assert!(err.to_string().contains("tags list"), "the message says where to look: {err}");
}

#[tokio::test]
async fn bulk_tagging_everything_a_filter_matches() {
    let (_dir, db, _pk) = seed::db().await;
    demo::fill(&db, seed::STORE, 5000, 21, 1_700_000_000_000).await.unwrap();
    let filter = ContactFilter { kind: vec!["lead".into()], score_min: Some(60), ..Default::default() };
    let matching = contacts::count_matching(&db, seed::STORE, &filter).await.unwrap();
    assert!(matching > 1000, "the filter matches many fans ({matching})");
    let added =
        tags::add(&db, seed::STORE, "cold-leads", &Target::Matching(filter.clone()), Origin::Ui, 7).await.unwrap();
    assert_eq!(added.changed as i64, matching, "every matching fan got the tag");
    let tagged = ContactFilter { tag: vec!["cold-leads".into()], ..Default::default() };
    assert_eq!(contacts::count_matching(&db, seed::STORE, &tagged).await.unwrap(), matching);
    let both = ContactFilter { tag: vec!["cold-leads".into()], ..filter.clone() };
    assert_eq!(contacts::count_matching(&db, seed::STORE, &both).await.unwrap(), matching, "and no other fan");

    let searched = ContactFilter::search("maria");
    let marias = contacts::count_matching(&db, seed::STORE, &searched).await.unwrap();
    let already: i64 = contacts::count_matching(
        &db,
        seed::STORE,
        &ContactFilter { tag: vec!["cold-leads".into()], ..searched.clone() },
    )
    .await
    .unwrap();
    let added =
        tags::add(&db, seed::STORE, "cold-leads", &Target::Matching(searched.clone()), Origin::Ui, 8).await.unwrap();
    assert_eq!(added.changed as i64, marias - already, "a search target tags every match that lacked the tag");
    let removed =
        tags::remove(&db, seed::STORE, "cold-leads", &Target::Matching(searched), Origin::Ui, 9).await.unwrap();
    assert_eq!(removed.changed as i64, marias);
    assert_eq!(
        contacts::count_matching(&db, seed::STORE, &tagged).await.unwrap(),
        matching - already,
        "removing by search took the tag off exactly the Marias"
    );
}

#[tokio::test]
async fn rename_and_merge() {
    let (_dir, db, _pk) = four().await;
    let err = tags::rename(&db, seed::STORE, "vip", "EDM", Origin::Ui, 1).await.unwrap_err();
    assert!(err.to_string().contains("merge"), "renaming onto another tag points to merge: {err}");
    let r = tags::rename(&db, seed::STORE, "vip", "Patron", Origin::Ui, 2).await.unwrap();
    assert_eq!((r.from.as_str(), r.to.as_str(), r.contacts), ("vip", "Patron", 2));
    assert_eq!(members(&db, "patron").await, set(&["a@x.io", "b@x.io"]));
    assert!(members(&db, "vip").await.is_empty());
    let r = tags::rename(&db, seed::STORE, "patron", "PATRON", Origin::Ui, 3).await.unwrap();
    assert_eq!(r.to, "PATRON", "a change of case is a rename too");
    let found = contacts::count_matching(&db, seed::STORE, &ContactFilter::search("patr")).await.unwrap();
    assert_eq!(found, 2, "the renamed tag is searchable at once");

    let m = tags::merge(&db, seed::STORE, "edm", "house", Origin::Ui, 4).await.unwrap();
    assert_eq!((m.from.as_str(), m.to.as_str(), m.contacts), ("edm", "House", 2));
    assert_eq!(members(&db, "house").await, set(&["a@x.io", "c@x.io"]), "the union, c counted once");
    assert_eq!(tags::list(&db, seed::STORE).await.unwrap(), [tc("House", 2), tc("PATRON", 2)], "edm is gone");
    let err = tags::merge(&db, seed::STORE, "house", "HOUSE", Origin::Ui, 5).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_ARGUMENT", "a tag cannot merge into itself");
}

#[tokio::test]
async fn delete_then_undo_restores_exactly_the_same_contacts() {
    let (_dir, db, pk) = seed::db().await;
    demo::fill(&db, seed::STORE, 3000, 8, 1_700_000_000_000).await.unwrap();
    let before = members(&db, "vip").await;
    assert!(before.len() > 100);
    let deleted = tags::delete(&db, seed::STORE, "VIP", Origin::Ui, 1).await.unwrap();
    assert_eq!(deleted.contacts as usize, before.len());
    assert!(members(&db, "vip").await.is_empty(), "nobody has a deleted tag");
    assert!(!tags::list(&db, seed::STORE).await.unwrap().iter().any(|t| t.name == "vip"), "nor is it listed");

    // Meanwhile: one former member is deleted, and someone new gets a fresh "vip".
    let gone = before.iter().next().unwrap().clone();
    sqlx::query("DELETE FROM customers WHERE email_norm = ?").bind(&gone).execute(db.pool()).await.unwrap();
    let newcomer = seed::fan(&db, pk, Fan::new("newcomer@x.io")).await;
    tags::add(&db, seed::STORE, "vip", &Target::Ids(vec![newcomer]), Origin::Ui, 2).await.unwrap();

    let restored = tags::undo_delete(&db, seed::STORE, None, Origin::Ui, 3).await.unwrap();
    assert_eq!(restored.changed as usize, before.len() - 1, "every former member that still exists");
    let mut want = before.clone();
    want.remove(&gone);
    want.insert("newcomer@x.io".into());
    assert_eq!(members(&db, "vip").await, want, "exactly the former members, plus the newcomer's own tag");
    let err = tags::undo_delete(&db, seed::STORE, None, Origin::Ui, 4).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_ARGUMENT", "a deletion is undone once");

    // Undo by id, after a later deletion of another tag.
    let edm_before = members(&db, "edm").await;
    let first = tags::delete(&db, seed::STORE, "edm", Origin::Ui, 5).await.unwrap();
    tags::delete(&db, seed::STORE, "house", Origin::Ui, 6).await.unwrap();
    tags::undo_delete(&db, seed::STORE, Some(first.deletion_id), Origin::Ui, 7).await.unwrap();
    assert_eq!(members(&db, "edm").await, edm_before, "an older deletion is undone by its id");
    assert!(members(&db, "house").await.is_empty(), "and the later one stays deleted");
}
