//! Campaign benchmark (`make bench-campaign`, release build). Prints figures; times nothing as a test.
//! 1. Render and queue 50,000 personalized messages (goal: under 5 s), against a reference measured
//!    in the same run: reading the same recipients from SQLite.
//! 2. Send to an SMTP sink on loopback at configured rates up to 400 msg/s and compare the rate
//!    achieved with the rate asked (goal: keeps up to at least 200 msg/s).

use std::time::{Duration, Instant};

use fanbase_campaign::audience;
use fanbase_campaign::send::{self, SendControl, SendOptions};
use fanbase_campaign::template::Compiled;
use fanbase_campaign::testing::{fixtures, ServerConfig, SmtpServer};
use fanbase_campaign::{message, Campaign, Layout, NoPlatform, TlsMode};
use fanbase_core::Db;

const RECIPIENTS: i64 = 50_000;

fn campaign(name: &str) -> Campaign {
    Campaign {
        template: Layout::Newsletter,
        body_markdown: Some(
            "Hi {{ first_name | default(\"there\") }},\n\nThe new **{{ type_of_music | default(\"production\") }}** course \
             for {{ daw | default(\"your DAW\") }} users is out.\n\n{% if \"vip\" in tags %}As a VIP you get 30% off.{% endif %}\n\n\
             - 40 lessons\n- project files\n- feedback sessions\n\n[See the course](https://academy.example/course?u={{ email }})"
                .into(),
        ),
        ..fixtures::campaign(name)
    }
}

async fn fill_active(db: &Db, store: &str, active: i64) -> i64 {
    fanbase_core::demo::fill(db, store, active as u64, 7, fanbase_core::now_ms()).await.expect("demo fill");
    // The demo data has ~6% suppressed fans; make exactly `active` recipients for round figures.
    sqlx::query("UPDATE customers SET status = 'active' WHERE store_pk = (SELECT pk FROM stores WHERE id = ?)")
        .bind(store)
        .execute(db.pool())
        .await
        .expect("activate");
    active
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("bench.db")).await.expect("open db");
    let n = fill_active(&db, "big", RECIPIENTS).await;
    let (store_pk, store_name) = fanbase_campaign::drafts::store(&db, "big").await.unwrap();
    let c = campaign("bench");
    println!("campaign benchmark — {n} recipients, layout {:?}", c.template);

    // Reference: read every recipient (merge data and tags) in pages, as `start` does.
    let t = Instant::now();
    let filter = audience::filter(&db, "big", &c, 0).await.unwrap();
    let mut fans = Vec::with_capacity(n as usize);
    loop {
        let after = fans.last().map(|f: &fanbase_campaign::merge::Fan| fanbase_core::text::normalize_email(&f.email));
        let page = audience::page(&db, store_pk, &filter, after.as_deref(), 5000).await.unwrap();
        if page.is_empty() {
            break;
        }
        fans.extend(page);
    }
    let read = t.elapsed();

    // Rendering alone, and rendering plus the full MIME message, for every recipient.
    let compiled = Compiled::new(&c, &store_name).unwrap();
    let t = Instant::now();
    let mut bytes = 0usize;
    for f in &fans {
        bytes += compiled.render(f, "https://academy.example/unsubscribe?e=x").unwrap().html.len();
    }
    let render = t.elapsed();
    let t = Instant::now();
    for (i, f) in fans.iter().enumerate() {
        let r = compiled.render(f, "https://academy.example/unsubscribe?e=x").unwrap();
        let id = message::message_id(1, i as i64, 1, &c.from_email);
        let env = message::Envelope {
            to_name: &f.name,
            to_email: &f.email,
            unsubscribe_url: "https://academy.example/unsubscribe?e=x",
            unsubscribe_mailto: Some("mailto:unsubscribe@academy.example"),
            message_id: &id,
            date_ms: 0,
        };
        bytes += message::build(&c, &r, &env).unwrap().formatted().len();
    }
    let mime = t.elapsed();

    // What the app does when sending starts: render every message once, then freeze the outbox.
    let t = Instant::now();
    let started = send::start(&db, "big", &c, &NoPlatform, None, 1).await.unwrap();
    let queue = t.elapsed();
    assert_eq!(started.queued as i64, n, "every recipient is queued");

    let per = |d: Duration| d.as_secs_f64() * 1e6 / n as f64;
    println!("\n1. render and queue ({n} personalized messages)");
    println!("   read recipients (reference)   {:>8.0} ms  {:>6.1} µs/msg", read.as_secs_f64() * 1e3, per(read));
    println!(
        "   render subject+preheader+HTML+text {:>3.0} ms  {:>6.1} µs/msg",
        render.as_secs_f64() * 1e3,
        per(render)
    );
    println!(
        "   render + build MIME           {:>8.0} ms  {:>6.1} µs/msg  ({} MB)",
        mime.as_secs_f64() * 1e3,
        per(mime),
        bytes / 1_000_000
    );
    println!(
        "   start = read + render all + queue {:>4.0} ms  {:>6.1} µs/msg  — {:.1}× the reference read, {:.0}% of the 5 s goal {}",
        queue.as_secs_f64() * 1e3,
        per(queue),
        queue.as_secs_f64() / read.as_secs_f64(),
        queue.as_secs_f64() / 5.0 * 100.0,
        if queue < Duration::from_secs(5) { "(met)" } else { "(MISSED)" }
    );

    println!("\n2. send to a local SMTP sink (plaintext, 4 connections)");
    println!("   {:>8} {:>9} {:>10} {:>10} {:>8}", "rate/s", "messages", "elapsed", "achieved/s", "ratio");
    let server = SmtpServer::start(ServerConfig::default()).await;
    let account = fixtures::account(&server, TlsMode::None, None);
    for rate in [50.0, 100.0, 200.0, 400.0] {
        let store = format!("rate{rate}");
        let count = (rate * 4.0) as i64;
        fill_active(&db, &store, count).await;
        let c = campaign(&format!("rate {rate}"));
        let started = send::start(&db, &store, &c, &NoPlatform, Some(&account.settings), 1).await.unwrap();
        let before = server.count();
        let options = SendOptions { rate, connections: 4, ..SendOptions::default() };
        let t = Instant::now();
        let summary = send::run(&db, started.campaign_id, &account, &options, &SendControl::new()).await.unwrap();
        let elapsed = t.elapsed().as_secs_f64();
        let delivered = server.count() - before;
        assert_eq!(delivered as i64, summary.tally.sent, "the sink got every message sent");
        // n messages at `rate` need (n - 1) / rate seconds between the first and the last.
        let achieved = (delivered as f64 - 1.0) / elapsed;
        println!(
            "   {:>8.0} {:>9} {:>9.2}s {:>10.1} {:>7.2}×  {}",
            rate,
            delivered,
            elapsed,
            achieved,
            achieved / rate,
            if achieved >= rate * 0.95 { "keeps up" } else { "FALLS BEHIND" }
        );
    }
    db.close().await;
}
