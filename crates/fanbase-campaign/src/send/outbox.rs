//! The per-campaign outbox (table `campaign_recipients`): recipients frozen at start, then each row
//! moves `queued` → `sending` (committed before any SMTP byte) → `sent` / `failed` / `queued` later
//! (4xx) / `skipped` (suppressed meanwhile). A row leaves `sending` only by a recorded outcome.

use serde::Serialize;
use sqlx::{QueryBuilder, Row as _, Sqlite, Transaction};

use crate::merge::Fan;
use crate::Result;
use fanbase_core::Db;

/// Replies of rows whose outcome is unknown start with this; `requeue_unknown` looks for it.
pub const UNKNOWN_OUTCOME: &str = "unknown outcome:";

/// How many rows are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub total: i64,
    pub queued: i64,
    pub sending: i64,
    pub sent: i64,
    pub failed: i64,
    pub skipped: i64,
}

/// One recipient row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub id: i64,
    pub customer_id: Option<i64>,
    pub email: String,
    pub unsubscribe_url: String,
    pub state: String,
    pub message_id: String,
    pub smtp_reply: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
}

/// Freezes `fans` (with their unsubscribe links) into the outbox, inside the caller's transaction.
pub async fn freeze_raw(
    tx: &mut Transaction<'_, Sqlite>,
    campaign_id: i64,
    fans: &[(Fan, String)],
    now: i64,
) -> Result<u64> {
    let mut inserted = 0;
    for chunk in fans.chunks(2000) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO campaign_recipients (campaign_id, customer_id, email, email_norm, unsubscribe_url, updated_at) ",
        );
        q.push_values(chunk, |mut b, (fan, url)| {
            b.push_bind(campaign_id)
                .push_bind(fan.customer_id)
                .push_bind(&fan.email)
                .push_bind(fanbase_core::text::normalize_email(&fan.email))
                .push_bind(url)
                .push_bind(now);
        });
        q.push(" ON CONFLICT (campaign_id, email_norm) DO NOTHING");
        inserted += q.build().execute(&mut **tx).await?.rows_affected();
    }
    Ok(inserted)
}

pub async fn tally(db: &Db, campaign_id: i64) -> Result<Tally> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY state")
            .bind(campaign_id)
            .fetch_all(db.pool())
            .await?;
    let mut t = Tally::default();
    for (state, n) in rows {
        t.total += n;
        match state.as_str() {
            "queued" => t.queued = n,
            "sending" => t.sending = n,
            "sent" => t.sent = n,
            "failed" => t.failed = n,
            _ => t.skipped = n,
        }
    }
    Ok(t)
}

/// Every row, in id order (reports and tests).
pub async fn rows(db: &Db, campaign_id: i64) -> Result<Vec<Row>> {
    let rows = sqlx::query(
        "SELECT id, customer_id, email, unsubscribe_url, state, message_id, smtp_reply, attempts, next_attempt_at
         FROM campaign_recipients WHERE campaign_id = ? ORDER BY id",
    )
    .bind(campaign_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(row_from).collect()
}

fn row_from(r: &sqlx::sqlite::SqliteRow) -> Result<Row> {
    Ok(Row {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        email: r.try_get("email")?,
        unsubscribe_url: r.try_get("unsubscribe_url")?,
        state: r.try_get("state")?,
        message_id: r.try_get("message_id")?,
        smtp_reply: r.try_get("smtp_reply")?,
        attempts: r.try_get("attempts")?,
        next_attempt_at: r.try_get("next_attempt_at")?,
    })
}

/// The next row due for sending (not claimed: see `claim`).
pub async fn peek(db: &Db, campaign_id: i64, now: i64) -> Result<Option<Row>> {
    let row = sqlx::query(
        "SELECT id, customer_id, email, unsubscribe_url, state, message_id, smtp_reply, attempts, next_attempt_at
         FROM campaign_recipients WHERE campaign_id = ? AND state = 'queued' AND next_attempt_at <= ?
         ORDER BY next_attempt_at, id LIMIT 1",
    )
    .bind(campaign_id)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(row_from).transpose()
}

/// When the earliest queued row is due, or `None` when nothing is queued.
pub async fn next_due(db: &Db, campaign_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT MIN(next_attempt_at) FROM campaign_recipients WHERE campaign_id = ? AND state = 'queued'",
    )
    .bind(campaign_id)
    .fetch_one(db.pool())
    .await?)
}

/// What `claim` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The row is now `sending` (committed) with this attempt number.
    Claimed,
    /// The fan was unsubscribed, bounced, complained or deleted: the row is now `skipped`.
    Skipped,
    /// Another worker took the row first.
    Lost,
}

/// Marks a peeked row `sending` with its Message-ID, in its own committed statement, if it is
/// still queued and the fan is still active (re-checked here, just before the SMTP call); else
/// marks it `skipped`. `seen_attempts` is the attempt count the caller peeked: a row another
/// worker tried in between is `Lost`, so the attempt number recorded is never stale.
pub async fn claim(db: &Db, row_id: i64, seen_attempts: i64, message_id: &str, now: i64) -> Result<Claim> {
    let claimed = sqlx::query(
        "UPDATE campaign_recipients SET state = 'sending', attempts = attempts + 1, message_id = ?, updated_at = ?
         WHERE id = ? AND state = 'queued' AND attempts = ?
           AND EXISTS (SELECT 1 FROM customers c WHERE c.id = campaign_recipients.customer_id AND c.status = 'active')",
    )
    .bind(message_id)
    .bind(now)
    .bind(row_id)
    .bind(seen_attempts)
    .execute(db.pool())
    .await?;
    if claimed.rows_affected() == 1 {
        return Ok(Claim::Claimed);
    }
    let skipped = sqlx::query(
        "UPDATE campaign_recipients SET state = 'skipped', updated_at = ?,
           smtp_reply = 'not sent: the fan is ' || IFNULL((SELECT c.status FROM customers c
                          WHERE c.id = campaign_recipients.customer_id), 'deleted')
         WHERE id = ? AND state = 'queued' AND attempts = ?",
    )
    .bind(now)
    .bind(row_id)
    .bind(seen_attempts)
    .execute(db.pool())
    .await?;
    Ok(if skipped.rows_affected() == 1 { Claim::Skipped } else { Claim::Lost })
}

/// `sending` → `sent`, with the server's reply.
pub async fn mark_sent(db: &Db, row_id: i64, reply: &str, now: i64) -> Result<()> {
    finish(db, row_id, "sent", reply, now).await
}

/// `sending` → `failed`, with the reason.
pub async fn mark_failed(db: &Db, row_id: i64, reply: &str, now: i64) -> Result<()> {
    finish(db, row_id, "failed", reply, now).await
}

async fn finish(db: &Db, row_id: i64, state: &str, reply: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE campaign_recipients SET state = ?, smtp_reply = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
    )
    .bind(state)
    .bind(reply)
    .bind(now)
    .bind(row_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// `sending` → `queued` again, not before `next_attempt_at` (a 4xx reply or a connection lost
/// before the message was written).
pub async fn defer(db: &Db, row_id: i64, reply: &str, next_attempt_at: i64, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE campaign_recipients SET state = 'queued', smtp_reply = ?, next_attempt_at = ?, updated_at = ?
         WHERE id = ? AND state = 'sending'",
    )
    .bind(reply)
    .bind(next_attempt_at)
    .bind(now)
    .bind(row_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Rows left in `sending` by a run that died (crash, kill, power loss) were in the middle of
/// their SMTP transaction: the server may have accepted them. They become `failed` with an
/// "unknown outcome" reply and are not resent, because sending twice is worse than once missed;
/// `requeue_unknown` sends them again on the author's explicit request. Call only while holding
/// the campaign's lease.
pub async fn fail_interrupted(db: &Db, campaign_id: i64, now: i64) -> Result<u64> {
    let reply = format!(
        "{UNKNOWN_OUTCOME} sending was interrupted during the SMTP transaction; the server may have accepted it, \
         so it is not resent automatically (look its Message-ID up at your provider, or retry it explicitly)"
    );
    Ok(sqlx::query(
        "UPDATE campaign_recipients SET state = 'failed', smtp_reply = ?, updated_at = ? WHERE campaign_id = ? AND state = 'sending'",
    )
    .bind(reply)
    .bind(now)
    .bind(campaign_id)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// Queues again the rows whose outcome is unknown, accepting that some fans may get a duplicate.
pub async fn requeue_unknown(db: &Db, campaign_id: i64, now: i64) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE campaign_recipients SET state = 'queued', next_attempt_at = 0, updated_at = ?
         WHERE campaign_id = ? AND state = 'failed' AND substr(smtp_reply, 1, ?) = ?",
    )
    .bind(now)
    .bind(campaign_id)
    .bind(UNKNOWN_OUTCOME.len() as i64)
    .bind(UNKNOWN_OUTCOME)
    .execute(db.pool())
    .await?
    .rows_affected())
}
