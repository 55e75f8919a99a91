//! The pull loop of one feed: page after page from the saved position; each page is applied in
//! one transaction together with the new cursor/watermark, so a crash resumes after the last
//! applied page. The next page is fetched while the current one is written (it is only applied
//! after, in order). `SplitRequired` halves the page; a refused saved cursor restarts from the watermark.
//! A store's first pull into a small table sets the sort indexes aside and rebuilds them at the end.

use fanbase_core::{indexes, Db};
use sqlx::{Connection, SqliteConnection};

use crate::apply::{apply_customers_raw, Applied};
use crate::bulk;
use crate::client::Client;
use crate::control::{OnProgress, Phase, Progress};
use crate::feeds::{apply_events_raw, apply_users_raw};
use crate::state::{self, Feed, Position};
use crate::wire::{Customer, EngagementEvent, Page, PaginationOpts, User};
use crate::{Error, Result};

/// The largest page the contract allows.
pub const MAX_PAGE: u32 = 1000;

/// What a pull of one feed did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pulled {
    pub pages: u64,
    /// Records received.
    pub received: u64,
    /// Customers: inserted/updated/deleted and deletion conflicts.
    pub applied: Applied,
    /// Users and events: rows written.
    pub written: u64,
}

/// Where one feed is pulled from and into.
pub struct Target<'a> {
    pub feed: Feed,
    /// The platform storeId (`None` for users).
    pub store_id: Option<&'a str>,
    /// The local key of that store.
    pub store_pk: i64,
}

/// A fetched page of one of the feeds.
enum Batch {
    Customers(Page<Customer>),
    Events(Page<EngagementEvent>),
    Users(Page<User>),
}

impl Batch {
    fn len(&self) -> u64 {
        match self {
            Batch::Customers(p) => p.page.len() as u64,
            Batch::Events(p) => p.page.len() as u64,
            Batch::Users(p) => p.page.len() as u64,
        }
    }

    /// (largest updatedAt/at, isDone, continueCursor, SplitRequired)
    fn head(&self) -> (Option<i64>, bool, &str, bool) {
        match self {
            Batch::Customers(p) => {
                (p.page.iter().map(|c| c.updated_at).max(), p.is_done, &p.continue_cursor, p.split_required())
            }
            Batch::Events(p) => (p.page.iter().map(|e| e.at).max(), p.is_done, &p.continue_cursor, p.split_required()),
            Batch::Users(p) => {
                (p.page.iter().map(|u| u.updated_at).max(), p.is_done, &p.continue_cursor, p.split_required())
            }
        }
    }
}

/// The arguments of one page call.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Call {
    since: Option<i64>,
    cursor: Option<String>,
    num: u32,
}

async fn fetch(client: &Client, target: &Target<'_>, call: &Call) -> Result<Batch> {
    let opts = PaginationOpts { num_items: call.num, cursor: call.cursor.clone() };
    let store = target.store_id.unwrap_or_default();
    Ok(match target.feed {
        Feed::Customers => Batch::Customers(client.pull_customers(store, call.since, opts).await?),
        Feed::Engagement => Batch::Events(client.pull_engagement(store, call.since, opts).await?),
        Feed::Users => Batch::Users(client.pull_users(call.since, opts).await?),
    })
}

/// Applies a page and the position after it in one transaction.
async fn apply(
    conn: &mut SqliteConnection,
    target: &Target<'_>,
    batch: &Batch,
    next: &Position,
    now: i64,
) -> Result<(Applied, u64)> {
    let mut tx = conn.begin().await?;
    let done = match batch {
        Batch::Customers(p) => (apply_customers_raw(&mut tx, target.store_pk, &p.page, false, now).await?, 0),
        Batch::Events(p) => (Applied::default(), apply_events_raw(&mut tx, target.store_pk, &p.page).await?),
        Batch::Users(p) => (Applied::default(), apply_users_raw(&mut tx, &p.page).await?),
    };
    state::save_raw(&mut tx, target.store_id.unwrap_or(""), target.feed, next, now).await?;
    tx.commit().await?;
    Ok(done)
}

/// Pulls `target` to the end, `page_size` items per page at most.
pub async fn pull(
    db: &Db,
    client: &Client,
    target: &Target<'_>,
    page_size: u32,
    clock: fn() -> i64,
    progress: OnProgress<'_>,
) -> Result<Pulled> {
    // One connection for the whole pull: its page cache stays warm from page to page.
    let mut conn = db.pool().acquire().await?;
    let previous = bulk::begin(&mut conn).await?;
    let mut set_aside = false;
    let result = pull_on(&mut conn, client, target, page_size, clock, progress, &mut set_aside).await;
    // Whatever the outcome, the indexes come back over the rows that did arrive (if this fails,
    // they stay recorded and the next open rebuilds them). The pull's own error is reported first.
    let restored = if set_aside { indexes::restore(&mut conn).await.map(drop) } else { Ok(()) };
    bulk::end(&mut conn, previous).await?;
    let pulled = result?;
    restored?;
    Ok(pulled)
}

async fn pull_on(
    conn: &mut SqliteConnection,
    client: &Client,
    target: &Target<'_>,
    page_size: u32,
    clock: fn() -> i64,
    progress: OnProgress<'_>,
    set_aside: &mut bool,
) -> Result<Pulled> {
    let scope = target.store_id.unwrap_or("");
    let mut position = {
        let mut tx = conn.begin().await?;
        let p = state::load_raw(&mut tx, scope, target.feed).await?;
        tx.commit().await?;
        p
    };
    let page_size = page_size.clamp(1, MAX_PAGE);
    let mut num = page_size;
    let mut restarted = false;
    let mut prefetched: Option<(Call, Result<Batch>)> = None;
    let mut out = Pulled::default();
    loop {
        let (since, cursor) = position.next_call();
        let call = Call { since, cursor, num };
        let fetched = match prefetched.take() {
            Some((made, result)) if made == call => result,
            _ => fetch(client, target, &call).await,
        };
        let batch = match fetched {
            Err(Error::InvalidArgument(_)) if call.cursor.is_some() && !restarted => {
                // The platform no longer accepts the saved cursor: start again from what was applied.
                restarted = true;
                position = position.restart();
                let mut tx = conn.begin().await?;
                state::save_raw(&mut tx, scope, target.feed, &position, clock()).await?;
                tx.commit().await?;
                continue;
            }
            other => other?,
        };
        let (high, is_done, next_cursor, split) = batch.head();
        if split {
            if num == 1 {
                return Err(Error::Platform {
                    code: "SPLIT_REQUIRED".into(),
                    message: "the platform asks for a smaller page than one record".into(),
                });
            }
            num = (num / 2).max(1);
            continue;
        }
        if !*set_aside && out.pages == 0 && !is_done && target.feed == Feed::Customers && position.since.is_none() {
            // A first pull of more than a page into a small table: set the sort indexes aside and
            // build them once at the end (crash-safe: see `indexes`).
            if indexes::table_is_small(conn).await? {
                *set_aside = indexes::set_aside(conn).await? > 0;
            }
        }
        let next = position.after_page(call.since, high, is_done, next_cursor);
        num = (num * 2).min(page_size);
        let (applied, written) = if is_done {
            apply(conn, target, &batch, &next, clock()).await?
        } else {
            // Fetch the next page while this one is written; it is applied only after this one.
            let (since, cursor) = next.next_call();
            let call = Call { since, cursor, num };
            let (done, ahead) = tokio::join!(apply(conn, target, &batch, &next, clock()), fetch(client, target, &call));
            prefetched = Some((call, ahead));
            done?
        };
        position = next;
        out.pages += 1;
        out.received += batch.len();
        out.written += written;
        let a = &mut out.applied;
        a.inserted += applied.inserted;
        a.updated += applied.updated;
        a.deleted += applied.deleted;
        a.conflicts += applied.conflicts;
        a.skipped += applied.skipped;
        progress(&Progress {
            store: target.store_id.map(str::to_string),
            phase: match target.feed {
                Feed::Customers => Phase::Customers,
                Feed::Engagement => Phase::Engagement,
                Feed::Users => Phase::Users,
            },
            done: out.received,
            total: None,
        });
        if is_done {
            return Ok(out);
        }
        if client.is_cancelled() {
            return Err(Error::Cancelled);
        }
    }
}
