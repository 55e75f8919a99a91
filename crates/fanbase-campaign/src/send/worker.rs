//! The run loop: N workers, each owning one lettre SMTP connection (together, the pool), share one
//! rate limiter. A worker takes a slot, peeks the next due row, renders it from the fan's current
//! data, claims it (`sending`, committed), runs the SMTP transaction and records the outcome.

use std::sync::Arc;
use std::time::Duration;

use lettre::transport::smtp::client::AsyncSmtpConnection;
use tokio::sync::Mutex;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::control::{Phase, SendControl, Wanted};
use super::lease::Lease;
use super::outbox::{self, Claim, Row, UNKNOWN_OUTCOME};
use super::{SendOptions, Summary};
use crate::audience;
use crate::campaign::Campaign;
use crate::message::{self, Envelope};
use crate::smtp::{deliver, Connector, Outcome};
use crate::template::Compiled;
use crate::unsubscribe::Fallback;
use crate::{Error, Result};
use fanbase_core::Db;

/// A connection idle this long is checked with NOOP before use.
const IDLE_CHECK: Duration = Duration::from_secs(20);

pub(super) struct Runner {
    pub db: Db,
    pub campaign_id: i64,
    pub campaign: Campaign,
    pub compiled: Compiled,
    pub connector: Connector,
    pub fallback: Fallback,
    pub options: SendOptions,
    pub control: SendControl,
    pub lease: Lease,
}

struct Shared {
    r: Runner,
    next_slot: Mutex<Instant>,
    interval: Duration,
}

impl Shared {
    fn now(&self) -> i64 {
        (self.r.options.clock)()
    }

    /// Waits for this worker's turn under the rate limit (no bursts: slots are `1/rate` apart).
    async fn rate_slot(&self) {
        let slot = {
            let mut next = self.next_slot.lock().await;
            let slot = (*next).max(Instant::now());
            *next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// Sleeps up to `d`, waking early when the wanted state changes.
    async fn nap(&self, d: Duration) {
        let mut rx = self.r.control.watch_wanted();
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = rx.changed() => {}
        }
    }

    fn note(&self, phase: Phase, note: String) {
        self.r.control.update(|p| {
            p.phase = phase;
            p.note = note;
        });
    }
}

/// Runs the workers and the lease heartbeat until the outbox is drained, or the run is stopped
/// or cancelled; then records the campaign's state.
pub(super) async fn drive(r: Runner) -> Result<Summary> {
    let (db, campaign_id) = (r.db.clone(), r.campaign_id);
    let now = (r.options.clock)();
    let interrupted = outbox::fail_interrupted(&db, campaign_id, now).await?;
    let control = r.control.clone();
    let tally = outbox::tally(&db, campaign_id).await?;
    control.update(|p| {
        p.campaign_id = campaign_id;
        p.tally = tally;
        p.phase = Phase::Sending;
        p.note = String::new();
    });
    persist_wanted(&db, campaign_id, control.wanted()).await?;

    let interval = Duration::from_secs_f64(1.0 / r.options.rate);
    let renew_every = r.options.lease / 3;
    let lease = r.lease.clone();
    let clock = r.options.clock.clone();
    let shared = Arc::new(Shared { interval, next_slot: Mutex::new(Instant::now()), r });
    let mut workers = JoinSet::new();
    for _ in 0..shared.r.options.connections {
        workers.spawn(work(shared.clone()));
    }

    let mut wanted = control.watch_wanted();
    let mut first_error: Option<Error> = None;
    let mut renew = tokio::time::interval(renew_every.max(Duration::from_millis(10)));
    loop {
        tokio::select! {
            joined = workers.join_next() => match joined {
                None => break,
                Some(Ok(Ok(()))) => {}
                Some(Ok(Err(e))) => {
                    first_error.get_or_insert(e);
                    control.stop();
                }
                Some(Err(panic)) => {
                    first_error.get_or_insert(Error::InvalidCampaign(format!("a send worker failed: {panic}")));
                    control.stop();
                }
            },
            _ = renew.tick() => {
                if !lease.renew(&db, clock()).await? {
                    first_error.get_or_insert(Error::CampaignBusy(shared.r.campaign.name.clone()));
                    control.stop();
                }
            }
            Ok(()) = wanted.changed() => {
                let w = *wanted.borrow_and_update();
                persist_wanted(&db, campaign_id, w).await?;
                if w == Wanted::Pause {
                    shared.note(Phase::Paused, "paused".into());
                } else if w == Wanted::Run {
                    shared.note(Phase::Sending, String::new());
                }
            }
        }
    }

    let tally = outbox::tally(&db, campaign_id).await?;
    let now = clock();
    let phase = if control.wanted() == Wanted::Cancel {
        set_state(&db, campaign_id, "cancelled", now).await?;
        Phase::Cancelled
    } else if tally.queued == 0 && tally.sending == 0 && first_error.is_none() {
        set_state(&db, campaign_id, "done", now).await?;
        Phase::Done
    } else {
        // Stopped (or failed): the campaign stays `sending` or `paused`, to be resumed.
        Phase::Stopped
    };
    control.update(|p| {
        p.tally = tally;
        p.phase = phase;
    });
    match first_error {
        Some(e) => Err(e),
        None => Ok(Summary { campaign_id, tally, phase, interrupted }),
    }
}

/// Saves a pause or a resume, so that a restart shows the campaign as the author left it.
async fn persist_wanted(db: &Db, campaign_id: i64, wanted: Wanted) -> Result<()> {
    let state = match wanted {
        Wanted::Pause => "paused",
        Wanted::Run => "sending",
        Wanted::Stop | Wanted::Cancel => return Ok(()),
    };
    sqlx::query("UPDATE campaigns SET state = ? WHERE id = ? AND state IN ('sending', 'paused')")
        .bind(state)
        .bind(campaign_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

async fn set_state(db: &Db, campaign_id: i64, state: &str, finished_at: i64) -> Result<()> {
    sqlx::query("UPDATE campaigns SET state = ?, finished_at = ?, updated_at = MAX(updated_at, ?) WHERE id = ?")
        .bind(state)
        .bind(finished_at)
        .bind(finished_at)
        .bind(campaign_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A message ready for the wire.
struct Prepared {
    envelope: lettre::address::Envelope,
    bytes: Vec<u8>,
}

async fn work(s: Arc<Shared>) -> Result<()> {
    let mut conn: Option<AsyncSmtpConnection> = None;
    let mut last_used = Instant::now();
    let mut backoff = Duration::from_millis(250);
    let result = loop {
        if s.r.control.runnable().await != Wanted::Run {
            break Ok(());
        }
        // A healthy connection before anything is claimed: a row is never `sending` while we connect.
        let stale = match &mut conn {
            Some(c) if c.has_broken() => true,
            Some(c) if last_used.elapsed() > IDLE_CHECK => !c.test_connected().await,
            Some(_) => false,
            None => true,
        };
        if stale {
            conn = None;
            match s.r.connector.connect().await {
                Ok(c) => {
                    conn = Some(c);
                    last_used = Instant::now();
                    backoff = Duration::from_millis(250);
                }
                Err(e) => {
                    s.note(Phase::Waiting, format!("{e}; retrying in {} s", backoff.as_secs_f32()));
                    s.nap(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(60));
                    continue;
                }
            }
        }
        s.rate_slot().await;
        if s.r.control.wanted() != Wanted::Run {
            continue;
        }
        match next_message(&s, conn.as_mut().expect("connected above")).await {
            Ok(Step::Sent) => last_used = Instant::now(),
            Ok(Step::Idle(wait)) => s.nap(wait).await,
            Ok(Step::Drained) => break Ok(()),
            Err(e) => break Err(e),
        }
        if conn.as_ref().is_some_and(|c| c.has_broken()) {
            conn = None;
        }
    };
    if let Some(mut c) = conn {
        let _ = c.quit().await;
    }
    result
}

enum Step {
    Sent,
    /// Nothing due yet (retries later): wait this long.
    Idle(Duration),
    /// Nothing queued at all.
    Drained,
}

/// Peeks, prepares, claims and delivers one message.
async fn next_message(s: &Shared, conn: &mut AsyncSmtpConnection) -> Result<Step> {
    let db = &s.r.db;
    let cid = s.r.campaign_id;
    let (row, prepared) = loop {
        let now = s.now();
        let Some(row) = outbox::peek(db, cid, now).await? else {
            return Ok(match outbox::next_due(db, cid).await? {
                None => Step::Drained,
                Some(due) => {
                    let waiting = s.r.control.progress().tally.queued;
                    s.note(Phase::Waiting, format!("{waiting} recipient(s) wait for a retry"));
                    Step::Idle(Duration::from_millis((due - now).clamp(5, 1000) as u64))
                }
            });
        };
        let attempt = row.attempts + 1;
        let message_id = message::message_id(cid, row.id, attempt, &s.r.campaign.from_email);
        let prepared = prepare(s, &row, &message_id).await;
        match outbox::claim(db, row.id, row.attempts, &message_id, s.now()).await? {
            Claim::Lost => continue,
            Claim::Skipped => {
                s.r.control.update(|p| {
                    p.tally.queued -= 1;
                    p.tally.skipped += 1;
                });
                return Ok(Step::Sent);
            }
            Claim::Claimed => break (row, prepared),
        }
    };
    s.r.control.update(|p| {
        p.tally.queued -= 1;
        p.tally.sending += 1;
        p.phase = Phase::Sending;
        p.note.clear();
    });
    let attempt = row.attempts + 1;
    let outcome = match prepared {
        Ok(p) => deliver(conn, &p.envelope, &p.bytes, s.r.connector.timeout()).await,
        Err(e) => Outcome::Permanent(format!("not sent: {e}")),
    };
    record(s, &row, attempt, outcome).await?;
    Ok(Step::Sent)
}

/// Renders the fan's message from their current data (the row was frozen with its link).
async fn prepare(s: &Shared, row: &Row, message_id: &str) -> Result<Prepared, String> {
    let fan = match row.customer_id {
        Some(id) => audience::by_id(&s.r.db, id).await.map_err(|e| e.to_string())?,
        None => None,
    };
    let fan = fan.ok_or_else(|| "the fan no longer exists".to_string())?;
    let rendered = s.r.compiled.render(&fan, &row.unsubscribe_url).map_err(|e| e.to_string())?;
    let mailto = s.r.fallback.header_mailto(&row.email);
    let msg = message::build(
        &s.r.campaign,
        &rendered,
        &Envelope {
            to_name: &fan.name,
            to_email: &row.email,
            unsubscribe_url: &row.unsubscribe_url,
            unsubscribe_mailto: mailto.as_deref(),
            message_id,
            date_ms: s.now(),
        },
    )
    .map_err(|e| e.to_string())?;
    Ok(Prepared { envelope: msg.envelope().clone(), bytes: msg.formatted() })
}

async fn record(s: &Shared, row: &Row, attempt: i64, outcome: Outcome) -> Result<()> {
    let db = &s.r.db;
    let now = s.now();
    let retry = |reply: String| {
        if attempt >= s.r.options.max_attempts {
            (None, format!("{reply} (gave up after {attempt} attempts)"))
        } else {
            let factor = 2u32.saturating_pow((attempt - 1).clamp(0, 16) as u32);
            let delay = (s.r.options.retry_delay * factor).min(Duration::from_secs(3600));
            (Some(now + delay.as_millis() as i64), reply)
        }
    };
    let (state, reply, due) = match outcome {
        Outcome::Accepted(reply) => ("sent", reply, None),
        Outcome::Permanent(reply) => ("failed", reply, None),
        Outcome::Transient(reply) | Outcome::NotSent(reply) => match retry(reply) {
            (Some(due), reply) => ("queued", reply, Some(due)),
            (None, reply) => ("failed", reply, None),
        },
        Outcome::Unknown(reply) => (
            "failed",
            format!(
                "{UNKNOWN_OUTCOME} the connection was lost after the message was written and before the server \
                 answered ({reply}); not resent automatically to avoid a duplicate"
            ),
            None,
        ),
    };
    match (state, due) {
        ("sent", _) => outbox::mark_sent(db, row.id, &reply, now).await?,
        ("queued", Some(due)) => outbox::defer(db, row.id, &reply, due, now).await?,
        _ => outbox::mark_failed(db, row.id, &reply, now).await?,
    }
    s.r.control.update(|p| {
        p.tally.sending -= 1;
        match state {
            "sent" => p.tally.sent += 1,
            "queued" => p.tally.queued += 1,
            _ => p.tally.failed += 1,
        }
    });
    Ok(())
}
