//! Realistic sample fans (and a few matching platform users) for demos, tests and benchmarks.
//! Deterministic for a given seed; written in batched multi-row inserts inside one transaction.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use sqlx::{QueryBuilder, Sqlite};

use crate::text::normalize_tag;
use crate::{stores, Db, Result};

const FIRST: &[&str] = &[
    "Alex", "Jordan", "Sam", "Taylor", "Chris", "Maria", "José", "Zoë", "Mateus", "Aiko", "Olu", "Priya", "Liam",
    "Noah", "Emma", "Ava", "Mia", "Lucas", "Chloé", "Søren", "Björk", "Ilya", "Ngozi", "Wei", "Yuki", "Fatima", "Omar",
    "Anaïs", "Kai", "Rafael",
];
const LAST: &[&str] = &[
    "Smith", "García", "Müller", "Rossi", "Kim", "Nguyen", "O'Brien", "Kowalski", "Silva", "Dubois", "Andersen",
    "Ivanov", "Okafor", "Chen", "Tanaka", "Haddad", "Schmidt", "López", "Jensen", "Novak",
];
const DOMAINS: &[&str] =
    &["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "proton.me", "gmx.de", "live.co.uk"];
const DAWS: &[&str] =
    &["Ableton", "FL Studio", "Logic Pro", "Pro Tools", "Bitwig", "Cubase", "Studio One", "Reason", ""];
const GENRES: &[&str] =
    &["EDM", "Hip-Hop", "House", "Techno", "Trap", "Lo-fi", "Pop", "Dubstep", "Drum & Bass", "R&B", ""];
const LEVELS: &[&str] = &["Beginner", "Intermediate", "Advanced", ""];
pub const TAGS: &[&str] = &[
    "beginner",
    "edm",
    "vip",
    "house",
    "techno",
    "hip-hop",
    "mixing",
    "mastering",
    "sound-design",
    "webinar-2025",
    "black-friday",
    "course-buyer",
    "free-pack",
    "ableton",
    "fl-studio",
    "newsletter",
];
const DAY_MS: i64 = 86_400_000;
/// Rows per multi-row INSERT: 21 columns × 400 rows stays well under SQLite's variable limit.
const BATCH: usize = 400;

/// What `fill` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filled {
    pub fans: u64,
    pub users: u64,
}

struct Fan {
    email: String,
    first: &'static str,
    last: &'static str,
    kind: &'static str,
    spent_cents: i64,
    score: i64,
    daw: &'static str,
    genre: &'static str,
    level: &'static str,
    phone: String,
    opens: bool,
    clicks: bool,
    last_open: i64,
    status: &'static str,
    created: i64,
    updated: i64,
    tags: Vec<&'static str>,
}

/// Adds `rows` sample fans to store `store_id` (created as "Demo store" if missing), plus one
/// platform user for about every 40th fan (same email) and a few users who are no fan.
pub async fn fill(db: &Db, store_id: &str, rows: u64, seed: u64, now: i64) -> Result<Filled> {
    let store_pk = stores::ensure(db, store_id, "Demo store", now).await?;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tx = db.pool().begin().await?;

    let first_id: i64 = sqlx::query_scalar("SELECT IFNULL(MAX(id), 0) + 1 FROM customers").fetch_one(&mut *tx).await?;
    let serial: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE store_pk = ?")
        .bind(store_pk)
        .fetch_one(&mut *tx)
        .await?;
    let tag_ids = ensure_tags(&mut tx, store_pk).await?;

    let mut users = 0u64;
    let mut batch = Vec::with_capacity(BATCH);
    for i in 0..rows as i64 {
        batch.push(sample_fan(&mut rng, serial + i, now));
        if batch.len() == BATCH || i + 1 == rows as i64 {
            let start = first_id + i + 1 - batch.len() as i64;
            insert_fans(&mut tx, store_pk, start, &batch, &tag_ids).await?;
            users += insert_users(&mut tx, start, &batch, &mut rng, now).await?;
            batch.clear();
        }
    }
    tx.commit().await?;
    Ok(Filled { fans: rows, users })
}

fn sample_fan(rng: &mut StdRng, n: i64, now: i64) -> Fan {
    let (first, last) = (*FIRST.choose(rng).unwrap(), *LAST.choose(rng).unwrap());
    let local_last: String = last.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    let email = format!("{}.{}{}@{}", first.to_lowercase(), local_last, n, DOMAINS.choose(rng).unwrap());
    let created = now - rng.random_range(1..6 * 365) * DAY_MS - rng.random_range(0..DAY_MS);
    let updated = (created + rng.random_range(0..300) * DAY_MS).min(now);
    let opens = rng.random_bool(0.45);
    let kind = match rng.random_range(0..100) {
        0..=74 => "lead",
        75..=94 => "paying",
        _ => "subscription",
    };
    let spent_cents =
        if kind == "lead" { 0 } else { *[900i64, 1900, 2900, 4900, 9900, 14900, 29700].choose(rng).unwrap() };
    let status = match rng.random_range(0..1000) {
        0..=939 => "active",
        940..=979 => "unsubscribed",
        980..=994 => "bounced",
        _ => "complained",
    };
    let mut tags: Vec<&'static str> = TAGS.to_vec();
    tags.shuffle(rng);
    tags.truncate(rng.random_range(0..5));
    Fan {
        email,
        first,
        last,
        kind,
        spent_cents,
        score: rng.random_range(0..120),
        daw: DAWS.choose(rng).unwrap(),
        genre: GENRES.choose(rng).unwrap(),
        level: LEVELS.choose(rng).unwrap(),
        phone: if rng.random_bool(0.3) {
            format!("+1{}", rng.random_range(2_000_000_000u64..9_999_999_999))
        } else {
            String::new()
        },
        opens,
        clicks: opens && rng.random_bool(0.4),
        last_open: if opens { (updated + rng.random_range(0..60) * DAY_MS).min(now) } else { 0 },
        status,
        created,
        updated,
        tags,
    }
}

async fn ensure_tags(tx: &mut sqlx::Transaction<'_, Sqlite>, store_pk: i64) -> Result<HashMap<&'static str, i64>> {
    let mut ids = HashMap::new();
    for tag in TAGS {
        sqlx::query("INSERT INTO tags (store_pk, name, name_norm) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
            .bind(store_pk)
            .bind(tag)
            .bind(normalize_tag(tag))
            .execute(&mut **tx)
            .await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM tags WHERE store_pk = ? AND name_norm = ?")
            .bind(store_pk)
            .bind(normalize_tag(tag))
            .fetch_one(&mut **tx)
            .await?;
        ids.insert(*tag, id);
    }
    Ok(ids)
}

async fn insert_fans(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    store_pk: i64,
    first_id: i64,
    fans: &[Fan],
    tag_ids: &HashMap<&'static str, i64>,
) -> Result<()> {
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO customers (id, store_pk, email, email_norm, name, first_name, last_name, type, source,
         total_spent_cents, score, daw, type_of_music, student_level, phone, opens_email, clicks_links,
         last_open_date, status, created_at, updated_at) ",
    );
    q.push_values(fans.iter().enumerate(), |mut b, (i, f)| {
        b.push_bind(first_id + i as i64)
            .push_bind(store_pk)
            .push_bind(&f.email)
            .push_bind(f.email.to_lowercase())
            .push_bind(format!("{} {}", f.first, f.last))
            .push_bind(f.first)
            .push_bind(f.last)
            .push_bind(f.kind)
            .push_bind("demo")
            .push_bind(f.spent_cents)
            .push_bind(f.score)
            .push_bind(f.daw)
            .push_bind(f.genre)
            .push_bind(f.level)
            .push_bind(&f.phone)
            .push_bind(f.opens)
            .push_bind(f.clicks)
            .push_bind(f.last_open)
            .push_bind(f.status)
            .push_bind(f.created)
            .push_bind(f.updated);
    });
    q.build().execute(&mut **tx).await?;

    let pairs: Vec<(i64, i64)> = fans
        .iter()
        .enumerate()
        .flat_map(|(i, f)| f.tags.iter().map(move |t| (first_id + i as i64, tag_ids[t])))
        .collect();
    for chunk in pairs.chunks(4000) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new("INSERT INTO customer_tags (customer_id, tag_id) ");
        q.push_values(chunk, |mut b, (c, t)| {
            b.push_bind(c).push_bind(t);
        });
        q.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// One registered user for about every 40th fan of the batch, with the fan's email in other case,
/// and one user with no fan record per batch.
async fn insert_users(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    first_id: i64,
    fans: &[Fan],
    rng: &mut StdRng,
    now: i64,
) -> Result<u64> {
    let mut users: Vec<(String, String, String)> = fans
        .iter()
        .enumerate()
        .filter(|(i, _)| (first_id + *i as i64) % 40 == 7)
        .map(|(i, f)| {
            (format!("demo_user_{}", first_id + i as i64), f.email.to_uppercase(), format!("{} {}", f.first, f.last))
        })
        .collect();
    users.push((format!("demo_user_x{first_id}"), format!("learner{first_id}@example.org"), "Guest Learner".into()));
    let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
        "INSERT INTO users (id, clerk_id, email, email_norm, name, role, admin, stripe_connect_account_id,
         created_at, updated_at, last_sign_in_at) ",
    );
    q.push_values(&users, |mut b, (id, email, name)| {
        let creator = rng.random_bool(0.15);
        let created = now - rng.random_range(1..365) * DAY_MS;
        b.push_bind(id)
            .push_bind(format!("user_{id}"))
            .push_bind(email)
            .push_bind(email.to_lowercase())
            .push_bind(name)
            .push_bind(if creator { "AGENCY_OWNER" } else { "SUBACCOUNT_USER" })
            .push_bind(false)
            .push_bind(if creator { format!("acct_{id}") } else { String::new() })
            .push_bind(created)
            .push_bind(created)
            .push_bind(now - rng.random_range(0..60) * DAY_MS);
    });
    q.push(" ON CONFLICT (id) DO NOTHING");
    Ok(q.build().execute(&mut **tx).await?.rows_affected())
}
