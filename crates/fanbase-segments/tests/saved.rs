//! Saved segments per store, next to the built-in ones, in a real database file.

mod common;

use common::{file_db, insert_fans, Fan, NOW};
use fanbase_segments::{saved, Error, Segment};
use serde_json::json;

fn daw(name: &str) -> Segment {
    Segment::from_json(&json!({"field": "daw", "op": "eq", "value": name})).unwrap()
}

#[tokio::test]
async fn save_list_find_and_delete() {
    let (_dir, db) = file_db().await;
    fanbase_core::stores::add(&db, "s2", "Other", NOW).await.unwrap();
    let fans = [
        Fan { email: "a@x.com".into(), daw: "Ableton".into(), ..Fan::default() },
        Fan { email: "b@x.com".into(), daw: "Bitwig".into(), has_account: true, ..Fan::default() },
    ];
    insert_fans(&db, "s1", &fans).await;

    let made = saved::save(&db, "s1", "  Ableton users ", &daw("Ableton"), false, NOW).await.unwrap();
    assert_eq!(made.name, "Ableton users", "the name is trimmed");
    assert_eq!(made.created_at, Some(NOW));
    saved::save(&db, "s1", "bitwig", &daw("Bitwig"), false, NOW).await.unwrap();

    let again = saved::save(&db, "s1", "ABLETON USERS", &daw("x"), false, NOW + 1).await;
    assert!(
        matches!(again, Err(Error::SegmentExists(_))),
        "an existing name is not overwritten by accident: {again:?}"
    );
    let replaced = saved::save(&db, "s1", "ABLETON USERS", &daw("Bitwig"), true, NOW + 1).await.unwrap();
    assert_eq!((replaced.created_at, replaced.updated_at), (Some(NOW), Some(NOW + 1)), "replace keeps created_at");
    assert_eq!(replaced.segment, daw("Bitwig"), "replace changes the definition");

    let builtin = saved::save(&db, "s1", "paying customers", &daw("x"), true, NOW).await;
    assert!(matches!(builtin, Err(Error::BuiltIn(_))), "built-in names are reserved: {builtin:?}");

    let listed = saved::list(&db, "s1").await.unwrap();
    let names: Vec<(&str, bool)> = listed.iter().map(|s| (s.name.as_str(), s.builtin)).collect();
    assert_eq!(
        names,
        [
            ("Fans without an account", true),
            ("Cold: no open in 90 days", true),
            ("Paying customers", true),
            ("Suppressed: unsubscribed, bounced or complained", true),
            ("ABLETON USERS", false),
            ("bitwig", false),
        ],
        "built-ins first, then saved segments by name"
    );
    assert_eq!(saved::list(&db, "s2").await.unwrap().len(), 4, "segments are per store");

    let counted = saved::list_counted(&db, "s1", NOW).await.unwrap();
    let count_of = |name: &str| counted.iter().find(|c| c.saved.name == name).unwrap().count;
    assert_eq!(count_of("bitwig"), 1);
    assert_eq!(count_of("Fans without an account"), 1, "b has an account, a has not");

    let found = saved::find(&db, "s1", "Bitwig").await.unwrap();
    assert_eq!(found.segment, daw("Bitwig"), "find compares names case-insensitively");
    let json = serde_json::to_value(&found).unwrap();
    assert_eq!(json["definition"], json!({"field": "daw", "op": "eq", "value": "Bitwig"}), "saved JSON shape: {json}");

    saved::delete(&db, "s1", "bitwig").await.unwrap();
    let gone = saved::find(&db, "s1", "bitwig").await;
    assert!(matches!(gone, Err(Error::SegmentNotFound { .. })), "a deleted segment is gone: {gone:?}");
    assert_eq!(gone.unwrap_err().code(), "SEGMENT_NOT_FOUND");
    assert!(matches!(saved::delete(&db, "s1", "Cold: no open in 90 days").await, Err(Error::BuiltIn(_))));
    assert!(matches!(saved::delete(&db, "s1", "nope").await, Err(Error::SegmentNotFound { .. })));
    let no_store = saved::list(&db, "nope").await.unwrap_err();
    assert_eq!(no_store.code(), "STORE_NOT_FOUND", "an unknown store is named as such");
}
