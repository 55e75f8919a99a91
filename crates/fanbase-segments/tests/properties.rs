//! Property tests: on random contacts and random segments, the compiled SQL (run by SQLite) and a
//! plain in-memory evaluator of the same segment must pick exactly the same contacts.

mod common;

use common::{insert_fans, matches, Fan, DAY, NOW};
use fanbase_core::Db;
use fanbase_segments::{field, ids, Condition, Field, Kind, Op, Segment};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

const TEXTS: &[&str] = &[
    "",
    "a",
    "A",
    "ab",
    "AB",
    "ana",
    "Ana Smith",
    "é",
    "É",
    "zoë",
    "ZOË",
    "x%",
    "_",
    "100%_",
    "able",
    "Ableton",
    "ableton",
    "' OR 1=1 --",
    "house",
    "House",
    "hip-hop",
    " ",
    "a.b",
    "ß",
    "Ó",
    "lÓpez",
    "ë",
];
const CUSTOM_NAMES: &[&str] = &["plan", "plan.tier", "say \"hi\"", "back\\slash", "sp ace", "[0]", "$", "missing"];
const TAGS: &[&str] = &["vip", "VIP", "edm", "course-buyer", "free-pack", " house "];
const EMAILS: &[&str] = &["ana@gmail.com", "BO@Yahoo.com", "zoë@proton.me", "ZOË@x.org", "a_b%c@x.io", "ab@AB.ab"];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn text() -> impl Strategy<Value = String> {
    pick(TEXTS).prop_map(str::to_string)
}

/// A contact's text: one or two pool words, so values match inside, at the start and at the end.
fn contact_text() -> impl Strategy<Value = String> {
    prop_oneof![text(), (text(), text()).prop_map(|(a, b)| format!("{a}{b}"))]
}

/// Parts of the pool's emails, in other cases, for conditions on `email`.
const EMAIL_PARTS: &[&str] = &["ZOË", "zoë", "@", ".COM", "Ana", "a_b%", "x.org", "ë@", "ab@ab.ab", " ana@gmail.com "];

/// Dates often sit exactly on the boundaries that `within_days` values and other dates draw.
const DAYS: &[i64] = &[0, 1, 30, 89, 90, 91, 365];

fn date() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0i64),
        pick(DAYS).prop_map(|d| NOW - d * DAY),
        (-1i64..=1).prop_map(|ms| NOW - 90 * DAY + ms),
        (-400i64..400).prop_map(|d| NOW - d * DAY),
    ]
}

/// Scores and score values share a small pool, so equality and boundaries are hit often.
const SCORES: &[i64] = &[-10, 0, 10, 49, 50, 51, 120];

fn custom_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        contact_text().prop_map(Value::from),
        (-3i64..300).prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null)
    ]
}

fn fan() -> impl Strategy<Value = Fan> {
    let names = (
        pick(EMAILS),
        contact_text(),
        pick(&["lead", "paying", "subscription"]),
        contact_text(),
        contact_text(),
        contact_text(),
        contact_text(),
        contact_text(),
    );
    let numbers = (
        pick(&["active", "unsubscribed", "bounced", "complained"]),
        pick(SCORES),
        pick(&[0i64, 900, 1999, 4999, 29700]),
        any::<bool>(),
        any::<bool>(),
        date(),
        date(),
        date(),
    );
    let extra = (
        proptest::sample::subsequence(TAGS, 0..4),
        proptest::collection::btree_map(pick(CUSTOM_NAMES), custom_value(), 0..4),
        any::<bool>(),
        text(),
    );
    (names, numbers, extra).prop_map(
        |(
            (email, name, kind, source, daw, genre, level, phone),
            (status, score, spent_cents, opens, clicks, last_open, created, updated),
            (tags, custom, has_account, email_suffix),
        )| Fan {
            // The suffix keeps random emails apart often enough while sharing the same letters.
            email: format!("{email_suffix}{email}").trim().to_string(),
            name,
            kind: kind.to_string(),
            source,
            status: status.to_string(),
            daw,
            genre,
            level,
            phone,
            score,
            spent_cents,
            opens,
            clicks,
            last_open,
            created,
            updated,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            custom: custom.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<String, Value>>(),
            has_account,
        },
    )
}

fn any_field() -> impl Strategy<Value = Field> {
    prop_oneof![pick(field::FIXED), pick(CUSTOM_NAMES).prop_map(|n| Field::Custom(n.to_string())),]
}

/// A value that fits `field` and `op` (sometimes an invalid one, which is then skipped).
fn value_for(field: &Field, op: Op) -> BoxedStrategy<Value> {
    let enumerated = field.allowed_values();
    let one_text = match enumerated {
        Some(values) => pick(values).prop_map(|v| Value::from(v.to_uppercase())).boxed(),
        None if *field == Field::Email => {
            prop_oneof![pick(EMAIL_PARTS).prop_map(Value::from), text().prop_map(Value::from)].boxed()
        }
        None => text().prop_map(Value::from).boxed(),
    };
    let money = || pick(&[0.0f64, 9.0, 19.99, 49.99, 297.0, 300.0]).prop_map(Value::from);
    let num = || pick(SCORES).prop_map(Value::from);
    match (field.kind(), op) {
        (_, Op::IsEmpty | Op::IsNotEmpty) => Just(Value::Null).boxed(),
        (Kind::Text, Op::In | Op::NotIn) => proptest::collection::vec(one_text, 1..4).prop_map(Value::from).boxed(),
        (Kind::Text, _) => one_text,
        (Kind::Number, Op::In | Op::NotIn) if *field == Field::TotalSpent => {
            proptest::collection::vec(money(), 1..4).prop_map(Value::from).boxed()
        }
        (Kind::Number, Op::In | Op::NotIn) => proptest::collection::vec(num(), 1..4).prop_map(Value::from).boxed(),
        (Kind::Number, Op::Between) if *field == Field::TotalSpent => {
            (money(), money()).prop_map(|(a, b)| json!([a, b])).boxed()
        }
        (Kind::Number, Op::Between) => (num(), num()).prop_map(|(a, b)| json!([a, b])).boxed(),
        (Kind::Number, _) if *field == Field::TotalSpent => money().boxed(),
        (Kind::Number, _) => num().boxed(),
        (Kind::Boolean, _) => any::<bool>().prop_map(Value::from).boxed(),
        (Kind::Date, Op::WithinDays | Op::NotWithinDays) => pick(DAYS).prop_map(Value::from).boxed(),
        (Kind::Date, Op::Between) => (date(), date()).prop_map(|(a, b)| json!([a.min(b), a.max(b)])).boxed(),
        (Kind::Date, _) => date().prop_map(Value::from).boxed(),
        (Kind::Tags, _) => proptest::sample::subsequence(TAGS, 1..4).prop_map(Value::from).boxed(),
    }
}

fn condition() -> impl Strategy<Value = Segment> {
    any_field()
        .prop_flat_map(|f| {
            let ops = f.kind().ops();
            (Just(f), proptest::sample::select(ops))
        })
        .prop_flat_map(|(f, op)| (Just(f.clone()), Just(op), value_for(&f, op)))
        .prop_filter_map("a value the validator refuses", |(f, op, v)| {
            Condition::new(f, op, v).ok().map(Segment::Condition)
        })
}

fn segment() -> impl Strategy<Value = Segment> {
    condition().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(Segment::All),
            proptest::collection::vec(inner.clone(), 1..4).prop_map(Segment::Any),
            proptest::collection::vec(inner, 1..4).prop_map(Segment::None),
        ]
    })
}

/// Empties the store's contacts, tags and users for the next case (one database file per run).
async fn clear(db: &Db) {
    for table in ["customer_tags", "tags", "customers", "users"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(db.pool()).await.unwrap();
    }
}

#[test]
fn compiled_sql_and_the_plain_evaluator_agree_on_every_contact() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let (_dir, db) = rt.block_on(common::file_db());
    let mut runner = TestRunner::new(Config { cases: 300, ..Config::default() });
    let contacts = proptest::collection::vec(fan(), 1..14);
    let segments = proptest::collection::vec(segment(), 1..6);
    runner
        .run(&(contacts, segments), |(mut fans, segments)| {
            // A store holds one contact per email: keep the first of each.
            let mut seen = std::collections::HashSet::new();
            fans.retain(|f| seen.insert(fanbase_core::text::normalize_email(&f.email)));
            rt.block_on(async {
                clear(&db).await;
                let fan_ids = insert_fans(&db, "s1", &fans).await;
                for seg in &segments {
                    let got = ids(&db, "s1", seg, NOW).await.expect("the compiled query runs");
                    let want: Vec<i64> =
                        fans.iter().zip(&fan_ids).filter(|(f, _)| matches(seg, f, NOW)).map(|(_, id)| *id).collect();
                    prop_assert_eq!(
                        &got,
                        &want,
                        "SQL and evaluator disagree on segment {} over {:#?}",
                        seg.to_json(),
                        fans
                    );
                }
                Ok(())
            })
        })
        .unwrap();
}

#[test]
fn random_segments_round_trip_through_their_json() {
    let mut runner = TestRunner::new(Config { cases: 300, ..Config::default() });
    runner
        .run(&segment(), |seg| {
            let again = Segment::from_json(&seg.to_json()).expect("canonical JSON is valid");
            prop_assert_eq!(&again, &seg, "round trip of {}", seg.to_json());
            Ok(())
        })
        .unwrap();
}
