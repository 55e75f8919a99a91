//! Preview on a real SQLite file: exact counts without suppressed fans, preview as any fan (by
//! email, stepping), every warning, blocking rules, and drafts.

use fanbase_campaign::drafts;
use fanbase_campaign::testing::fixtures::{self, FanSpec};
use fanbase_campaign::{preview, send, Campaign, Error, NoPlatform, Pick};
use fanbase_core::Db;
use serde_json::json;

async fn db() -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("fans.db")).await.unwrap();
    (dir, db)
}

/// Five active fans (two without any first name), and one fan of each suppressed status.
async fn seeded() -> (tempfile::TempDir, Db) {
    let (dir, db) = db().await;
    let pk = fixtures::store(&db, "s1", "Beat Academy").await;
    for fan in [
        FanSpec::new("ana@x.co", "Ana Silva").daw("Ableton").tags(&["VIP"]).custom(json!({"level": "pro"})),
        FanSpec::new("bo@x.co", "Bo Chen").daw("FL Studio"),
        FanSpec::new("cy@x.co", "").first_name(""),
        FanSpec::new("di@x.co", "di@x.co"),
        FanSpec::new("ed@x.co", "Ed Kim").first_name("Eddie"),
        FanSpec::new("un@x.co", "Un Sub").status("unsubscribed"),
        FanSpec::new("bn@x.co", "Bou Nce").status("bounced"),
        FanSpec::new("co@x.co", "Com Plain").status("complained"),
    ] {
        fixtures::add_fan(&db, pk, &fan).await;
    }
    (dir, db)
}

fn warning_codes(p: &fanbase_campaign::Preview) -> Vec<&str> {
    p.warnings.iter().map(|w| w.code).collect()
}

#[tokio::test]
async fn counts_are_exact_and_leave_out_suppressed_fans() {
    let (_dir, db) = seeded().await;
    let p = preview(&db, "s1", &fixtures::campaign("c"), &Pick::First, &NoPlatform, None, 1).await.unwrap();
    assert_eq!(p.counts.recipients, 5, "only active fans are recipients");
    assert_eq!(p.counts.suppressed, 3, "unsubscribed, bounced and complained are counted as left out");
    assert_eq!((p.counts.unsubscribed, p.counts.bounced, p.counts.complained), (1, 1, 1));
    let err = preview(&db, "s1", &fixtures::campaign("c"), &Pick::Email("un@x.co".into()), &NoPlatform, None, 1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RecipientNotFound(_)), "a suppressed fan cannot be previewed as a recipient: {err}");
}

#[tokio::test]
async fn preview_as_two_fans_shows_each_their_own_message() {
    let (_dir, db) = seeded().await;
    let c = fixtures::campaign("c");
    let ana = preview(&db, "s1", &c, &Pick::Email("ANA@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    let bo = preview(&db, "s1", &c, &Pick::After("ana@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    assert_eq!(ana.fan.as_ref().unwrap().position, 0);
    assert_eq!(bo.fan.as_ref().unwrap().email, "bo@x.co", "stepping forward goes to the next recipient by email");
    assert_eq!(bo.fan.as_ref().unwrap().position, 1);
    assert_eq!(ana.rendered.subject, "Ana, the course is out");
    assert_eq!(bo.rendered.subject, "Bo, the course is out");
    assert!(ana.rendered.html.contains("As a VIP you get 30% off."), "tags are case-insensitive: VIP is vip");
    assert!(!bo.rendered.html.contains("VIP"), "Bo is no VIP");
    assert_eq!(ana.rendered.preheader, "Made for Ableton users");
    assert_eq!(
        ana.unsubscribe_url, "mailto:news@academy.example?subject=unsubscribe%20ana%40x.co",
        "no platform, no template"
    );
    let cy = preview(&db, "s1", &c, &Pick::Email("cy@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    assert_eq!(cy.rendered.subject, "there, the course is out", "the fallback is what Cy gets");
    let di = preview(&db, "s1", &c, &Pick::Email("di@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    assert_eq!(di.rendered.subject, "there, the course is out", "an email in the name field is no first name");
    let ed = preview(&db, "s1", &c, &Pick::Email("ed@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    assert_eq!(ed.rendered.subject, "Eddie, the course is out", "a stored first name wins over the name");
    let back = preview(&db, "s1", &c, &Pick::Before("bo@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    assert_eq!(back.fan.unwrap().email, "ana@x.co", "stepping back");
    let end = preview(&db, "s1", &c, &Pick::After("ed@x.co".into()), &NoPlatform, None, 1).await.unwrap();
    assert_eq!(end.fan.unwrap().email, "ed@x.co", "stepping past the last recipient stays on it");
}

#[tokio::test]
async fn a_clean_campaign_only_warns_about_missing_merge_data() {
    let (_dir, db) = seeded().await;
    let p = preview(&db, "s1", &fixtures::campaign("c"), &Pick::First, &NoPlatform, None, 1).await.unwrap();
    let missing: Vec<&str> =
        p.warnings.iter().filter(|w| w.code == "missing_merge_data").map(|w| w.message.as_str()).collect();
    assert!(
        missing.contains(&"2 recipients have no first name; the fallback 'there' will be used"),
        "counted over recipients with the author's fallback: {missing:?}"
    );
    assert!(
        missing.contains(&"3 recipients have no DAW; the fallback 'your DAW' will be used"),
        "the preheader's tags count too: {missing:?}"
    );
    assert_eq!(warning_codes(&p), vec!["missing_merge_data", "missing_merge_data"], "nothing else is wrong");
    assert!(p.can_send, "warnings that do not block leave the campaign sendable");
}

#[tokio::test]
async fn every_warning_is_reported_and_two_block_sending() {
    let (_dir, db) = seeded().await;
    let c = Campaign {
        name: "bad".into(),
        subject: "An extremely long subject line that goes on and on about the new course for {{ name }} today".into(),
        body_html: Some("<html><body><img src=\"cover.png\"><img src=\"b.png\" alt=\"\">{{ frist_name }}{{ custom.nope }}</body></html>".into()),
        from_name: "A".into(),
        from_email: "a@academy.example".into(),
        ..Campaign::default()
    };
    let p = preview(&db, "s1", &c, &Pick::First, &NoPlatform, None, 1).await.unwrap();
    let codes = warning_codes(&p);
    for code in [
        "missing_merge_data",
        "undefined_variable",
        "no_unsubscribe_link",
        "no_postal_address",
        "long_subject",
        "image_without_alt",
        "empty_text_part",
    ] {
        assert!(codes.contains(&code), "{code} must be reported: {:#?}", p.warnings);
    }
    let undefined: Vec<&str> =
        p.warnings.iter().filter(|w| w.code == "undefined_variable").map(|w| w.message.as_str()).collect();
    assert!(undefined.iter().any(|m| m.contains("frist_name")), "a misspelt tag is named: {undefined:?}");
    assert!(undefined.iter().any(|m| m.contains("custom.nope")), "a custom field nobody has is named: {undefined:?}");
    assert!(
        p.warnings.iter().any(|w| w.code == "missing_merge_data" && w.message.starts_with("1 recipient has no name")),
        "{:#?}",
        p.warnings
    );
    assert_eq!(p.warnings.iter().find(|w| w.code == "image_without_alt").unwrap().count, Some(2));
    let blocking: Vec<&str> = p.warnings.iter().filter(|w| w.blocking).map(|w| w.code).collect();
    assert_eq!(blocking, vec!["no_unsubscribe_link", "no_postal_address"], "only these two block");
    assert!(!p.can_send);
    let err = send::start(&db, "s1", &c, &NoPlatform, None, 1).await.unwrap_err();
    assert_eq!(err.code(), "SEND_BLOCKED", "starting a blocked campaign is refused: {err}");
    assert!(err.to_string().contains("unsubscribe link") && err.to_string().contains("postal address"), "{err}");
}

#[tokio::test]
async fn a_campaign_without_recipients_previews_a_sample_fan() {
    let (_dir, db) = db().await;
    fixtures::store(&db, "empty", "Empty").await;
    let p = preview(&db, "empty", &fixtures::campaign("c"), &Pick::First, &NoPlatform, None, 1).await.unwrap();
    assert_eq!(p.counts.recipients, 0);
    assert!(p.fan.is_none(), "no real fan");
    assert_eq!(p.rendered.subject, "Sample, the course is out");
    assert!(!p.can_send, "nobody to send to");
    let err = send::start(&db, "empty", &fixtures::campaign("c"), &NoPlatform, None, 1).await.unwrap_err();
    assert_eq!(err.code(), "NO_RECIPIENTS");
}

#[tokio::test]
async fn drafts_are_saved_listed_and_frozen_once_started() {
    let (_dir, db) = seeded().await;
    let mut c = fixtures::campaign("Spring launch");
    let id = drafts::save(&db, "s1", &c, 10).await.unwrap();
    c.subject = "Edited {{ first_name }}".into();
    assert_eq!(drafts::save(&db, "s1", &c, 20).await.unwrap(), id, "saving again updates the same draft");
    let saved = drafts::get(&db, "s1", "Spring launch").await.unwrap();
    assert_eq!((saved.state.as_str(), saved.campaign.subject.as_str()), ("draft", "Edited {{ first_name }}"));
    assert_eq!(drafts::list(&db, "s1").await.unwrap().len(), 1);

    let started = send::start(&db, "s1", &c, &NoPlatform, None, 30).await.unwrap();
    assert_eq!((started.campaign_id, started.queued, started.resumed), (id, 5, false), "5 recipients frozen");
    let again = send::start(&db, "s1", &c, &NoPlatform, None, 40).await.unwrap();
    assert!(again.resumed && again.queued == 0, "starting again only finds the started campaign");
    c.subject = "Changed after start".into();
    assert_eq!(drafts::save(&db, "s1", &c, 50).await.unwrap_err().code(), "CAMPAIGN_CHANGED");
    assert_eq!(send::start(&db, "s1", &c, &NoPlatform, None, 50).await.unwrap_err().code(), "CAMPAIGN_CHANGED");
    let rows = send::outbox::rows(&db, id).await.unwrap();
    assert!(rows.iter().all(|r| r.state == "queued"), "frozen rows wait in the outbox");
    assert!(
        !rows.iter().any(|r| r.email == "un@x.co" || r.email == "bn@x.co" || r.email == "co@x.co"),
        "no suppressed fan is frozen"
    );
    assert_eq!(drafts::unfinished(&db).await.unwrap().len(), 1, "the window resumes it on start");
}

#[tokio::test]
async fn recipients_can_be_a_segment_inline_or_saved() {
    let (_dir, db) = seeded().await;
    let mut c = fixtures::campaign("seg");
    c.segment = Some(json!({"any": [{"field": "daw", "op": "eq", "value": "ableton"},
                                    {"field": "name", "op": "starts_with", "value": "bo"},
                                    {"field": "name", "op": "starts_with", "value": "com"}]}));
    let p = preview(&db, "s1", &c, &Pick::First, &NoPlatform, None, 1).await.unwrap();
    assert_eq!(
        p.counts.recipients, 2,
        "Ana (Ableton, case-insensitive) and Bo Chen; Bou Nce and Com Plain are suppressed"
    );
    assert_eq!(
        (p.counts.suppressed, p.counts.bounced, p.counts.complained),
        (2, 1, 1),
        "suppressed members are counted"
    );
    let started = send::start(&db, "s1", &c, &NoPlatform, None, 1).await.unwrap();
    let emails: Vec<String> =
        send::outbox::rows(&db, started.campaign_id).await.unwrap().into_iter().map(|r| r.email).collect();
    assert_eq!(emails, vec!["ana@x.co", "bo@x.co"], "exactly the segment's active members are frozen");

    let mut named = fixtures::campaign("named");
    named.segment_name = Some("Suppressed: unsubscribed, bounced or complained".into());
    let p = preview(&db, "s1", &named, &Pick::First, &NoPlatform, None, 1).await.unwrap();
    assert_eq!((p.counts.recipients, p.counts.suppressed), (0, 3), "a segment of suppressed fans reaches nobody");

    named.segment_name = Some("No such segment".into());
    let err = preview(&db, "s1", &named, &Pick::First, &NoPlatform, None, 1).await.unwrap_err();
    assert_eq!(err.code(), "SEGMENT_NOT_FOUND", "{err}");
    c.segment = Some(json!({"all": [{"field": "daw", "op": "gte ", "value": 1}]}));
    let err = preview(&db, "s1", &c, &Pick::First, &NoPlatform, None, 1).await.unwrap_err();
    assert_eq!(err.code(), "SEGMENT_INVALID");
    assert!(err.to_string().contains("all[0].op"), "the bad node's path is named: {err}");
}

/// Stands in for the sync crate's `desktop:issueUnsubscribeLinks`: only fans with a platform id get a link.
struct Platform;

impl fanbase_campaign::UnsubscribeLinks for Platform {
    fn issue<'a>(
        &'a self,
        store_id: &'a str,
        fans: &'a [fanbase_campaign::merge::Fan],
    ) -> fanbase_campaign::unsubscribe::BoxFuture<'a, fanbase_campaign::Result<std::collections::HashMap<i64, String>>>
    {
        Box::pin(async move {
            assert!(fans.len() <= 500, "the platform takes at most 500 customers per call");
            Ok(fans
                .iter()
                .filter_map(|f| {
                    f.remote_id
                        .as_ref()
                        .map(|id| (f.customer_id, format!("https://platform.example/u/{store_id}/{id}")))
                })
                .collect())
        })
    }
}

#[tokio::test]
async fn the_platform_link_is_used_when_issued_else_the_fallback() {
    let (_dir, db) = seeded().await;
    sqlx::query("UPDATE customers SET remote_id = 'cus_ana' WHERE email_norm = 'ana@x.co'")
        .execute(db.pool())
        .await
        .unwrap();
    let c = fixtures::campaign("links");
    let ana = preview(&db, "s1", &c, &Pick::Email("ana@x.co".into()), &Platform, None, 1).await.unwrap();
    assert_eq!(ana.unsubscribe_url, "https://platform.example/u/s1/cus_ana", "a synced fan gets the platform's link");
    assert!(ana.rendered.html.contains("https://platform.example/u/s1/cus_ana"), "and the footer shows it");
    let settings = fanbase_campaign::SmtpSettings {
        host: "h".into(),
        port: 25,
        tls: fanbase_campaign::TlsMode::None,
        username: String::new(),
        ca_pem: String::new(),
        unsubscribe_url_template: "https://academy.example/u?e={email}&c={customer_id}".into(),
        unsubscribe_mailto: String::new(),
    };
    let bo = preview(&db, "s1", &c, &Pick::Email("bo@x.co".into()), &Platform, Some(&settings), 1).await.unwrap();
    assert!(
        bo.unsubscribe_url.starts_with("https://academy.example/u?e=bo%40x.co&c="),
        "not synced yet: {}",
        bo.unsubscribe_url
    );
    let started = send::start(&db, "s1", &c, &Platform, Some(&settings), 1).await.unwrap();
    let rows = send::outbox::rows(&db, started.campaign_id).await.unwrap();
    assert_eq!(
        rows[0].unsubscribe_url, "https://platform.example/u/s1/cus_ana",
        "links are frozen with the recipients"
    );
    assert!(rows[1..].iter().all(|r| r.unsubscribe_url.starts_with("https://academy.example/u?e=")));
}

#[tokio::test]
async fn counts_alone_show_even_while_a_template_is_broken() {
    let (_dir, db) = seeded().await;
    let mut c = fixtures::campaign("Broken");
    c.subject = "Hi {{ first_name".into();
    let err = preview(&db, "s1", &c, &Pick::First, &NoPlatform, None, 1).await.unwrap_err();
    assert_eq!(err.code(), "TEMPLATE", "the preview names the template error");
    let counts = fanbase_campaign::audience::count(&db, "s1", &c, 1).await.unwrap();
    assert_eq!((counts.recipients, counts.suppressed), (5, 3), "the counts do not need the templates");
    assert_eq!((counts.unsubscribed, counts.bounced, counts.complained), (1, 1, 1));
}
