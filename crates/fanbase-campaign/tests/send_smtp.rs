//! Sending to a real SMTP server on loopback (plaintext, STARTTLS and implicit TLS with a test CA,
//! AUTH): exactly one message per recipient, personalization, both parts, both List-Unsubscribe
//! headers, suppressed fans left out, 4xx retried, 5xx failed, and runs that die midway resumed
//! without duplicates.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fanbase_campaign::send::{self, outbox, Phase, SendControl, SendOptions};
use fanbase_campaign::testing::fixtures::{self, FanSpec, Mail};
use fanbase_campaign::testing::{Fault, ServerConfig, SmtpServer, Stage, TestCa};
use fanbase_campaign::{drafts, send_test, Campaign, NoPlatform, Pick, SmtpAccount, TestMessage, TlsMode};
use fanbase_core::Db;

async fn db_with_fans(active: usize) -> (tempfile::TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("fans.db")).await.unwrap();
    let pk = fixtures::store(&db, "s1", "Beat Academy").await;
    for i in 0..active {
        let fan = FanSpec::new(&format!("fan{i:03}@x.co"), &format!("Fan{i:03} Doe"));
        let fan = if i % 4 == 0 { fan.tags(&["vip"]) } else { fan };
        fixtures::add_fan(&db, pk, &fan).await;
    }
    for (email, status) in [("un@x.co", "unsubscribed"), ("bn@x.co", "bounced"), ("co@x.co", "complained")] {
        fixtures::add_fan(&db, pk, &FanSpec::new(email, "Sup Pressed").status(status)).await;
    }
    (dir, db)
}

fn to_me() -> TestMessage {
    TestMessage { to: "me@x.co".into(), rendered_as: Pick::First }
}

fn options(rate: f64) -> SendOptions {
    SendOptions {
        rate,
        connections: 2,
        max_attempts: 4,
        retry_delay: Duration::from_millis(30),
        lease: Duration::from_millis(400),
        smtp_timeout: Duration::from_secs(5),
        ..SendOptions::default()
    }
}

/// Messages per recipient, parsed.
fn by_recipient(server: &SmtpServer) -> HashMap<String, Vec<Mail>> {
    let mut map: HashMap<String, Vec<Mail>> = HashMap::new();
    for m in server.received() {
        for to in &m.to {
            map.entry(to.clone()).or_default().push(fixtures::parse(&m.data));
        }
    }
    map
}

async fn send_all(db: &Db, c: &Campaign, account: &SmtpAccount, opts: &SendOptions) -> send::Summary {
    send::send(db, "s1", c, &NoPlatform, account, opts, &SendControl::new()).await.unwrap()
}

fn assert_each_got_one(server: &SmtpServer, n: usize) -> HashMap<String, Vec<Mail>> {
    let got = by_recipient(server);
    for i in 0..n {
        let email = format!("fan{i:03}@x.co");
        let count = got.get(&email).map_or(0, Vec::len);
        assert_eq!(count, 1, "{email} must get exactly one message, got {count}");
    }
    for email in ["un@x.co", "bn@x.co", "co@x.co"] {
        assert!(!got.contains_key(email), "suppressed fan {email} must get nothing");
    }
    assert_eq!(got.len(), n, "nobody else gets mail");
    got
}

#[tokio::test]
async fn plaintext_delivers_one_personalized_message_to_each_recipient() {
    let (_dir, db) = db_with_fans(12).await;
    let server = SmtpServer::start(ServerConfig::default()).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let summary = send_all(&db, &fixtures::campaign("c"), &account, &options(500.0)).await;
    assert_eq!((summary.phase, summary.tally.sent, summary.tally.total), (Phase::Done, 12, 12), "{summary:?}");

    let got = assert_each_got_one(&server, 12);
    let rows = outbox::rows(&db, summary.campaign_id).await.unwrap();
    for row in &rows {
        let mail = &got[&row.email][0];
        let n = &row.email[3..6];
        assert_eq!(row.state, "sent");
        assert!(row.smtp_reply.starts_with("250"), "the server's reply is kept: {}", row.smtp_reply);
        assert_eq!(format!("<{}>", mail.message_id), row.message_id, "the outbox records the Message-ID sent");
        assert_eq!(mail.subject, format!("Fan{n}, the course is out"), "personalized subject");
        assert_eq!(mail.content_type, "multipart/alternative");
        assert!(
            mail.text.contains(&format!("Hi Fan{n},")) && mail.text.contains(&row.email),
            "text part: {}",
            mail.text
        );
        assert!(
            mail.html.contains(&format!("Hi Fan{n},")) && mail.html.contains("<strong>course</strong>"),
            "HTML part"
        );
        assert_eq!(
            mail.html.contains("As a VIP"),
            n.parse::<usize>().unwrap() % 4 == 0,
            "the VIP block follows the tag"
        );
        let encoded = row.email.replace('@', "%40");
        assert_eq!(
            mail.list_unsubscribe,
            format!(
                "<https://academy.example/unsubscribe?e={encoded}>, <mailto:unsubscribe@academy.example?subject=unsubscribe%20{encoded}>"
            ),
            "List-Unsubscribe carries the fan's https link and a mailto"
        );
        assert_eq!(mail.list_unsubscribe_post, "List-Unsubscribe=One-Click", "one-click header for https links");
        assert!(mail.html.contains(&format!("https://academy.example/unsubscribe?e={encoded}")), "footer link");
    }
    let ids: std::collections::HashSet<_> = rows.iter().map(|r| r.message_id.clone()).collect();
    assert_eq!(ids.len(), 12, "every Message-ID is unique");

    let again = send_all(&db, &fixtures::campaign("c"), &account, &options(500.0)).await;
    assert_eq!(again.phase, Phase::Done);
    assert_eq!(server.count(), 12, "running a finished campaign again sends nothing");
    assert_eq!(drafts::get(&db, "s1", "c").await.unwrap().state, "done");
}

#[tokio::test]
async fn starttls_with_a_trusted_test_ca_and_auth() {
    let (_dir, db) = db_with_fans(4).await;
    let ca = Arc::new(TestCa::new());
    let server = SmtpServer::start(ServerConfig {
        starttls: Some(ca.clone()),
        credentials: Some(("creator".into(), "s3cret pass".into())),
        ..ServerConfig::default()
    })
    .await;
    let mut account = fixtures::account(&server, TlsMode::Starttls, Some(&ca));
    account.settings.username = "creator".into();
    account.password = Some("s3cret pass".into());
    let summary = send_all(&db, &fixtures::campaign("tls"), &account, &options(500.0)).await;
    assert_eq!((summary.phase, summary.tally.sent), (Phase::Done, 4));
    assert_each_got_one(&server, 4);
    assert!(
        server.received().iter().all(|m| m.tls && m.user.as_deref() == Some("creator")),
        "every message went over STARTTLS, authenticated"
    );

    // Without the CA the server's certificate is not trusted: the test send says so.
    let untrusted = fixtures::account(&server, TlsMode::Starttls, None);
    let err = send_test(&db, "s1", &fixtures::campaign("tls"), &to_me(), &untrusted, &NoPlatform, 1).await.unwrap_err();
    assert_eq!(err.code(), "SMTP_CONNECT", "an untrusted certificate refuses the connection: {err}");
    // STARTTLS is required: a server that does not offer it is refused, nothing is sent in clear.
    let plain = SmtpServer::start(ServerConfig::default()).await;
    let err = send_test(
        &db,
        "s1",
        &fixtures::campaign("tls"),
        &to_me(),
        &fixtures::account(&plain, TlsMode::Starttls, Some(&ca)),
        &NoPlatform,
        1,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("STARTTLS"), "{err}");
    assert_eq!(plain.count(), 0);
}

#[tokio::test]
async fn implicit_tls_and_send_test() {
    let (_dir, db) = db_with_fans(3).await;
    let ca = Arc::new(TestCa::new());
    let server = SmtpServer::start(ServerConfig { implicit_tls: Some(ca.clone()), ..ServerConfig::default() }).await;
    let account = fixtures::account(&server, TlsMode::Implicit, Some(&ca));
    let sent = send_test(
        &db,
        "s1",
        &fixtures::campaign("t"),
        &TestMessage { to: "me@studio.co".into(), rendered_as: Pick::Email("fan001@x.co".into()) },
        &account,
        &NoPlatform,
        1,
    )
    .await
    .unwrap();
    assert_eq!(sent.rendered_as.as_deref(), Some("fan001@x.co"));
    let got = by_recipient(&server);
    let mail = &got["me@studio.co"][0];
    assert_eq!(mail.subject, "[Test] Fan001, the course is out", "a test shows the chosen fan's rendering");
    assert!(server.received()[0].tls, "implicit TLS");
    assert!(drafts::list(&db, "s1").await.unwrap().is_empty(), "a test send records no campaign");
}

#[tokio::test]
async fn temporary_replies_are_retried_and_permanent_ones_fail() {
    let (_dir, db) = db_with_fans(6).await;
    let rule: fanbase_campaign::testing::Rule = Arc::new(|stage, rcpt, n| match (stage, rcpt) {
        (Stage::DataEnd, "fan001@x.co") if n < 2 => Some(Fault::Reply("451 4.3.0 try again later".into())),
        (Stage::Rcpt, "fan002@x.co") => Some(Fault::Reply("550 5.1.1 no such user".into())),
        (Stage::Rcpt, "fan003@x.co") => Some(Fault::Reply("421 4.7.0 too busy".into())),
        _ => None,
    });
    let server = SmtpServer::start(ServerConfig { rule: Some(rule), ..ServerConfig::default() }).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let summary = send_all(&db, &fixtures::campaign("r"), &account, &options(500.0)).await;
    assert_eq!(summary.phase, Phase::Done, "a failed recipient does not stop the campaign");
    let rows: HashMap<String, outbox::Row> =
        outbox::rows(&db, summary.campaign_id).await.unwrap().into_iter().map(|r| (r.email.clone(), r)).collect();
    let got = by_recipient(&server);

    let retried = &rows["fan001@x.co"];
    assert_eq!((retried.state.as_str(), retried.attempts), ("sent", 3), "two 451s, then accepted on the third try");
    assert_eq!(got["fan001@x.co"].len(), 1, "retries deliver once");
    let refused = &rows["fan002@x.co"];
    assert_eq!((refused.state.as_str(), refused.attempts), ("failed", 1), "a 5xx is final at once");
    assert!(
        refused.smtp_reply.contains("550") && refused.smtp_reply.contains("no such user"),
        "{}",
        refused.smtp_reply
    );
    let busy = &rows["fan003@x.co"];
    assert_eq!((busy.state.as_str(), busy.attempts), ("failed", 4), "a 4xx that never clears fails after max_attempts");
    assert!(busy.smtp_reply.contains("gave up after 4 attempts"), "{}", busy.smtp_reply);
    assert!(!got.contains_key("fan002@x.co") && !got.contains_key("fan003@x.co"));
    for email in ["fan000@x.co", "fan004@x.co", "fan005@x.co"] {
        assert_eq!(got[email].len(), 1, "{email}: the others are unaffected");
    }
    assert_eq!((summary.tally.sent, summary.tally.failed), (4, 2));
}

#[tokio::test]
async fn a_fan_who_unsubscribes_mid_send_is_skipped() {
    let (_dir, db) = db_with_fans(8).await;
    let server = Arc::new(SmtpServer::start(ServerConfig::default()).await);
    let account = fixtures::account(&server, TlsMode::None, None);
    let (db2, watch) = (db.clone(), server.clone());
    let unsubscriber = tokio::spawn(async move {
        while watch.count() < 2 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        fixtures::set_status(&db2, "fan007@x.co", "unsubscribed").await;
    });
    let mut opts = options(40.0);
    opts.connections = 1;
    let summary = send_all(&db, &fixtures::campaign("u"), &account, &opts).await;
    unsubscriber.await.unwrap();
    let got = by_recipient(&server);
    assert!(!got.contains_key("fan007@x.co"), "the fan unsubscribed before their turn: nothing is sent");
    assert_eq!(got.len(), 7);
    let row =
        outbox::rows(&db, summary.campaign_id).await.unwrap().into_iter().find(|r| r.email == "fan007@x.co").unwrap();
    assert_eq!((row.state.as_str(), row.smtp_reply.as_str()), ("skipped", "not sent: the fan is unsubscribed"));
    assert_eq!((summary.tally.sent, summary.tally.skipped), (7, 1));
}

#[tokio::test]
async fn a_run_dropped_midway_resumes_without_duplicates() {
    let (_dir, db) = db_with_fans(40).await;
    let server = Arc::new(
        SmtpServer::start(ServerConfig { data_delay: Duration::from_millis(3), ..ServerConfig::default() }).await,
    );
    let account = fixtures::account(&server, TlsMode::None, None);
    let c = fixtures::campaign("k");
    let opts = options(100.0);
    let started = send::start(&db, "s1", &c, &NoPlatform, Some(&account.settings), 1).await.unwrap();

    // The first run is dropped (like a killed process) once about a third has gone out.
    let watch = server.clone();
    let control = SendControl::new();
    let run = send::run(&db, started.campaign_id, &account, &opts, &control);
    tokio::select! {
        _ = run => panic!("the run must not finish before it is dropped"),
        _ = async { while watch.count() < 13 { tokio::time::sleep(Duration::from_millis(1)).await } } => {}
    }
    let delivered_before = server.count();
    assert!(delivered_before < 40, "the run was stopped midway ({delivered_before} sent)");

    // The next run waits out the dead run's lease, then finishes.
    let summary = send::run(&db, started.campaign_id, &account, &opts, &SendControl::new()).await.unwrap();
    assert_eq!(summary.phase, Phase::Done);
    let rows = outbox::rows(&db, started.campaign_id).await.unwrap();
    let got = by_recipient(&server);
    for row in &rows {
        let n = got.get(&row.email).map_or(0, Vec::len);
        match row.state.as_str() {
            "sent" => assert_eq!(n, 1, "{} is sent: exactly one message", row.email),
            "failed" => {
                assert!(
                    row.smtp_reply.starts_with(outbox::UNKNOWN_OUTCOME),
                    "only a transaction cut by the drop fails"
                );
                assert!(n <= 1, "{} caught mid-transaction is never resent", row.email);
            }
            other => panic!("{} ended {other}", row.email),
        }
    }
    assert!(
        summary.interrupted <= opts.connections as u64,
        "at most one row per connection can be caught mid-transaction"
    );
    assert_eq!(summary.tally.sent + summary.tally.failed, 40);
    assert!(got.values().all(|m| m.len() == 1), "no recipient got two messages");
}

#[tokio::test]
async fn rows_left_sending_by_a_crash_are_not_resent_unless_asked() {
    let (_dir, db) = db_with_fans(3).await;
    let server = SmtpServer::start(ServerConfig::default()).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let started = send::start(&db, "s1", &fixtures::campaign("x"), &NoPlatform, None, 1).await.unwrap();
    // A crash between the committed `sending` mark and the server's answer leaves this row.
    sqlx::query("UPDATE campaign_recipients SET state = 'sending', attempts = 1 WHERE email = 'fan001@x.co'")
        .execute(db.pool())
        .await
        .unwrap();
    let summary = send::run(&db, started.campaign_id, &account, &options(500.0), &SendControl::new()).await.unwrap();
    assert_eq!((summary.interrupted, summary.tally.sent, summary.tally.failed), (1, 2, 1));
    assert!(!by_recipient(&server).contains_key("fan001@x.co"), "an unknown outcome is never retried on its own");
    assert_eq!(outbox::requeue_unknown(&db, started.campaign_id, 2).await.unwrap(), 1, "the author may ask for it");
    send::run(&db, started.campaign_id, &account, &options(500.0), &SendControl::new()).await.unwrap();
    assert_eq!(by_recipient(&server)["fan001@x.co"].len(), 1);
}

#[tokio::test]
async fn a_connection_lost_after_the_message_is_an_unknown_outcome() {
    let (_dir, db) = db_with_fans(4).await;
    let rule: fanbase_campaign::testing::Rule = Arc::new(|stage, rcpt, n| {
        (stage == Stage::DataEnd && rcpt == "fan002@x.co" && n == 0).then_some(Fault::DropAfterAccept)
    });
    let server = SmtpServer::start(ServerConfig { rule: Some(rule), ..ServerConfig::default() }).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let summary = send_all(&db, &fixtures::campaign("d"), &account, &options(500.0)).await;
    let row =
        outbox::rows(&db, summary.campaign_id).await.unwrap().into_iter().find(|r| r.email == "fan002@x.co").unwrap();
    assert_eq!(row.state, "failed");
    assert!(row.smtp_reply.starts_with(outbox::UNKNOWN_OUTCOME), "{}", row.smtp_reply);
    assert_eq!(by_recipient(&server)["fan002@x.co"].len(), 1, "the server kept it; it is not sent a second time");
    assert_eq!(summary.tally.sent, 3, "the others go out over a new connection");
}

#[tokio::test]
async fn pause_resume_and_cancel() {
    let (_dir, db) = db_with_fans(30).await;
    let server = Arc::new(SmtpServer::start(ServerConfig::default()).await);
    let account = fixtures::account(&server, TlsMode::None, None);
    let control = SendControl::new();
    let (db2, c2, acc2, ctl2) = (db.clone(), fixtures::campaign("p"), account.clone(), control.clone());
    let task =
        tokio::spawn(async move { send::send(&db2, "s1", &c2, &NoPlatform, &acc2, &options(50.0), &ctl2).await });
    while server.count() < 4 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    control.pause();
    // Messages already handed to the server finish; then nothing moves.
    while control.progress().phase != Phase::Paused || control.progress().tally.sending > 0 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let paused_at = server.count();
    tokio::time::sleep(Duration::from_millis(250)).await;
    assert_eq!(server.count(), paused_at, "nothing is sent while paused");
    assert_eq!(control.progress().phase, Phase::Paused);
    assert_eq!(drafts::get(&db, "s1", "p").await.unwrap().state, "paused", "the pause is saved");
    control.resume();
    while server.count() < paused_at + 4 {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    control.cancel();
    let summary = task.await.unwrap().unwrap();
    assert_eq!(summary.phase, Phase::Cancelled);
    assert!(summary.tally.queued > 0, "the rest stays unsent");
    assert_eq!(summary.tally.sent as usize, server.count(), "the progress counts what the server got");
    assert_eq!(drafts::get(&db, "s1", "p").await.unwrap().state, "cancelled");
    let err = send_all_err(&db, &fixtures::campaign("p"), &account).await;
    assert_eq!(err, "CAMPAIGN_CANCELLED", "a cancelled campaign is not resumed");
}

async fn send_all_err(db: &Db, c: &Campaign, account: &SmtpAccount) -> &'static str {
    send::send(db, "s1", c, &NoPlatform, account, &options(500.0), &SendControl::new()).await.unwrap_err().code()
}

#[tokio::test]
async fn the_rate_limit_spaces_messages_and_one_run_at_a_time() {
    let (_dir, db) = db_with_fans(21).await;
    let server = SmtpServer::start(ServerConfig::default()).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let started = send::start(&db, "s1", &fixtures::campaign("rate"), &NoPlatform, None, 1).await.unwrap();
    let opts = options(20.0);
    let clock = Instant::now();
    let control = SendControl::new();
    let first = send::run(&db, started.campaign_id, &account, &opts, &control);
    let second = async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        send::run(&db, started.campaign_id, &account, &opts, &SendControl::new()).await
    };
    let (first, second) = tokio::join!(first, second);
    let elapsed = clock.elapsed();
    assert_eq!(first.unwrap().tally.sent, 21);
    assert_eq!(second.unwrap_err().code(), "CAMPAIGN_BUSY", "a live run's campaign is not sent by a second run");
    assert!(elapsed >= Duration::from_millis(1000), "21 messages at 20/s take at least 1 s, took {elapsed:?}");
    assert_eq!(server.count(), 21);
}
