//! `make bench-segments`: on N demo contacts (default 1,000,000) in a real database file, times
//! counting a 6-condition segment in 3 nested groups, a full recompute of every score, and an
//! incremental event import, beside the plain store count measured in the same run.
//! Usage: `bench_segments [ROWS]`. Prints figures and the goals; not a test.

use std::time::{Duration, Instant};

use fanbase_core::{contacts, demo, stores, Db};
use fanbase_segments::{count, engagement, scoring, Segment};

const DAY: i64 = 86_400_000;
const COUNT_GOAL: Duration = Duration::from_millis(100);
const RECOMPUTE_GOAL: Duration = Duration::from_secs(5);

/// The issue's example plus a level condition: 6 conditions in 3 groups (all > any, none).
const NESTED: &str = r#"{"all": [
  {"field": "daw", "op": "eq", "value": "Ableton"},
  {"any": [{"field": "tags", "op": "has_any", "value": ["vip", "course-buyer"]},
           {"field": "score", "op": "gte", "value": 50}]},
  {"none": [{"field": "status", "op": "in", "value": ["unsubscribed", "bounced", "complained"]}]},
  {"field": "last_open_date", "op": "within_days", "value": 90},
  {"field": "student_level", "op": "in", "value": ["Intermediate", "Advanced"]}
]}"#;

/// A segment no index helps with (every condition is a text search or an OR): a full scan.
const SCAN: &str = r#"{"any": [
  {"all": [{"field": "name", "op": "contains", "value": "ana"}, {"field": "type", "op": "eq", "value": "lead"}]},
  {"all": [{"field": "email", "op": "ends_with", "value": ".de"}, {"field": "opens_email", "op": "eq", "value": true}]},
  {"none": [{"field": "tags", "op": "is_not_empty"}, {"field": "score", "op": "lt", "value": 100}]}
]}"#;

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn verdict(d: Duration, goal: Duration) -> &'static str {
    if d <= goal {
        "meets the goal"
    } else {
        "MISSES the goal"
    }
}

/// CPU time (user + system) this process has used, from /proc (Linux; zero elsewhere). Other
/// processes on a shared machine slow the wall clock, not this.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

/// Timings of `runs` runs of `f` after one warm-up: (median wall time, mean CPU time, last result).
async fn timed<T, F, Fut>(runs: usize, mut f: F) -> (Duration, Duration, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let mut last = f().await;
    let mut times = Vec::with_capacity(runs);
    let cpu_start = cpu();
    for _ in 0..runs {
        let start = Instant::now();
        last = f().await;
        times.push(start.elapsed());
    }
    let cpu_each = (cpu() - cpu_start) / runs as u32;
    times.sort();
    (times[runs / 2], cpu_each, last)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rows: u64 = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(1_000_000);
    let dir = tempfile::tempdir()?;
    // BENCH_DB=PATH keeps the database for a look with sqlite3 afterwards.
    let path =
        std::env::var_os("BENCH_DB").map(std::path::PathBuf::from).unwrap_or_else(|| dir.path().join("bench.db"));
    let db = Db::open(&path).await?;
    let now = 1_750_000_000_000i64;

    let start = Instant::now();
    demo::fill(&db, "bench", rows, 7, now).await?;
    println!("filled {rows} demo contacts in {:.1} s", start.elapsed().as_secs_f64());
    let store_pk = stores::pk(&db, "bench").await?;

    // Events for scoring: one open per fan who opens (at the last open), one more 200 days
    // earlier for a third of them, a click for clickers, a purchase for each paying fan.
    let start = Instant::now();
    let events = sqlx::query(
        "INSERT INTO engagement_events (store_pk, customer_id, email_norm, kind, at, amount_cents, applied_at, origin)
         SELECT store_pk, id, email_norm, 'open', last_open_date, 0, ?1, 'import' FROM customers WHERE store_pk = ?2 AND opens_email = 1
         UNION ALL SELECT store_pk, id, email_norm, 'open', last_open_date - 200 * ?3, 0, ?1, 'import' FROM customers
             WHERE store_pk = ?2 AND opens_email = 1 AND id % 3 = 0
         UNION ALL SELECT store_pk, id, email_norm, 'click', last_open_date, 0, ?1, 'import' FROM customers WHERE store_pk = ?2 AND clicks_links = 1
         UNION ALL SELECT store_pk, id, email_norm, 'purchase', created_at, total_spent_cents, ?1, 'import' FROM customers
             WHERE store_pk = ?2 AND total_spent_cents > 0",
    )
    .bind(now)
    .bind(store_pk)
    .bind(DAY)
    .execute(db.pool())
    .await?
    .rows_affected();
    println!("stored {events} engagement events in {:.1} s", start.elapsed().as_secs_f64());

    let (reference, reference_cpu, total) = timed(20, || contacts::count(&db, "bench")).await;
    let total = total?;
    println!(
        "\nreference: plain count of the store ({total} contacts): {} wall, {} CPU",
        ms(reference),
        ms(reference_cpu)
    );

    let nested = Segment::from_json_str(NESTED)?;
    let (t, t_cpu, n) = timed(20, || count(&db, "bench", &nested, now)).await;
    println!(
        "count, 6 conditions in 3 nested groups: {} wall, {} CPU ({} matching), {:.1}x the plain count; goal < {}: {}",
        ms(t),
        ms(t_cpu),
        n?,
        t.as_secs_f64() / reference.as_secs_f64(),
        ms(COUNT_GOAL),
        verdict(t, COUNT_GOAL)
    );
    let scan = Segment::from_json_str(SCAN)?;
    let (t, t_cpu, n) = timed(3, || count(&db, "bench", &scan, now)).await;
    println!(
        "count, a segment no index helps (full scan, for information): {} wall, {} CPU ({} matching), {:.1}x the plain count",
        ms(t),
        ms(t_cpu),
        n?,
        t.as_secs_f64() / reference.as_secs_f64()
    );

    for (name, _) in fanbase_segments::builtin::BUILT_IN {
        let (_, segment) = fanbase_segments::builtin::find(name).expect("built-in");
        let (t, t_cpu, n) = timed(3, || count(&db, "bench", &segment, now)).await;
        println!("count, built-in {name:?}: {} wall, {} CPU ({} matching)", ms(t), ms(t_cpu), n?);
    }

    let rules = scoring::list_rules(&db, "bench").await?;
    println!("\nscoring rules: {}", serde_json::to_string(&rules)?);
    for (label, at) in [("first run, demo scores are random", now), ("a day later", now + DAY)] {
        let (start, cpu_start) = (Instant::now(), cpu());
        let done = scoring::recompute(&db, "bench", at).await?;
        let (wall, cpu_used) = (start.elapsed(), cpu() - cpu_start);
        println!(
            "recompute all scores ({label}; {} of {} changed): {:.2} s wall, {:.2} s CPU; goal < {} s: {}",
            done.changed,
            done.contacts,
            wall.as_secs_f64(),
            cpu_used.as_secs_f64(),
            RECOMPUTE_GOAL.as_secs(),
            verdict(wall, RECOMPUTE_GOAL)
        );
    }

    // Incremental: a CSV of 10,000 events for 5,000 contacts, stored, applied and re-scored.
    let emails: Vec<String> =
        sqlx::query_scalar("SELECT email FROM customers WHERE store_pk = ? AND id % 97 = 1 LIMIT 5000")
            .bind(store_pk)
            .fetch_all(db.pool())
            .await?;
    let mut csv = String::from("email,kind,at,amount\n");
    for (i, e) in emails.iter().enumerate() {
        csv.push_str(&format!("{e},open,{},\n", now + DAY + i as i64));
        csv.push_str(&format!("{e},purchase,{},19.99\n", now + DAY + i as i64));
    }
    let path = dir.path().join("events.csv");
    std::fs::write(&path, csv)?;
    let (start, cpu_start) = (Instant::now(), cpu());
    let imported = engagement::import_csv(&db, "bench", &path, now + DAY).await?;
    println!(
        "\nimport {} events for {} contacts (store, apply, re-score incrementally): {} wall, {} CPU",
        imported.rows,
        imported.applied.contacts,
        ms(start.elapsed()),
        ms(cpu() - cpu_start)
    );
    db.close().await;
    Ok(())
}
