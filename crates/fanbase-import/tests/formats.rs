//! Every supported export format, imported into a real database file, with exact counts and values.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn activecampaign_export() {
    let e = env().await;
    let r = import_fixture(&e.db, "activecampaign.csv").await;
    assert_eq!((r.format.as_str(), r.encoding.as_str(), r.delimiter.as_str()), ("activecampaign", "utf-8", ","));
    let c = r.counts;
    assert_eq!((c.rows_read, c.inserted, c.duplicates_in_file, c.rejected), (6, 3, 1, 2), "{c:?}");
    assert_eq!((c.updated, c.unchanged), (0, 0));
    let errs = errors(&r);
    assert_eq!(errs[0].0, 6, "line of the invalid email");
    assert_eq!(errs[0].1.as_deref(), Some("Email"));
    assert!(errs[0].2.contains("invalid email \"not-an-email\""), "{}", errs[0].2);
    assert_eq!((errs[1].0, errs[1].1.as_deref()), (7, Some("Date Created")));
    assert!(errs[1].2.contains("not a date"), "{}", errs[1].2);

    let ana = show(&e.db, "ana.silva@example.com").await;
    assert_eq!((ana.name.as_str(), ana.first_name.as_str(), ana.last_name.as_str()), ("Ana Silva", "Ana", "Silva"));
    assert_eq!(ana.phone, "+15551234567");
    assert_eq!(ana.tags, ["edm", "mixing", "vip"], "tags unioned across the duplicate, first spelling kept");
    assert_eq!(ana.created_at, ms("2024-01-15 10:30:00"));
    assert_eq!(
        (ana.daw.as_str(), ana.type_of_music.as_str(), ana.student_level.as_str()),
        ("Ableton", "House", "Advanced")
    );
    assert_eq!((ana.score, ana.opens_email, ana.clicks_links), (87, true, true));
    assert_eq!(ana.last_open_date, Some(ms("2024-03-01 00:00:00")));
    assert_eq!(ana.total_spent_cents, 123_450);
    assert_eq!(
        (ana.kind.as_str(), ana.status.as_str(), ana.source.as_str()),
        ("lead", "active", "activecampaign_import")
    );
    assert_eq!(
        serde_json::Value::Object(ana.custom),
        json!({"Date Updated": "2024-02-01 08:00:00", "Organization": "Beat Lab", "Interests": ["Mixing", "Mastering"]}),
        "unmatched columns are kept as custom fields; || makes a list"
    );
    assert_eq!(ana.updated_at, NOW);

    let ben = show(&e.db, "ben@example.com").await;
    assert_eq!((ben.name.as_str(), ben.last_name.as_str()), ("Ben", ""));
    assert_eq!(ben.created_at, ms("2023-01-31 00:00:00"), "MM/DD/YYYY");
    assert_eq!(ben.daw, "FL Studio, Logic Pro", "a multi-value DAW is kept whole");
    assert_eq!((ben.opens_email, ben.clicks_links, ben.total_spent_cents), (true, false, 9_900));
    assert!(ben.custom.is_empty(), "blank cells are not stored: {:?}", ben.custom);

    let carla = show(&e.db, "carla@example.com").await;
    assert_eq!(carla.email, "CARLA@Example.com", "the email is trimmed, its case kept");
    assert_eq!(carla.created_at, ms("2022-06-01 07:00:00"), "ISO 8601 with an offset");
    assert_eq!(carla.tags, ["beginner"]);
    assert_eq!(count(&e.db).await, 3);
}

#[tokio::test]
async fn mailchimp_subscribed_unsubscribed_and_cleaned_exports() {
    let e = env().await;
    let r = import_fixture(&e.db, "mailchimp_subscribed.csv").await;
    assert_eq!(r.format, "mailchimp");
    assert_eq!((r.counts.rows_read, r.counts.inserted), (2, 2));
    let mia = show(&e.db, "mia@example.com").await;
    assert_eq!((mia.name.as_str(), mia.phone.as_str()), ("Mia Chen", "555-0101"));
    assert_eq!(mia.tags, ["Course Buyer", "VIP"], "Mailchimp quotes each tag");
    assert_eq!(mia.created_at, ms("2023-05-01 12:00:00"), "OPTIN_TIME is the creation date");
    assert_eq!(mia.custom["NOTES"], "Met at \"Beat Con\"\nwants 1:1", "quotes and newlines inside a field");
    assert_eq!(mia.custom["Address"], "12 Main St, Springfield");
    assert_eq!(mia.custom["MEMBER_RATING"], "4");
    assert_eq!((mia.custom["LEID"].as_str(), mia.custom["EUID"].as_str()), (Some("123"), Some("abc123")));
    assert_eq!(mia.source, "mailchimp_import");

    let r = import_fixture(&e.db, "mailchimp_unsubscribed.csv").await;
    assert_eq!((r.counts.updated, r.counts.inserted, r.counts.unchanged), (1, 1, 0), "{:?}", r.counts);
    let mia = show(&e.db, "mia@example.com").await;
    assert_eq!(mia.status, "unsubscribed", "UNSUB_TIME marks the contact unsubscribed");
    assert_eq!(mia.custom["UNSUB_TIME"], "2024-04-04 04:04:04");
    assert_eq!(mia.custom["MEMBER_RATING"], "4", "fill-empty keeps the stored rating");
    assert_eq!(show(&e.db, "zoe@example.com").await.status, "unsubscribed");

    let r = import_fixture(&e.db, "mailchimp_cleaned.csv").await;
    assert_eq!(r.counts.updated, 1);
    assert_eq!(show(&e.db, "liam@example.com").await.status, "bounced", "cleaned means bounced");

    let r = import_fixture(&e.db, "mailchimp_subscribed.csv").await;
    assert_eq!((r.counts.unchanged, r.counts.updated), (2, 0), "{:?}", r.counts);
    assert_eq!(show(&e.db, "mia@example.com").await.status, "unsubscribed", "an import never re-subscribes");
    assert_eq!(show(&e.db, "liam@example.com").await.status, "bounced");
}

#[tokio::test]
async fn kit_export() {
    let e = env().await;
    let r = import_fixture(&e.db, "kit.csv").await;
    assert_eq!((r.format.as_str(), r.counts.inserted), ("kit", 2));
    let noah = show(&e.db, "noah@example.com").await;
    assert_eq!((noah.first_name.as_str(), noah.name.as_str()), ("Noah", "Noah"));
    assert_eq!(noah.tags, ["Free Pack", "webinar-2025"]);
    assert_eq!(noah.created_at, ms("2024-02-02 10:00:00"));
    assert_eq!(serde_json::Value::Object(noah.custom), json!({"DAW Version": "12", "Favorite Plugin": "Serum"}));
    assert_eq!((noah.status.as_str(), noah.source.as_str()), ("active", "kit_import"));
    let olu = show(&e.db, "olu@example.com").await;
    assert_eq!(olu.status, "unsubscribed", "Kit's cancelled state");
    assert!(olu.custom.is_empty(), "blank custom cells are not stored");
}

#[tokio::test]
async fn mautic_export_with_pipe_separated_tags() {
    let e = env().await;
    let r = import_fixture(&e.db, "mautic.csv").await;
    assert_eq!((r.format.as_str(), r.counts.inserted), ("mautic", 2));
    let kai = show(&e.db, "kai@example.com").await;
    assert_eq!(kai.tags, ["edm", "Mixing"], "| separates Mautic tags; EDM repeats edm");
    assert_eq!((kai.name.as_str(), kai.phone.as_str(), kai.score), ("Kai Tanaka", "555-1", 42));
    assert_eq!(kai.created_at, ms("2024-03-03 03:03:03"));
    assert_eq!(kai.custom["mobile"], "555-2", "a second phone column is kept as a custom field");
    assert_eq!(kai.custom["company"], "Kai Beats");
    assert_eq!(kai.custom["date_modified"], "2024-04-04 04:04:04");
    assert_eq!(show(&e.db, "wei@example.com").await.score, -3, "Mautic points can be negative");
}

#[tokio::test]
async fn listmonk_export_with_json_attributes() {
    let e = env().await;
    let r = import_fixture(&e.db, "listmonk.csv").await;
    assert_eq!(r.format, "listmonk");
    assert_eq!((r.counts.inserted, r.counts.rejected), (2, 2));
    let errs = errors(&r);
    assert_eq!((errs[0].0, errs[0].1.as_deref()), (4, Some("attributes")));
    assert!(errs[0].2.starts_with("not valid JSON"), "{}", errs[0].2);
    assert_eq!((errs[1].0, errs[1].2.contains("JSON object")), (5, true));
    let priya = show(&e.db, "priya@example.com").await;
    assert_eq!(priya.name, "Priya Patel");
    assert_eq!(serde_json::Value::Object(priya.custom), json!({"city": "Pune", "plan": {"tier": 2}, "beta": true}));
    assert_eq!(priya.source, "listmonk_import");
}

#[tokio::test]
async fn any_sheet_with_an_email_column() {
    let e = env().await;
    let r = import_fixture(&e.db, "sheet_windows1252_semicolon.csv").await;
    assert_eq!((r.format.as_str(), r.delimiter.as_str()), ("csv", ";"));
    assert_eq!(r.counts.inserted, 3);
    let zoe = show(&e.db, "zoe.muller@example.com").await;
    assert_eq!(zoe.total_spent_cents, 123_450, "1.234,50 with a decimal comma");
    assert_eq!(zoe.source, "csv_import");
    assert_eq!(show(&e.db, "jose@example.com").await.status, "unsubscribed");
    assert_eq!(show(&e.db, "plain@example.com").await.custom["Notes"], "ascii only");
}
