//! A deterministic generator of realistic platform data: the same options give the same seed,
//! byte for byte. User 0 is the admin, user 1 the demo creator (owner of the first store); some
//! fans of each store are registered users (same email), so fan → user conversion is non-zero.

mod pools;

use crate::fields::FIELD_COUNT;
use crate::records::{Customer, CustomerType, Event, EventKind, Role, Status, Store, User};
use crate::seed::{Seed, SeedToken};
use crate::state::mix;
use pools::*;

const DAY: i64 = 86_400_000;

/// What to generate; every time is relative to `now`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generate {
    pub seed: u64,
    pub now: i64,
    pub stores: usize,
    pub customers_per_store: usize,
    /// At least 2 (the admin and the creator) and at least one per store owner.
    pub users: usize,
    pub events_per_store: usize,
}

impl Generate {
    /// Small defaults: 2 stores of 1,000 fans, 20 users, 2,000 events per store.
    pub fn at(now: i64) -> Generate {
        Generate { seed: 42, now, stores: 2, customers_per_store: 1_000, users: 20, events_per_store: 2_000 }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(1);
        mix(self.0)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a>(&mut self, pool: &[&'a str]) -> &'a str {
        pool[self.below(pool.len())]
    }
    fn ms_below(&mut self, span: i64) -> i64 {
        (self.next() % span.max(1) as u64) as i64
    }
}

impl Seed {
    pub fn generate(g: &Generate) -> Seed {
        let mut rng = Rng(g.seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let users: Vec<User> = (0..g.users.max(2).max(g.stores)).map(|i| user(&mut rng, g, i)).collect();
        let stores: Vec<Store> = (0..g.stores).map(|s| store(&users, s)).collect();
        let mut customers = Vec::with_capacity(g.stores * g.customers_per_store);
        let mut events = Vec::with_capacity(g.stores * g.events_per_store);
        for (s, store) in stores.iter().enumerate() {
            let fans_who_are_users: Vec<&User> =
                users.iter().skip(2).filter(|u| mix(u.creation_time as u64 ^ s as u64).is_multiple_of(3)).collect();
            let first = customers.len();
            for i in 0..g.customers_per_store {
                let as_user = fans_who_are_users.get(i).copied();
                customers.push(customer(&mut rng, g, store, first + i, as_user));
            }
            let fans = &customers[first..];
            for _ in 0..if fans.is_empty() { 0 } else { g.events_per_store } {
                let (n, fan) = (events.len(), rng.below(fans.len()));
                events.push(event(&mut rng, g, store, &fans[fan], n));
            }
        }
        let tokens = vec![token(&mut rng, &users[0]), token(&mut rng, &users[1])];
        Seed { users, stores, customers, events, tokens }
    }
}

fn user(rng: &mut Rng, g: &Generate, i: usize) -> User {
    let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let owner = i < g.stores.max(2);
    let role = match (i, rng.below(100)) {
        (0 | 1, _) => Role::AgencyOwner,
        (_, _) if owner => Role::AgencyOwner,
        (_, r) if r < 8 => Role::AgencyOwner,
        (_, r) if r < 14 => Role::AgencyAdmin,
        (_, r) if r < 85 => Role::SubaccountUser,
        _ => Role::SubaccountGuest,
    };
    let stripe = owner || role == Role::AgencyOwner || (role == Role::AgencyAdmin && rng.chance(30));
    let created = g.now - 1 - rng.ms_below(364 * DAY);
    let signed_in = rng.chance(80).then(|| g.now - rng.ms_below(60 * DAY)).map(|t| t.max(created));
    let (name, email) = match i {
        0 => ("Ada Admin".to_string(), "ada.admin@fanbase.example".to_string()),
        1 => ("Cleo Creator".to_string(), "cleo.creator@beatlab.example".to_string()),
        _ => (format!("{first} {last}"), format!("{}.{}.u{i}@{}", lower(first), lower(last), rng.pick(DOMAINS))),
    };
    User {
        id: format!("user{i:06}"),
        creation_time: created,
        clerk_id: format!("user_clerk{:012x}", rng.next() >> 16),
        email,
        name,
        image_url: rng.chance(50).then(|| format!("https://img.clerk.example/{i}.png")),
        role,
        admin: i == 0,
        stripe_connect_account_id: stripe.then(|| format!("acct_{:016x}", rng.next())),
        updated_at: signed_in.unwrap_or(created).max(created),
        last_sign_in_at: signed_in,
    }
}

fn store(users: &[User], s: usize) -> Store {
    // Store 0 belongs to the creator (user 1), store 1 to the admin, store k >= 2 to user k.
    let owner = match s {
        0 => &users[1],
        1 => &users[0],
        k => &users[k],
    };
    let name = format!("{} {}", owner.name.split(' ').next().unwrap_or("The"), STORE_NAMES[s % STORE_NAMES.len()]);
    Store { id: format!("store{s:03}"), name, owner_id: owner.id.clone() }
}

fn customer(rng: &mut Rng, g: &Generate, store: &Store, n: usize, as_user: Option<&User>) -> Customer {
    let (first, last) = (rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let (name, email) = match as_user {
        Some(u) => (u.name.clone(), u.email.clone()),
        None if rng.chance(10) => {
            let shown = last.replace('ü', "ue");
            (format!("{first} {last}"), format!("{first}.{shown}{n}@{}", rng.pick(DOMAINS)))
        }
        None => (format!("{first} {last}"), format!("{}.{}{n}@{}", lower(first), lower(last), rng.pick(DOMAINS))),
    };
    let kind = match rng.below(10) {
        0..=6 => CustomerType::Lead,
        7 | 8 => CustomerType::Paying,
        _ => CustomerType::Subscription,
    };
    let total_spent_cents = match kind {
        CustomerType::Lead => 0,
        CustomerType::Paying => 999 + rng.below(49_000) as i64,
        CustomerType::Subscription => 1_900 + rng.below(98_000) as i64,
    };
    let created = g.now - 1 - rng.ms_below(730 * DAY);
    let updated = created + rng.ms_below(g.now - created);
    let opens = rng.chance(60);
    let tags = (0..rng.below(4)).map(|_| rng.pick(TAGS).to_string()).fold(Vec::<String>::new(), |mut v, t| {
        if !v.contains(&t) {
            v.push(t);
        }
        v
    });
    Customer {
        id: format!("cust{n:08}"),
        creation_time: created,
        store_id: store.id.clone(),
        admin_user_id: store.owner_id.clone(),
        email,
        name,
        kind,
        source: if kind == CustomerType::Lead { rng.pick(SOURCES) } else { "stripe_purchase" }.to_string(),
        total_spent_cents,
        tags,
        score: rng.below(101) as i64,
        daw: rng.chance(60).then(|| rng.pick(DAWS).to_string()),
        type_of_music: rng.chance(50).then(|| rng.pick(GENRES).to_string()),
        student_level: rng.chance(50).then(|| rng.pick(LEVELS).to_string()),
        phone: rng.chance(20).then(|| format!("+1 555 01{:02} {:04}", rng.below(100), rng.below(10_000))),
        opens_email: opens,
        clicks_links: opens && rng.chance(50),
        last_open_date: opens.then(|| g.now - rng.ms_below(90 * DAY)),
        status: match rng.below(100) {
            0..=91 => Status::Active,
            92..=95 => Status::Unsubscribed,
            96..=98 => Status::Bounced,
            _ => Status::Complained,
        },
        updated_at: updated,
        deleted_at: None,
        modified: [0; FIELD_COUNT],
    }
}

fn event(rng: &mut Rng, g: &Generate, store: &Store, fan: &Customer, n: usize) -> Event {
    let kind = match rng.below(100) {
        0..=49 => EventKind::Open,
        50..=74 => EventKind::Click,
        75..=82 => EventKind::Purchase,
        83..=89 => EventKind::Enrollment,
        90..=93 => EventKind::Bounce,
        94..=97 => EventKind::Unsubscribe,
        _ => EventKind::Complaint,
    };
    let campaign = !matches!(kind, EventKind::Purchase | EventKind::Enrollment);
    Event {
        id: format!("evt{n:09}"),
        store_id: store.id.clone(),
        customer_id: fan.id.clone(),
        email: fan.email.clone(),
        campaign_id: campaign.then(|| format!("campaign{:02}", rng.below(12))),
        kind,
        at: g.now - 1 - rng.ms_below(90 * DAY),
        url: (kind == EventKind::Click).then(|| format!("https://lessons.example/lesson/{}", rng.below(40))),
        amount: (kind == EventKind::Purchase).then(|| (999 + rng.below(20_000)) as f64 / 100.0),
    }
}

fn token(rng: &mut Rng, user: &User) -> SeedToken {
    SeedToken {
        token: format!("fbdt_{:016x}{:016x}", rng.next(), rng.next()),
        user_id: user.id.clone(),
        expires_at: None,
        revoked: false,
    }
}

/// Lower-case ASCII for the part of an email made from a name.
fn lower(s: &str) -> String {
    s.to_lowercase().replace('ü', "ue")
}
