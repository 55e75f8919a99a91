//! Every edit of a contact is recorded for sync in the outbox, shaped as platform-api.md's Change:
//! a UUID v4 change_id, base_updated_at = the server's updatedAt last seen, platform field names,
//! tag additions and removals, and the origin. Checked on a real database file.

mod seed;

use std::collections::HashSet;

use fanbase_core::contacts::{self, ContactFilter, Origin};
use fanbase_core::tags::{self, Target};
use serde_json::{json, Map, Value};

use seed::Fan;

fn map(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn assert_v4(id: &str) {
    let parsed = uuid::Uuid::parse_str(id).unwrap_or_else(|_| panic!("{id:?} is a UUID"));
    assert_eq!(parsed.get_version_num(), 4, "{id} is a random (v4) UUID");
}

#[tokio::test]
async fn a_field_edit_records_only_what_changed_with_platform_names() {
    let (_dir, db, pk) = seed::db().await;
    let id = seed::fan(&db, pk, Fan::new("ana@x.io").name("Ana").score(5).remote(1_650_000_000_000)).await;
    let edited = contacts::set_fields(
        &db,
        seed::STORE,
        id,
        &map(json!({"name": "Ana", "score": 80, "type_of_music": "Techno", "total_spent": 19.9,
                    "opens_email": true, "first_name": "Ana", "custom.instrument": "cello"})),
        Origin::Ui,
        1_700_000_000_000,
    )
    .await
    .unwrap();
    assert_eq!(
        edited.changed,
        ["custom.instrument", "first_name", "opens_email", "score", "total_spent", "type_of_music"],
        "the unchanged name is left out"
    );
    let rows = seed::outbox(&db).await;
    assert_eq!(rows.len(), 1, "one edit, one change");
    let (customer_id, email, base, set, add, remove, origin, change_id) = &rows[0];
    assert_eq!((*customer_id, email.as_str(), *base), (Some(id), "ana@x.io", Some(1_650_000_000_000)));
    assert_eq!(
        serde_json::from_str::<Value>(set).unwrap(),
        json!({"score": 80, "typeOfMusic": "Techno", "totalSpent": 19.9, "opensEmail": true}),
        "platform names and units; local-only fields (first_name, custom.*) are not sent"
    );
    assert_eq!((add.as_str(), remove.as_str(), origin.as_str()), ("[]", "[]", "ui"));
    assert_eq!(Some(change_id), edited.change_id.as_ref());
    assert_v4(change_id);

    let (score, cents, custom, updated): (i64, i64, String, i64) =
        sqlx::query_as("SELECT score, total_spent_cents, custom, updated_at FROM customers WHERE id = ?")
            .bind(id)
            .fetch_one(&db.pool().clone())
            .await
            .unwrap();
    assert_eq!((score, cents, updated), (80, 1990, 1_700_000_000_000), "written locally at once, money in cents");
    assert_eq!(serde_json::from_str::<Value>(&custom).unwrap(), json!({"instrument": "cello"}));

    let same = contacts::set_fields(&db, seed::STORE, id, &map(json!({"score": 80})), Origin::Ui, 2).await.unwrap();
    assert!(same.changed.is_empty() && same.change_id.is_none(), "setting the same value records nothing");
    let local =
        contacts::set_fields(&db, seed::STORE, id, &map(json!({"last_name": "B"})), Origin::Cli, 3).await.unwrap();
    assert!(local.change_id.is_none(), "a local-only field is not pushed");
    assert_eq!(seed::outbox(&db).await.len(), 1);
}

#[tokio::test]
async fn invalid_edits_change_nothing() {
    let (_dir, db, pk) = seed::db().await;
    let id = seed::fan(&db, pk, Fan::new("ana@x.io")).await;
    seed::fan(&db, pk, Fan::new("bo@x.io")).await;
    for bad in [
        json!({"type": "customer"}),
        json!({"score": "high"}),
        json!({"total_spent": -1}),
        json!({"remote_id": "x"}),
        json!({"tags": ["vip"]}),
        json!({"email": "not an email"}),
        json!({"email": "BO@x.io"}),
        json!({"score": 3, "status": "gone"}),
    ] {
        let err = contacts::set_fields(&db, seed::STORE, id, &map(bad.clone()), Origin::Ui, 1).await.unwrap_err();
        assert_eq!(err.code(), "INVALID_ARGUMENT", "{bad} is refused");
    }
    let score: i64 =
        sqlx::query_scalar("SELECT score FROM customers WHERE id = ?").bind(id).fetch_one(db.pool()).await.unwrap();
    assert_eq!(score, 0, "a refused edit leaves no partial write");
    assert!(seed::outbox(&db).await.is_empty(), "and no outbox row");
    let err = contacts::set_fields(&db, seed::STORE, 999, &map(json!({"score": 1})), Origin::Ui, 1).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_ARGUMENT");
    let moved = contacts::set_fields(&db, seed::STORE, id, &map(json!({"email": " Ana.New@X.io "})), Origin::Ui, 2)
        .await
        .unwrap();
    assert_eq!(moved.changed, ["email"]);
    let found = contacts::count_matching(&db, seed::STORE, &ContactFilter::search("ana.new")).await.unwrap();
    assert_eq!(found, 1, "the new email is searchable");
    let rows = seed::outbox(&db).await;
    assert_eq!((rows[0].1.as_str(), rows[0].3.as_str()), ("Ana.New@X.io", r#"{"email":"Ana.New@X.io"}"#));
}

#[tokio::test]
async fn tag_edits_write_one_change_per_contact() {
    let (_dir, db, pk) = seed::db().await;
    let mut ids = Vec::new();
    for i in 0..300 {
        let fan = Fan::new(&format!("fan{i}@x.io")).score(i).remote(1000 + i);
        ids.push(seed::fan(&db, pk, if i < 10 { fan.tags(&["old"]) } else { fan }).await);
    }
    let bulk = ContactFilter { score_min: Some(100), ..Default::default() };
    let added = tags::add(&db, seed::STORE, "VIP", &Target::Matching(bulk), Origin::Cli, 50).await.unwrap();
    assert_eq!(added.changed, 200);
    let rows = seed::outbox(&db).await;
    assert_eq!(rows.len(), 200, "one change per tagged contact");
    for (customer_id, email, base, set, add, remove, origin, change_id) in &rows {
        let i = ids.iter().position(|x| Some(*x) == *customer_id).unwrap() as i64;
        assert!(i >= 100, "only matching contacts");
        assert_eq!(email, &format!("fan{i}@x.io"));
        assert_eq!(*base, Some(1000 + i), "base_updated_at is the contact's remote_updated_at");
        assert_eq!((set.as_str(), add.as_str(), remove.as_str(), origin.as_str()), ("{}", r#"["VIP"]"#, "[]", "cli"));
        assert_v4(change_id);
    }
    let distinct: HashSet<_> = rows.iter().map(|r| &r.7).collect();
    assert_eq!(distinct.len(), rows.len(), "every change has its own idempotency key");
    let touched: i64 =
        sqlx::query_scalar("SELECT count(*) FROM customers WHERE updated_at <> 1").fetch_one(db.pool()).await.unwrap();
    assert_eq!(touched, 0, "a tag change is recorded in the outbox, not by rewriting 200 contact rows");

    tags::remove(&db, seed::STORE, "vip", &Target::Ids(vec![ids[150]]), Origin::Ui, 51).await.unwrap();
    tags::rename(&db, seed::STORE, "old", "legacy", Origin::Ui, 52).await.unwrap();
    tags::add(&db, seed::STORE, "other", &Target::Ids(ids[..3].to_vec()), Origin::Ui, 53).await.unwrap();
    tags::merge(&db, seed::STORE, "other", "legacy", Origin::Ui, 54).await.unwrap();
    let deleted = tags::delete(&db, seed::STORE, "legacy", Origin::Ui, 55).await.unwrap();
    tags::undo_delete(&db, seed::STORE, Some(deleted.deletion_id), Origin::Ui, 56).await.unwrap();
    let tail: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT add_tags, remove_tags, count(*) FROM outbox WHERE created_at > 50 GROUP BY created_at ORDER BY created_at",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    let tail: Vec<(&str, &str, i64)> = tail.iter().map(|(a, r, n)| (a.as_str(), r.as_str(), *n)).collect();
    assert_eq!(
        tail,
        [
            ("[]", r#"["VIP"]"#, 1),
            (r#"["legacy"]"#, r#"["old"]"#, 10),
            (r#"["other"]"#, "[]", 3),
            (r#"["legacy"]"#, r#"["other"]"#, 3),
            ("[]", r#"["legacy"]"#, 10),
            (r#"["legacy"]"#, "[]", 10),
        ],
        "remove, rename, add, merge, delete and undo each record the matching tag change per contact"
    );
}
