//! Table tests of the compiler against a real SQLite file: every field × operator, nesting,
//! built-ins and hostile values, each with the contacts it must match (written out by hand).

mod common;

use std::collections::BTreeSet;

use common::{file_db, insert_fans, matches, Fan, DAY, NOW};
use fanbase_segments::{builtin, compile, count, custom_field_names, field, ids, Field, Segment};
use serde_json::{json, Map, Value};

fn custom(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// Four contacts, labelled a, b, c, d in insertion order.
fn fans() -> Vec<Fan> {
    vec![
        Fan {
            email: "ana@gmail.com".into(),
            name: "Ana Smith".into(),
            kind: "lead".into(),
            source: "activecampaign_import".into(),
            status: "active".into(),
            daw: "Ableton".into(),
            genre: "House".into(),
            level: "Beginner".into(),
            phone: "+1 555 0100".into(),
            score: 10,
            spent_cents: 0,
            opens: true,
            clicks: false,
            last_open: NOW - 10 * DAY,
            created: NOW - 100 * DAY,
            updated: NOW - 5 * DAY,
            tags: vec!["vip".into(), "edm".into()],
            custom: custom(&[("plan", json!("Gold")), ("plan.tier", json!("2")), ("say \"hi\"", json!("yes"))]),
            has_account: true,
        },
        Fan {
            email: "BO@Yahoo.com".into(),
            name: "bo LÓPEZ".into(),
            kind: "paying".into(),
            source: "stripe_purchase".into(),
            status: "unsubscribed".into(),
            daw: "FL Studio".into(),
            genre: "Hip-Hop".into(),
            level: "Advanced".into(),
            phone: String::new(),
            score: 55,
            spent_cents: 4999,
            opens: true,
            clicks: true,
            last_open: NOW - 200 * DAY,
            created: NOW - 400 * DAY,
            updated: NOW - DAY,
            tags: vec!["course-buyer".into()],
            custom: custom(&[("plan", json!("silver"))]),
            has_account: false,
        },
        Fan {
            email: "cy@proton.me".into(),
            name: String::new(),
            kind: "subscription".into(),
            source: String::new(),
            status: "bounced".into(),
            daw: String::new(),
            genre: String::new(),
            level: String::new(),
            phone: "+44 20 7946".into(),
            score: 120,
            spent_cents: 29700,
            opens: false,
            clicks: false,
            last_open: 0,
            created: NOW - 10 * DAY,
            updated: NOW - 10 * DAY,
            tags: vec![],
            custom: Map::new(),
            has_account: true,
        },
        Fan {
            email: "dee@example.org".into(),
            name: "Dee ableton".into(),
            kind: "lead".into(),
            source: "Import".into(),
            status: "complained".into(),
            daw: "ableton".into(),
            genre: "house".into(),
            level: "Intermediate".into(),
            phone: String::new(),
            score: 0,
            spent_cents: 900,
            opens: true,
            clicks: false,
            last_open: NOW - 90 * DAY,
            created: NOW - 2000 * DAY,
            updated: NOW - 3 * DAY,
            tags: vec!["VIP".into(), "free-pack".into(), "edm".into()],
            custom: custom(&[("plan", json!(3))]),
            has_account: false,
        },
    ]
}

fn cond(field: &str, op: &str, value: Value) -> Value {
    if value.is_null() {
        json!({"field": field, "op": op})
    } else {
        json!({"field": field, "op": op, "value": value})
    }
}

fn ago(days: i64) -> i64 {
    NOW - days * DAY
}

/// (segment, the labels of the contacts it must match).
fn cases() -> Vec<(Value, &'static str)> {
    let n = Value::Null;
    let c = cond;
    vec![
        // email: compared in its stored lower-case form
        (c("email", "eq", json!(" BO@yahoo.COM ")), "b"),
        (c("email", "neq", json!("ana@gmail.com")), "bcd"),
        (c("email", "in", json!(["ANA@GMAIL.COM", "cy@proton.me"])), "ac"),
        (c("email", "not_in", json!(["ana@gmail.com"])), "bcd"),
        (c("email", "contains", json!("YAHOO")), "b"),
        (c("email", "not_contains", json!(".com")), "cd"),
        (c("email", "starts_with", json!("D")), "d"),
        (c("email", "ends_with", json!(".ORG")), "d"),
        (c("email", "is_empty", n.clone()), ""),
        (c("email", "is_not_empty", n.clone()), "abcd"),
        // name
        (c("name", "eq", json!("ana smith")), "a"),
        (c("name", "neq", json!("ANA SMITH")), "bcd"),
        (c("name", "in", json!(["BO LÓPEZ", "x"])), "b"),
        (c("name", "not_in", json!(["bo lÓpez"])), "acd"),
        (c("name", "contains", json!("ABLE")), "d"),
        (c("name", "not_contains", json!("a")), "bc"),
        (c("name", "starts_with", json!("dee")), "d"),
        (c("name", "ends_with", json!("SMITH")), "a"),
        (c("name", "is_empty", n.clone()), "c"),
        (c("name", "is_not_empty", n.clone()), "abd"),
        // case folding is ASCII only (SQLite without ICU): Ó and ó stay different letters
        (c("name", "contains", json!("ÓPEZ")), "b"),
        (c("name", "contains", json!("ópez")), ""),
        (c("name", "ends_with", json!("ÓPEZ")), "b"),
        (c("name", "starts_with", json!("BO LÓ")), "b"),
        // type
        (c("type", "eq", json!("LEAD")), "ad"),
        (c("type", "neq", json!("lead")), "bc"),
        (c("type", "in", json!(["paying", "Subscription"])), "bc"),
        (c("type", "not_in", json!(["paying"])), "acd"),
        (c("type", "contains", json!("ay")), "b"),
        (c("type", "not_contains", json!("e")), "bc"),
        (c("type", "starts_with", json!("SUB")), "c"),
        (c("type", "ends_with", json!("ing")), "b"),
        (c("type", "is_empty", n.clone()), ""),
        (c("type", "is_not_empty", n.clone()), "abcd"),
        // source
        (c("source", "eq", json!("import")), "d"),
        (c("source", "neq", json!("IMPORT")), "abc"),
        (c("source", "in", json!(["Stripe_Purchase", ""])), "bc"),
        (c("source", "not_in", json!(["import", ""])), "ab"),
        (c("source", "contains", json!("IMPORT")), "ad"),
        (c("source", "not_contains", json!("_")), "cd"),
        (c("source", "starts_with", json!("stripe")), "b"),
        (c("source", "ends_with", json!("_import")), "a"),
        (c("source", "is_empty", n.clone()), "c"),
        (c("source", "is_not_empty", n.clone()), "abd"),
        // status
        (c("status", "eq", json!("Active")), "a"),
        (c("status", "neq", json!("active")), "bcd"),
        (c("status", "in", json!(["bounced", "complained"])), "cd"),
        (c("status", "not_in", json!(["unsubscribed", "bounced", "complained"])), "a"),
        (c("status", "contains", json!("ED")), "bcd"),
        (c("status", "not_contains", json!("un")), "ad"),
        (c("status", "starts_with", json!("c")), "d"),
        (c("status", "ends_with", json!("ive")), "a"),
        (c("status", "is_empty", n.clone()), ""),
        (c("status", "is_not_empty", n.clone()), "abcd"),
        // daw
        (c("daw", "eq", json!("ABLETON")), "ad"),
        (c("daw", "neq", json!("ableton")), "bc"),
        (c("daw", "in", json!(["fl studio", "Bitwig"])), "b"),
        (c("daw", "not_in", json!(["ableton"])), "bc"),
        (c("daw", "contains", json!("STUD")), "b"),
        (c("daw", "not_contains", json!("l")), "c"),
        (c("daw", "starts_with", json!("abl")), "ad"),
        (c("daw", "ends_with", json!("DIO")), "b"),
        (c("daw", "is_empty", n.clone()), "c"),
        (c("daw", "is_not_empty", n.clone()), "abd"),
        // type_of_music
        (c("type_of_music", "eq", json!("HOUSE")), "ad"),
        (c("type_of_music", "neq", json!("house")), "bc"),
        (c("type_of_music", "in", json!(["hip-hop"])), "b"),
        (c("type_of_music", "not_in", json!(["hip-hop", "house"])), "c"),
        (c("type_of_music", "contains", json!("-")), "b"),
        (c("type_of_music", "not_contains", json!("o")), "c"),
        (c("type_of_music", "starts_with", json!("h")), "abd"),
        (c("type_of_music", "ends_with", json!("SE")), "ad"),
        (c("type_of_music", "is_empty", n.clone()), "c"),
        (c("type_of_music", "is_not_empty", n.clone()), "abd"),
        // student_level
        (c("student_level", "eq", json!("beginner")), "a"),
        (c("student_level", "neq", json!("Beginner")), "bcd"),
        (c("student_level", "in", json!(["ADVANCED", "intermediate"])), "bd"),
        (c("student_level", "not_in", json!(["advanced"])), "acd"),
        (c("student_level", "contains", json!("ER")), "ad"),
        (c("student_level", "not_contains", json!("e")), "c"),
        (c("student_level", "starts_with", json!("in")), "d"),
        (c("student_level", "ends_with", json!("ced")), "b"),
        (c("student_level", "is_empty", n.clone()), "c"),
        (c("student_level", "is_not_empty", n.clone()), "abd"),
        // phone
        (c("phone", "eq", json!("+1 555 0100")), "a"),
        (c("phone", "neq", json!("")), "ac"),
        (c("phone", "in", json!(["+44 20 7946", ""])), "bcd"),
        (c("phone", "not_in", json!(["+1 555 0100"])), "bcd"),
        (c("phone", "contains", json!(" 20 ")), "c"),
        (c("phone", "not_contains", json!("+")), "bd"),
        (c("phone", "starts_with", json!("+44")), "c"),
        (c("phone", "ends_with", json!("0100")), "a"),
        (c("phone", "is_empty", n.clone()), "bd"),
        (c("phone", "is_not_empty", n.clone()), "ac"),
        // custom fields: text; a number compares as its text; a missing key is empty
        (c("custom.plan", "eq", json!("gold")), "a"),
        (c("custom.plan", "neq", json!("GOLD")), "bcd"),
        (c("custom.plan", "in", json!(["SILVER", "3"])), "bd"),
        (c("custom.plan", "not_in", json!(["3"])), "abc"),
        (c("custom.plan", "contains", json!("L")), "ab"),
        (c("custom.plan", "not_contains", json!("l")), "cd"),
        (c("custom.plan", "starts_with", json!("s")), "b"),
        (c("custom.plan", "ends_with", json!("D")), "a"),
        (c("custom.plan", "is_empty", n.clone()), "c"),
        (c("custom.plan", "is_not_empty", n.clone()), "abd"),
        (c("custom.plan.tier", "eq", json!("2")), "a"),
        (c("custom.say \"hi\"", "eq", json!("YES")), "a"),
        (c("custom.missing", "is_empty", n.clone()), "abcd"),
        (c("custom.x') OR 1=1 --", "is_not_empty", n.clone()), ""),
        // score
        (c("score", "eq", json!(55)), "b"),
        (c("score", "neq", json!(55)), "acd"),
        (c("score", "in", json!([0, 120])), "cd"),
        (c("score", "not_in", json!([0, 120])), "ab"),
        (c("score", "gt", json!(10)), "bc"),
        (c("score", "gte", json!(10)), "abc"),
        (c("score", "lt", json!(10)), "d"),
        (c("score", "lte", json!(10)), "ad"),
        (c("score", "between", json!([10, 55])), "ab"),
        // total_spent, in currency units
        (c("total_spent", "eq", json!(49.99)), "b"),
        (c("total_spent", "neq", json!(0)), "bcd"),
        (c("total_spent", "in", json!([9, 297])), "cd"),
        (c("total_spent", "not_in", json!([0])), "bcd"),
        (c("total_spent", "gt", json!(9)), "bc"),
        (c("total_spent", "gte", json!(9)), "bcd"),
        (c("total_spent", "lt", json!(49.99)), "ad"),
        (c("total_spent", "lte", json!(49.99)), "abd"),
        (c("total_spent", "between", json!([9, 49.99])), "bd"),
        // booleans
        (c("opens_email", "eq", json!(true)), "abd"),
        (c("opens_email", "neq", json!(true)), "c"),
        (c("clicks_links", "eq", json!(true)), "b"),
        (c("clicks_links", "eq", json!(false)), "acd"),
        (c("clicks_links", "neq", json!(false)), "b"),
        (c("has_account", "eq", json!(true)), "ac"),
        (c("has_account", "neq", json!(true)), "bd"),
        (c("has_account", "eq", json!(false)), "bd"),
        // last_open_date (0 = never opened)
        (c("last_open_date", "before", json!(ago(50))), "bd"),
        (c("last_open_date", "before", json!("2025-01-01")), "b"),
        (c("last_open_date", "after", json!(ago(100))), "ad"),
        (c("last_open_date", "between", json!([ago(200), ago(90)])), "bd"),
        (c("last_open_date", "within_days", json!(90)), "ad"),
        (c("last_open_date", "within_days", json!(89)), "a"),
        (c("last_open_date", "not_within_days", json!(90)), "bc"),
        (c("last_open_date", "is_empty", n.clone()), "c"),
        (c("last_open_date", "is_not_empty", n.clone()), "abd"),
        // created_at
        (c("created_at", "before", json!(ago(365))), "bd"),
        (c("created_at", "after", json!(ago(30))), "c"),
        (c("created_at", "between", json!([ago(400), ago(100)])), "ab"),
        (c("created_at", "within_days", json!(100)), "ac"),
        (c("created_at", "not_within_days", json!(100)), "bd"),
        (c("created_at", "is_empty", n.clone()), ""),
        (c("created_at", "is_not_empty", n.clone()), "abcd"),
        // updated_at
        (c("updated_at", "before", json!(ago(4))), "ac"),
        (c("updated_at", "after", json!(ago(4))), "bd"),
        (c("updated_at", "between", json!([ago(5), ago(3)])), "ad"),
        (c("updated_at", "within_days", json!(4)), "bd"),
        (c("updated_at", "not_within_days", json!(4)), "ac"),
        (c("updated_at", "is_empty", n.clone()), ""),
        (c("updated_at", "is_not_empty", n.clone()), "abcd"),
        // tags, compared by normalized name
        (c("tags", "has_any", json!(["VIP", "course-buyer"])), "abd"),
        (c("tags", "has_any", json!(["nope"])), ""),
        (c("tags", "has_all", json!(["edm", " Vip "])), "ad"),
        (c("tags", "has_all", json!(["edm", "free-pack", "edm"])), "d"),
        (c("tags", "has_none", json!(["vip"])), "bc"),
        (c("tags", "is_empty", n.clone()), "c"),
        (c("tags", "is_not_empty", n.clone()), "abd"),
        // hostile values are only values
        (c("name", "eq", json!("' OR 1=1 --")), ""),
        (c("name", "contains", json!("%")), ""),
        (c("name", "contains", json!("_")), ""),
        // nesting
        (
            json!({"all": [
                {"field": "daw", "op": "eq", "value": "Ableton"},
                {"any": [{"field": "tags", "op": "has_any", "value": ["vip", "course-buyer"]},
                         {"field": "score", "op": "gte", "value": 50}]},
                {"none": [{"field": "status", "op": "in", "value": ["unsubscribed", "bounced", "complained"]}]},
                {"field": "last_open_date", "op": "within_days", "value": 90}
            ]}),
            "a",
        ),
        (
            json!({"any": [
                {"all": [c("type", "eq", json!("lead")), c("score", "lt", json!(5))]},
                {"none": [c("opens_email", "eq", json!(true))]}
            ]}),
            "cd",
        ),
        (
            json!({"none": [{"any": [c("status", "eq", json!("active")), {"all": [c("tags", "is_empty", Value::Null)]}]}]}),
            "bd",
        ),
        (json!({"all": [{"any": [{"all": [{"any": [c("name", "contains", json!("a"))]}]}]}]}), "ad"),
        (json!({"none": [c("email", "is_empty", Value::Null)]}), "abcd"),
    ]
}

fn labels(all_ids: &[i64], matched: &[i64]) -> String {
    let set: BTreeSet<i64> = matched.iter().copied().collect();
    all_ids.iter().zip(["a", "b", "c", "d"]).filter(|(id, _)| set.contains(id)).map(|(_, l)| l).collect()
}

#[tokio::test]
async fn every_case_matches_exactly_the_expected_contacts() {
    let (_dir, db) = file_db().await;
    let fans = fans();
    let all_ids = insert_fans(&db, "s1", &fans).await;
    let mut failures = Vec::new();
    for (json, want) in cases() {
        let segment = Segment::from_json(&json).unwrap_or_else(|e| panic!("case {json} must be valid: {e}"));
        let got = labels(&all_ids, &ids(&db, "s1", &segment, NOW).await.expect("query runs"));
        let by_hand: String =
            fans.iter().zip(["a", "b", "c", "d"]).filter(|(f, _)| matches(&segment, f, NOW)).map(|(_, l)| l).collect();
        let n = count(&db, "s1", &segment, NOW).await.unwrap();
        if got != want || by_hand != want || n != want.len() as i64 {
            failures.push(format!("{json}: want {want:?}, SQL gave {got:?} (count {n}), evaluator {by_hand:?}"));
        }
    }
    assert!(failures.is_empty(), "segments matched the wrong contacts:\n{}", failures.join("\n"));
}

#[test]
fn the_table_covers_every_field_with_every_operator_that_fits_it() {
    let covered: BTreeSet<(String, String)> = cases()
        .iter()
        .flat_map(|(json, _)| {
            let seg = Segment::from_json(json).unwrap();
            seg.conditions()
                .into_iter()
                .map(|(_, c)| {
                    let f = match c.field() {
                        Field::Custom(_) => "custom.*".to_string(),
                        f => f.name(),
                    };
                    (f, c.op().name().to_string())
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut missing = Vec::new();
    for f in field::FIXED.iter().cloned().chain([Field::Custom("x".into())]) {
        let name = if matches!(f, Field::Custom(_)) { "custom.*".to_string() } else { f.name() };
        for op in f.kind().ops() {
            if !covered.contains(&(name.clone(), op.name().to_string())) {
                missing.push(format!("{name} {}", op.name()));
            }
        }
    }
    assert!(missing.is_empty(), "field × operator pairs without a table case: {missing:?}");
}

#[tokio::test]
async fn built_in_segments_select_what_their_names_say() {
    let (_dir, db) = file_db().await;
    let all_ids = insert_fans(&db, "s1", &fans()).await;
    let want = [
        ("Fans without an account", "bd"),
        ("Cold: no open in 90 days", "bc"),
        ("Paying customers", "bc"),
        ("Suppressed: unsubscribed, bounced or complained", "bcd"),
    ];
    assert_eq!(builtin::BUILT_IN.len(), want.len(), "every built-in segment has a case here");
    for (name, labels_want) in want {
        let (_, seg) = builtin::find(name).expect("built-in exists");
        let got = labels(&all_ids, &ids(&db, "s1", &seg, NOW).await.unwrap());
        assert_eq!(got, labels_want, "built-in segment {name:?}");
    }
}

#[tokio::test]
async fn counts_stay_inside_the_store() {
    let (_dir, db) = file_db().await;
    fanbase_core::stores::add(&db, "s2", "Other", NOW).await.unwrap();
    insert_fans(&db, "s1", &fans()).await;
    insert_fans(&db, "s2", &fans()[..2]).await;
    let seg = Segment::from_json(&json!({"field": "tags", "op": "has_any", "value": ["vip", "course-buyer"]})).unwrap();
    assert_eq!(count(&db, "s1", &seg, NOW).await.unwrap(), 3, "store s1 has three fans with those tags");
    assert_eq!(count(&db, "s2", &seg, NOW).await.unwrap(), 2, "store s2 counts only its own fans");
}

#[test]
fn values_and_custom_field_names_never_become_sql_text() {
    let hostile = "'; DROP TABLE customers; --";
    let seg = Segment::from_json(&json!({"all": [
        {"field": "name", "op": "contains", "value": hostile},
        {"field": format!("custom.{hostile}"), "op": "eq", "value": hostile},
        {"field": "custom.a\"b", "op": "eq", "value": "x"},
        {"field": "tags", "op": "has_any", "value": [hostile]},
        {"field": "score", "op": "between", "value": [1, 2]},
        {"field": "last_open_date", "op": "within_days", "value": 30}
    ]}))
    .unwrap();
    let compiled = compile(&seg, NOW);
    assert!(!compiled.where_sql.contains("DROP"), "a value leaked into the SQL: {}", compiled.where_sql);
    assert!(!compiled.where_sql.contains("a\"b"), "a custom field name leaked into the SQL: {}", compiled.where_sql);
    let placeholders = compiled.where_sql.matches('?').count();
    assert_eq!(placeholders, compiled.binds.len(), "one bound value per placeholder: {compiled:?}");
    assert!(
        compiled.binds.contains(&json!(hostile.to_lowercase())),
        "the value travels as a bind: {:?}",
        compiled.binds
    );
}

#[test]
fn saved_json_parses_back_to_the_same_segment() {
    for (json, _) in cases() {
        let seg = Segment::from_json(&json).unwrap();
        let again = Segment::from_json(&seg.to_json()).unwrap();
        assert_eq!(seg, again, "the canonical form of {json} must round-trip");
    }
}

#[tokio::test]
async fn the_field_picker_lists_the_custom_fields_in_use() {
    let (_dir, db) = file_db().await;
    insert_fans(&db, "s1", &fans()).await;
    let names = custom_field_names(&db, "s1").await.unwrap();
    assert_eq!(names, ["plan", "plan.tier", "say \"hi\""], "every custom key of the store, once, sorted");
    let catalog = fanbase_segments::catalog(&names);
    let last = catalog.last().unwrap();
    assert_eq!((last.field.as_str(), last.kind), ("custom.say \"hi\"", fanbase_segments::Kind::Text));
    assert_eq!(catalog.len(), field::FIXED.len() + 3, "fixed fields, then the custom ones");
}
