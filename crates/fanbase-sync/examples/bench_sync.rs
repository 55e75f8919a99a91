//! `make bench-sync`: pulls 100,000 customers from the local emulator into a fresh database file and
//! pushes 10,000 changes back, printing times and ratios against references measured in the same
//! run (the same pages fetched without writing; the same number of changes sent raw, no outbox).
//! Sizes: BENCH_CUSTOMERS (default 100000), BENCH_CHANGES (default 10000).

use std::time::{Duration, Instant};

use fanbase_core::Db;
use fanbase_emulator::{Emulator, Generate, Seed};
use fanbase_sync::wire::{Change, PaginationOpts};
use fanbase_sync::{no_progress, Cancel, Client, Credentials, SyncOptions, Token};
use serde_json::json;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// CPU seconds this process used so far (user + system, from /proc; 0 where there is no /proc).
fn cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The machine's 1-minute load average, to read the times against (2 cores here, shared).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().next().unwrap_or("?").to_string()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let customers = env_or("BENCH_CUSTOMERS", 100_000);
    let changes = env_or("BENCH_CHANGES", 10_000).min(customers);
    let started = Instant::now();
    let g = Generate {
        stores: 2,
        customers_per_store: customers,
        events_per_store: 0,
        ..Generate::at(fanbase_core::now_ms())
    };
    let emulator = Emulator::start(Seed::generate(&g)).await?;
    println!("emulator: 2 stores x {customers} customers on {} (ready in {})", emulator.url(), secs(started.elapsed()));
    let creator = Client::new(&Credentials::new(emulator.url(), Token::new(emulator.creator_token()))?)?;
    let admin = Client::new(&Credentials::new(emulator.url(), Token::new(emulator.admin_token()))?)?;
    let creator_store = emulator.creator_store_id().to_string();
    let admin_store =
        emulator.state().stores().into_iter().map(|s| s.store.id).find(|id| *id != creator_store).unwrap();

    // Reference for the pull: the same pages over the same HTTP, decoded, nothing written.
    let t = Instant::now();
    let (mut cursor, mut fetched) = (None, 0usize);
    loop {
        let page = creator.pull_customers(&creator_store, None, PaginationOpts { num_items: 1000, cursor }).await?;
        fetched += page.page.len();
        if page.is_done {
            break;
        }
        cursor = Some(page.continue_cursor);
    }
    let transport = t.elapsed();

    let dir = tempfile::tempdir()?;
    let db = Db::open(&dir.path().join("bench.db")).await?;
    let options = SyncOptions { store: Some(creator_store.clone()), ..SyncOptions::default() };
    let (t, c) = (Instant::now(), cpu());
    let report = fanbase_sync::sync(&db, &creator, &options, &no_progress, &Cancel::new()).await?;
    let (pull, pull_cpu) = (t.elapsed(), cpu() - c);
    assert_eq!(report.pulled as usize, customers, "the pull brought every customer");
    println!(
        "pull  {customers} customers: {}  ({:.0}/s, {pull_cpu:.2} s CPU incl. the emulator; HTTP+decode alone {} for \
         {fetched}: x{:.2}; load {})",
        secs(pull),
        customers as f64 / pull.as_secs_f64(),
        secs(transport),
        pull.as_secs_f64() / transport.as_secs_f64(),
        load()
    );

    // Reference for the push: the same number of changes built in memory and sent raw (admin store).
    let targets: Vec<(String, String, i64)> = emulator
        .state()
        .customers(&admin_store)
        .into_iter()
        .take(changes)
        .map(|c| (c.id, c.email, c.updated_at))
        .collect();
    let raw: Vec<Change> = targets
        .iter()
        .map(|(id, email, updated)| Change {
            change_id: uuid::Uuid::new_v4().to_string(),
            customer_id: Some(id.clone()),
            email: email.clone(),
            base_updated_at: Some(*updated),
            set: json!({"score": 777}).as_object().cloned().unwrap_or_default(),
            add_tags: vec!["bench".into()],
            remove_tags: vec![],
            delete: false,
        })
        .collect();
    let t = Instant::now();
    for batch in raw.chunks(100) {
        admin.push_customer_changes(&admin_store, batch).await?;
    }
    let raw_push = t.elapsed();

    // The real push: outbox rows as the contacts module records edits, then one sync.
    let mut tx = db.pool().begin().await?;
    sqlx::query(
        "INSERT INTO outbox (change_id, store_pk, customer_id, email, base_updated_at, set_fields, add_tags, origin,
            created_at)
         SELECT lower(hex(randomblob(16))), store_pk, id, email, remote_updated_at, '{\"score\":777}', '[\"bench\"]',
                'ui', 0
         FROM customers ORDER BY id LIMIT ?",
    )
    .bind(changes as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let (t, c) = (Instant::now(), cpu());
    let report = fanbase_sync::sync(&db, &creator, &options, &no_progress, &Cancel::new()).await?;
    let (push, push_cpu) = (t.elapsed(), cpu() - c);
    assert_eq!(report.pushed as usize, changes, "every change was applied");
    println!(
        "push  {changes} changes:   {}  ({:.0}/s, {push_cpu:.2} s CPU incl. the emulator; raw HTTP alone {}: x{:.2}; \
         load {})",
        secs(push),
        changes as f64 / push.as_secs_f64(),
        secs(raw_push),
        push.as_secs_f64() / raw_push.as_secs_f64(),
        load()
    );
    println!("goals: pull 100,000 < 10 s, push 10,000 < 10 s");
    db.close().await;
    Ok(())
}
