//! Unsubscribe links from the platform (`desktop:issueUnsubscribeLinks`, on the emulator): a fan
//! known to the platform gets its one-click link in the preview and in both List-Unsubscribe
//! headers of the sent message; a fan never pushed gets the configured fallback; an unreachable
//! platform stops a send (strict) but only falls back in a preview (lenient).

use fanbase_campaign::send::{self, SendControl, SendOptions};
use fanbase_campaign::testing::fixtures::{self, FanSpec};
use fanbase_campaign::testing::{ServerConfig, SmtpServer};
use fanbase_campaign::{preview, Pick, PlatformLinks, TlsMode};
use fanbase_core::Db;
use fanbase_emulator::{Emulator, Generate, Seed};
use fanbase_sync::{Client, Credentials, Token};

const NOW: i64 = 1_760_000_000_000;

async fn emulator() -> Emulator {
    let seed = Seed::generate(&Generate {
        seed: 7,
        now: NOW,
        stores: 1,
        customers_per_store: 5,
        users: 4,
        events_per_store: 0,
    });
    Emulator::start(seed).await.expect("the emulator starts")
}

/// A local store named like the platform's, with one fan linked to a platform customer and one
/// created offline.
async fn local(emu: &Emulator) -> (tempfile::TempDir, Db, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("fans.db")).await.unwrap();
    let store = emu.creator_store_id().to_string();
    let pk = fixtures::store(&db, &store, "Beat Academy").await;
    let remote = emu.state().customers(&store).into_iter().next().expect("a platform customer");
    fixtures::add_fan(&db, pk, &FanSpec::new("a-linked@x.co", "Ana Linked")).await;
    fixtures::add_fan(&db, pk, &FanSpec::new("b-offline@x.co", "Bo Offline")).await;
    sqlx::query("UPDATE customers SET remote_id = ? WHERE email_norm = 'a-linked@x.co'")
        .bind(&remote.id)
        .execute(db.pool())
        .await
        .unwrap();
    (dir, db, store)
}

fn client(url: &str, token: &str) -> Client {
    Client::new(&Credentials::new(url, Token::new(token)).unwrap()).unwrap()
}

#[tokio::test]
async fn platform_links_reach_the_preview_and_both_headers() {
    let emu = emulator().await;
    let (_dir, db, store) = local(&emu).await;
    let server = SmtpServer::start(ServerConfig::default()).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let links = PlatformLinks::strict(client(emu.url(), emu.creator_token()));
    let c = fixtures::campaign("Platform links");

    let first =
        preview(&db, &store, &c, &Pick::First, &links, Some(&account.settings), NOW).await.expect("preview as Ana");
    let platform_prefix = format!("{}/unsubscribe/", emu.url());
    assert!(first.unsubscribe_url.starts_with(&platform_prefix), "a pushed fan gets the platform link: {first:?}");
    assert!(first.rendered.html.contains(&first.unsubscribe_url), "the footer carries the platform link");
    let offline = preview(&db, &store, &c, &Pick::Email("b-offline@x.co".into()), &links, Some(&account.settings), NOW)
        .await
        .unwrap();
    assert!(
        offline.unsubscribe_url.starts_with("https://academy.example/unsubscribe"),
        "a fan the platform does not know yet gets the configured fallback: {}",
        offline.unsubscribe_url
    );

    let opts = SendOptions { rate: 50.0, connections: 1, ..SendOptions::default() };
    let summary = send::send(&db, &store, &c, &links, &account, &opts, &SendControl::new()).await.unwrap();
    assert_eq!(summary.tally.sent, 2, "both fans are sent to");
    let ana = server.received().into_iter().find(|m| m.to == ["a-linked@x.co"]).expect("Ana's message");
    let mail = fixtures::parse(&ana.data);
    assert!(
        mail.list_unsubscribe.contains(&first.unsubscribe_url),
        "List-Unsubscribe carries the platform's link: {}",
        mail.list_unsubscribe
    );
    // The emulator serves plain http on loopback; One-Click is only announced for https links.
    assert_eq!(mail.list_unsubscribe_post, "", "no One-Click header for an http link");
}

#[tokio::test]
async fn an_unreachable_platform_stops_a_send_but_not_a_preview() {
    let emu = emulator().await;
    let (_dir, db, store) = local(&emu).await;
    let server = SmtpServer::start(ServerConfig::default()).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    let c = fixtures::campaign("Offline");
    let wrong_token = || client(emu.url(), "not-a-token");

    let p =
        preview(&db, &store, &c, &Pick::First, &PlatformLinks::lenient(wrong_token()), Some(&account.settings), NOW)
            .await
            .expect("a preview falls back");
    assert!(p.unsubscribe_url.starts_with("https://academy.example/"), "fallback link: {}", p.unsubscribe_url);

    let err = send::start(&db, &store, &c, &PlatformLinks::strict(wrong_token()), Some(&account.settings), NOW)
        .await
        .expect_err("a send must not go out without the platform's links");
    assert_eq!(err.code(), "UNSUBSCRIBE_LINKS");
    assert_eq!(server.count(), 0, "nothing was sent");
}
