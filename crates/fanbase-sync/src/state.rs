//! Where each pull feed stands (table `sync_state`): the `since` watermark of the next fresh pull,
//! and for a pull in progress the saved cursor, the `since` it is bound to and the high-water mark.
//! Saved in the same transaction as the page it follows.

use sqlx::Row;

use crate::apply::Tx;
use crate::Result;

/// A feed of the contract that pulls in pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feed {
    Customers,
    Engagement,
    Users,
}

impl Feed {
    pub fn name(self) -> &'static str {
        match self {
            Feed::Customers => "customers",
            Feed::Engagement => "engagement",
            Feed::Users => "users",
        }
    }
}

/// One feed's position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub since: Option<i64>,
    pub run_since: Option<i64>,
    pub cursor: Option<String>,
    pub high_water: Option<i64>,
}

impl Position {
    /// The `since` and cursor of the next call: resume a pull in progress, else start a fresh one.
    pub fn next_call(&self) -> (Option<i64>, Option<String>) {
        match &self.cursor {
            Some(c) => (self.run_since, Some(c.clone())),
            None => (self.since, None),
        }
    }

    /// The position after a page whose records reached `page_high` was applied.
    pub fn after_page(
        &self,
        called_since: Option<i64>,
        page_high: Option<i64>,
        is_done: bool,
        cursor: &str,
    ) -> Position {
        let base = if self.cursor.is_some() { self.high_water } else { self.since };
        let high = match (base, page_high) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if is_done {
            Position { since: high, run_since: None, cursor: None, high_water: None }
        } else {
            Position { since: self.since, run_since: called_since, cursor: Some(cursor.to_string()), high_water: high }
        }
    }

    /// Forgets a cursor the platform no longer accepts: start again from what was applied.
    pub fn restart(&self) -> Position {
        let since = if self.cursor.is_some() { self.high_water.or(self.run_since) } else { self.since };
        Position { since, run_since: None, cursor: None, high_water: None }
    }
}

pub async fn load_raw(tx: &mut Tx<'_>, scope: &str, feed: Feed) -> Result<Position> {
    let row = sqlx::query("SELECT since, run_since, cursor, high_water FROM sync_state WHERE scope = ? AND feed = ?")
        .bind(scope)
        .bind(feed.name())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row
        .map(|r| Position { since: r.get(0), run_since: r.get(1), cursor: r.get(2), high_water: r.get(3) })
        .unwrap_or_default())
}

pub async fn save_raw(tx: &mut Tx<'_>, scope: &str, feed: Feed, p: &Position, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_state (scope, feed, since, run_since, cursor, high_water, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (scope, feed) DO UPDATE SET since = excluded.since, run_since = excluded.run_since,
             cursor = excluded.cursor, high_water = excluded.high_water, updated_at = excluded.updated_at",
    )
    .bind(scope)
    .bind(feed.name())
    .bind(p.since)
    .bind(p.run_since)
    .bind(&p.cursor)
    .bind(p.high_water)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Marks `store_id` as a platform store (a `customers` feed row), leaving an existing position alone.
pub async fn register_store_raw(tx: &mut Tx<'_>, store_id: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_state (scope, feed, updated_at) VALUES (?, 'customers', ?) ON CONFLICT (scope, feed) DO NOTHING",
    )
    .bind(store_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pull_moves_from_fresh_through_pages_to_done() {
        let fresh = Position { since: Some(100), ..Default::default() };
        assert_eq!(fresh.next_call(), (Some(100), None), "a fresh pull starts at the watermark");
        let p1 = fresh.after_page(Some(100), Some(150), false, "c1");
        assert_eq!(p1.next_call(), (Some(100), Some("c1".into())), "the cursor stays bound to its since");
        assert_eq!(p1.since, Some(100), "the watermark moves only when the pull is done");
        let p2 = p1.after_page(Some(100), Some(140), false, "c2");
        assert_eq!(p2.high_water, Some(150), "the high-water mark never goes back");
        let done = p2.after_page(Some(100), Some(200), true, "end");
        assert_eq!(done, Position { since: Some(200), ..Default::default() });
        let empty = done.after_page(Some(200), None, true, "end");
        assert_eq!(empty.since, Some(200), "an empty final page keeps the watermark");
    }

    #[test]
    fn a_refused_cursor_restarts_from_what_was_applied() {
        let mid = Position { since: Some(1), run_since: Some(1), cursor: Some("c".into()), high_water: Some(50) };
        assert_eq!(mid.restart().next_call(), (Some(50), None), "since is inclusive, so nothing is skipped");
        let start = Position { since: None, run_since: None, cursor: Some("c".into()), high_water: None };
        assert_eq!(start.restart().next_call(), (None, None));
    }
}
