//! Benchmark of the contacts view on N demo contacts (default 1,000,000) in a temp database file:
//! first page of every sort, prefix searches, exact counts with filters, the unified view, and
//! bulk-tagging 100,000 contacts. Prints each figure beside the contact count and its goal, and a
//! reference measured in the same run (a plain LIKE scan, what search costs without the index).
//!
//! `cargo run --release -p fanbase-core --example bench_contacts -- [--rows N] [--db PATH] [--only PART]`
//! (`--db` reuses a file already filled by an earlier run, to skip the fill; `--only` runs one of
//! sorts, search, filters, header, bulk; `--mmap MB` sets `PRAGMA mmap_size` on every pooled
//! connection, to measure what memory-mapped reads would change.)

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fanbase_core::contacts::{self, ContactFilter, Origin, PageRequest, Sort, SortField};
use fanbase_core::tags::{self, Target};
use fanbase_core::{demo, Db};

const STORE: &str = "bench";
/// The UI's page size (ui/src/contactsWindow.ts).
const PAGE: u32 = 200;
const RUNS: usize = 7;

const SORTS: &[SortField] = &[
    SortField::Email,
    SortField::Name,
    SortField::Type,
    SortField::Status,
    SortField::Score,
    SortField::Daw,
    SortField::TypeOfMusic,
    SortField::StudentLevel,
    SortField::LastOpenDate,
    SortField::CreatedAt,
    SortField::TotalSpent,
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut rows: u64 = 1_000_000;
    let mut db_path: Option<PathBuf> = None;
    let mut only: Option<String> = None;
    let mut mmap_mb: Option<u64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rows" => rows = args.next().ok_or("--rows needs a number")?.parse()?,
            "--db" => db_path = Some(args.next().ok_or("--db needs a path")?.into()),
            "--only" => only = Some(args.next().ok_or("--only needs a part")?),
            "--mmap" => mmap_mb = Some(args.next().ok_or("--mmap needs megabytes")?.parse()?),
            other => {
                return Err(
                    format!("unknown argument {other:?}; use --rows N [--db PATH] [--only PART] [--mmap MB]").into()
                )
            }
        }
    }
    let dir = tempfile::tempdir()?;
    let path = db_path.unwrap_or_else(|| dir.path().join("bench.db"));
    let db = Db::open(&path).await?;
    let have = contacts::count(&db, STORE).await.unwrap_or(0);
    if have == 0 {
        let t = Instant::now();
        let filled = demo::fill(&db, STORE, rows, 7, 1_767_225_600_000).await?;
        println!(
            "seeded {} demo contacts and {} users in {:.1} s ({})",
            filled.fans,
            filled.users,
            secs(t),
            path.display()
        );
    } else {
        println!("reusing {have} contacts in {}", path.display());
    }
    let n = contacts::count(&db, STORE).await?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("load average: {}", load.split_whitespace().take(3).collect::<Vec<_>>().join(" "));
    println!(
        "\n{:<58} {:>10} {:>10} {:>10} {:>9}",
        format!("on {n} contacts ({RUNS} runs)"),
        "median",
        "CPU",
        "worst",
        "goal"
    );

    if let Some(mb) = mmap_mb {
        // Hold every connection of the pool (at most 4) at once, so each one gets the pragma.
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(db.pool().acquire().await?);
        }
        for conn in &mut held {
            sqlx::query(&format!("PRAGMA mmap_size = {}", mb << 20)).execute(&mut **conn).await?;
        }
        println!("memory-mapped reads: up to {mb} MB per connection");
    }
    let run = |part: &str| only.as_deref().is_none_or(|o| o == part);

    if run("sorts") {
        sorts(&db).await;
    }
    if run("search") {
        search(&db).await?;
    }
    if run("filters") {
        filters(&db).await?;
    }
    if run("header") {
        header(&db).await?;
    }
    if run("bulk") {
        bulk(&db).await?;
    }
    db.close().await;
    Ok(())
}

async fn sorts(db: &Db) {
    let mut slowest = Duration::ZERO;
    for &field in SORTS {
        for desc in [false, true] {
            let sort = Sort { field, desc };
            for (end, from_end) in [("first", false), ("last", true)] {
                let req = PageRequest { sort, from_end, limit: PAGE, ..Default::default() };
                let t = time(|| page_len(db, ContactFilter::default(), req.clone())).await;
                let label = format!("{end} page of {PAGE}, sort {field:?}{}", if desc { " desc" } else { "" });
                row(&label, &t, 20.0);
                slowest = slowest.max(t.median);
            }
        }
    }
    println!("{:<58} {:>10}", "=> slowest first/last page of any sort (median)", ms(slowest));

    // A dragged scrollbar lands in the middle: one seek (`offset`) instead of 500 walk pages.
    let mut slowest = Duration::ZERO;
    for &field in SORTS {
        let sort = Sort { field, desc: true };
        let req = PageRequest { sort, offset: Some(500_000), limit: PAGE, ..Default::default() };
        let t = time(|| page_len(db, ContactFilter::default(), req.clone())).await;
        row(&format!("page at offset 500,000, sort {field:?} desc"), &t, f64::INFINITY);
        slowest = slowest.max(t.median);
    }
    println!("{:<58} {:>10}", "=> slowest page at offset 500,000 (median)", ms(slowest));
}

async fn search(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    let (like, reference) = time_once(async {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM customers WHERE store_pk = (SELECT pk FROM stores WHERE id = ?)
             AND (email LIKE '%mar%' OR name LIKE '%mar%')",
        )
        .bind(STORE)
        .fetch_one(db.pool())
        .await
    })
    .await;
    row(&format!("reference: LIKE '%mar%' scan ({} rows)", like?), &reference, f64::INFINITY);
    let mut slowest = Duration::ZERO;
    for prefix in ["m", "ma", "mar", "mari", "maria", "maria.s", "smi", "o'b", "jos", "gmail", "vip", "alex kim"] {
        let filter = ContactFilter::search(prefix);
        let found = contacts::count_matching(db, STORE, &filter).await?;
        for sort in [SortField::Email, SortField::Score] {
            let req = PageRequest { sort: Sort { field: sort, desc: false }, limit: PAGE, ..Default::default() };
            let t = time(|| page_len(db, filter.clone(), req.clone())).await;
            row(&format!("search {prefix:?} ({found} match): first page by {sort:?}"), &t, 50.0);
            slowest = slowest.max(t.median);
        }
        let t = time(|| count(db, filter.clone())).await;
        row(&format!("search {prefix:?}: exact count"), &t, 100.0);
    }
    println!(
        "{:<58} {:>10}   ({:.0}x faster than the LIKE scan)",
        "=> slowest first page of a search (one letter or more)",
        ms(slowest),
        reference.median.as_secs_f64() / slowest.as_secs_f64()
    );
    Ok(())
}

async fn filters(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let single = [
        ("type = paying", ContactFilter { kind: s(&["paying"]), ..Default::default() }),
        (
            "status = bounced or complained",
            ContactFilter { status: s(&["bounced", "complained"]), ..Default::default() },
        ),
        ("has account", ContactFilter { has_account: Some(true), ..Default::default() }),
        ("no account", ContactFilter { has_account: Some(false), ..Default::default() }),
        ("tag = vip", ContactFilter { tag: s(&["vip"]), ..Default::default() }),
        ("daw = Ableton", ContactFilter { daw: s(&["Ableton"]), ..Default::default() }),
        ("genre = Techno", ContactFilter { type_of_music: s(&["Techno"]), ..Default::default() }),
        ("level = Advanced", ContactFilter { student_level: s(&["Advanced"]), ..Default::default() }),
        ("score 50..=60", ContactFilter { score_min: Some(50), score_max: Some(60), ..Default::default() }),
        ("unified view (fans + users)", ContactFilter { include_users: true, ..Default::default() }),
    ];
    let combined = [
        ("search \"mar\" + type lead", ContactFilter { kind: s(&["lead"]), ..ContactFilter::search("mar") }),
        (
            "paying + daw Ableton + level Advanced",
            ContactFilter {
                kind: s(&["paying"]),
                daw: s(&["Ableton"]),
                student_level: s(&["Advanced"]),
                ..Default::default()
            },
        ),
        (
            "lead + active + tag techno + no account",
            ContactFilter {
                kind: s(&["lead"]),
                status: s(&["active"]),
                tag: s(&["techno"]),
                has_account: Some(false),
                ..Default::default()
            },
        ),
    ];
    let mut slowest = Duration::ZERO;
    for (i, (label, filter)) in single.iter().chain(combined.iter()).enumerate() {
        if i == single.len() {
            println!("{:<58} {:>10}", "=> slowest exact count with one filter (median)", ms(slowest));
            println!("combined filters:");
        }
        let found = contacts::count_matching(db, STORE, filter).await?;
        let t = time(|| count(db, filter.clone())).await;
        row(&format!("count {label} = {found}"), &t, 100.0);
        if i < single.len() {
            slowest = slowest.max(t.median);
        }
        let req = PageRequest { sort: Sort { field: SortField::Name, desc: false }, limit: PAGE, ..Default::default() };
        let t = time(|| page_len(db, filter.clone(), req.clone())).await;
        row(&format!("  first page by name, {label}"), &t, 20.0);
    }
    Ok(())
}

async fn header(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    let conv = contacts::conversion(db, STORE).await?;
    let t = time(|| async { contacts::conversion(db, STORE).await.unwrap().fans as usize }).await;
    row(&format!("conversion rate ({:.2}% of fans have an account)", conv.rate * 100.0), &t, 100.0);
    let t = time(|| async { tags::list(db, STORE).await.unwrap().len() }).await;
    row("tag list with exact counts", &t, 100.0);
    Ok(())
}

async fn bulk(db: &Db) -> Result<(), Box<dyn std::error::Error>> {
    println!();
    let target = Target::Matching(ContactFilter { score_min: Some(0), score_max: Some(11), ..Default::default() });
    let (added, t) = time_once(tags::add(db, STORE, "bench-bulk", &target, Origin::Cli, 1)).await;
    row(&format!("bulk-tag {} matching contacts (+ as many outbox rows)", added?.changed), &t, 2000.0);
    let (removed, t) = time_once(tags::remove(db, STORE, "bench-bulk", &target, Origin::Cli, 2)).await;
    row(&format!("bulk-untag {} contacts (+ as many outbox rows)", removed?.changed), &t, 2000.0);
    sqlx::query("DELETE FROM outbox WHERE created_at IN (1, 2)").execute(db.pool()).await?;
    Ok(())
}

async fn page_len(db: &Db, filter: ContactFilter, req: PageRequest) -> usize {
    contacts::page_matching(db, STORE, &filter, &req).await.unwrap().rows.len()
}

async fn count(db: &Db, filter: ContactFilter) -> usize {
    contacts::count_matching(db, STORE, &filter).await.unwrap() as usize
}

/// Median wall time, worst wall time and median CPU time of RUNS runs.
struct Timing {
    median: Duration,
    worst: Duration,
    cpu: Option<Duration>,
}

/// Runs `f` RUNS times.
async fn time<F, Fut>(f: F) -> Timing
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = usize>,
{
    let mut walls = Vec::with_capacity(RUNS);
    let mut cpus = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let (t, c) = (Instant::now(), cpu_time());
        std::hint::black_box(f().await);
        walls.push(t.elapsed());
        cpus.push(c.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a)));
    }
    walls.sort();
    let mut cpus: Option<Vec<Duration>> = cpus.into_iter().collect();
    if let Some(c) = cpus.as_mut() {
        c.sort();
    }
    Timing { median: walls[RUNS / 2], worst: walls[RUNS - 1], cpu: cpus.map(|c| c[RUNS / 2]) }
}

/// Times one run of a write.
async fn time_once<T>(f: impl std::future::Future<Output = T>) -> (T, Timing) {
    let (t, c) = (Instant::now(), cpu_time());
    let out = f.await;
    let wall = t.elapsed();
    let cpu = c.zip(cpu_time()).map(|(a, b)| b.saturating_sub(a));
    (out, Timing { median: wall, worst: wall, cpu })
}

/// CPU time of every thread of this process so far (Linux: /proc/self/task/*/schedstat), so the
/// figures mean something on a machine shared with other work; `None` elsewhere.
fn cpu_time() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

fn row(label: &str, t: &Timing, goal_ms: f64) {
    let within = |d: Duration| d.as_secs_f64() * 1000.0 < goal_ms;
    let verdict = match (within(t.median), t.cpu.map(within)) {
        (true, _) => "ok",
        (false, Some(true)) => "ok in CPU time (the machine is busy)",
        _ => "OVER",
    };
    let cpu = t.cpu.map(ms).unwrap_or_else(|| "-".into());
    if goal_ms.is_infinite() {
        println!("{label:<58} {:>10} {:>10}", ms(t.median), cpu);
        return;
    }
    println!("{label:<58} {:>10} {:>10} {:>10} {:>6} ms {verdict}", ms(t.median), cpu, ms(t.worst), goal_ms);
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}
