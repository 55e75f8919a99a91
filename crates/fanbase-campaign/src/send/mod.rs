//! Sending a campaign: `start` renders every message once and freezes the recipients into the
//! outbox; `run` delivers from the outbox at a set rate over a pool of SMTP connections, resumes
//! wherever a previous run stopped, and never sends a recipient twice.

mod control;
mod lease;
pub mod outbox;
mod test_message;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use sqlx::Row as _;

pub use control::{Phase, Progress, SendControl, Wanted};
pub use outbox::Tally;
pub use test_message::{send_test, TestMessage, TestSent};

use crate::audience::{self, Counts};
use crate::campaign::Campaign;
use crate::merge::Fan;
use crate::smtp::{Connector, SmtpAccount, SmtpSettings};
use crate::template::Compiled;
use crate::unsubscribe::{self, Fallback, UnsubscribeLinks};
use crate::{drafts, warnings, Error, Result};
use fanbase_core::Db;

/// How to send.
#[derive(Clone)]
pub struct SendOptions {
    /// Messages per second, over all connections.
    pub rate: f64,
    /// SMTP connections used in parallel (the pool's size).
    pub connections: usize,
    /// Attempts (4xx replies, connections lost before the message was written) before a recipient fails.
    pub max_attempts: i64,
    /// Wait before the first retry of a recipient; it doubles with each attempt (at most an hour).
    pub retry_delay: Duration,
    /// How long a run's claim on the campaign outlives the run if it dies.
    pub lease: Duration,
    /// Network timeout of each SMTP command.
    pub smtp_timeout: Duration,
    /// Wall-clock milliseconds (injected so tests control time-stamps).
    pub clock: Arc<dyn Fn() -> i64 + Send + Sync>,
}

impl Default for SendOptions {
    fn default() -> Self {
        SendOptions {
            rate: 10.0,
            connections: 4,
            max_attempts: 5,
            retry_delay: Duration::from_secs(60),
            lease: Duration::from_secs(15),
            smtp_timeout: Duration::from_secs(60),
            clock: Arc::new(fanbase_core::now_ms),
        }
    }
}

impl std::fmt::Debug for SendOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendOptions")
            .field("rate", &self.rate)
            .field("connections", &self.connections)
            .field("max_attempts", &self.max_attempts)
            .field("retry_delay", &self.retry_delay)
            .field("lease", &self.lease)
            .finish()
    }
}

/// What `start` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Started {
    pub campaign_id: i64,
    /// True when the campaign had already started (this call only found it).
    pub resumed: bool,
    /// Recipients frozen now (0 when resumed).
    pub queued: u64,
    /// The audience when frozen (zeros when resumed).
    pub counts: Counts,
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub campaign_id: i64,
    #[serde(flatten)]
    pub tally: Tally,
    pub phase: Phase,
    /// Rows found `sending` from a run that died, now failed with an unknown outcome.
    pub interrupted: u64,
}

/// Renders every recipient's message once (so no template error can surface mid-send), refuses a
/// campaign with blocking warnings, and freezes the recipients into the outbox. A campaign that
/// already started is only found again (`resumed`), provided its content did not change.
pub async fn start(
    db: &Db,
    store_id: &str,
    campaign: &Campaign,
    links: &dyn UnsubscribeLinks,
    settings: Option<&SmtpSettings>,
    now: i64,
) -> Result<Started> {
    campaign.validate()?;
    let (store_pk, store_name) = drafts::store(db, store_id).await?;
    let json = drafts::canonical(campaign);
    let existing = sqlx::query("SELECT id, state, sent_definition FROM campaigns WHERE store_pk = ? AND name = ?")
        .bind(store_pk)
        .bind(campaign.name.trim())
        .fetch_optional(db.pool())
        .await?;
    if let Some(row) = existing {
        let (id, state, sent): (i64, String, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if state != "draft" {
            if sent != json {
                return Err(Error::CampaignChanged(campaign.name.clone()));
            }
            if state == "cancelled" {
                return Err(Error::CampaignCancelled(campaign.name.clone()));
            }
            return Ok(Started { campaign_id: id, resumed: true, queued: 0, counts: Counts::default() });
        }
    }

    let compiled = Compiled::new(campaign, &store_name)?;
    let filter = audience::filter(db, store_id, campaign, now).await?;
    let counts = audience::counts(db, store_pk, &filter).await?;
    if counts.recipients == 0 {
        return Err(Error::NoRecipients);
    }
    let mut fans: Vec<Fan> = Vec::with_capacity(counts.recipients as usize);
    loop {
        let after = fans.last().map(|f| fanbase_core::text::normalize_email(&f.email));
        let page = audience::page(db, store_pk, &filter, after.as_deref(), 5000).await?;
        if page.is_empty() {
            break;
        }
        fans.extend(page);
    }
    let fallback = Fallback::new(settings, campaign);
    let urls = unsubscribe::resolve(links, &fallback, store_id, &fans).await?;
    for (i, (fan, url)) in fans.iter().zip(&urls).enumerate() {
        let rendered = compiled.render(fan, url).map_err(|e| match e {
            Error::Template { at, message } => {
                Error::Template { at, message: format!("{message} (rendering for {})", fan.email) }
            }
            other => other,
        })?;
        if i == 0 {
            let sample = warnings::Sample { rendered: &rendered, unsubscribe_url: url };
            let found = warnings::check(db, store_pk, &filter, campaign, &compiled, &sample, &counts).await?;
            let blocking: Vec<String> = found.into_iter().filter(|w| w.blocking).map(|w| w.message).collect();
            if !blocking.is_empty() {
                return Err(Error::SendBlocked(blocking.join("; ")));
            }
        }
    }

    let mut tx = db.pool().begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO campaigns (store_pk, name, definition, sent_definition, state, created_at, updated_at, started_at)
         VALUES (?, ?, ?, ?, 'sending', ?, ?, ?)
         ON CONFLICT (store_pk, name) DO UPDATE SET definition = excluded.definition,
           sent_definition = excluded.sent_definition, state = 'sending', updated_at = excluded.updated_at,
           started_at = excluded.started_at
         WHERE campaigns.state = 'draft'
         RETURNING id",
    )
    .bind(store_pk)
    .bind(campaign.name.trim())
    .bind(&json)
    .bind(&json)
    .bind(now)
    .bind(now)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(campaign_id) = id else { return Err(Error::CampaignBusy(campaign.name.clone())) };
    let pairs: Vec<(Fan, String)> = fans.into_iter().zip(urls).collect();
    let queued = outbox::freeze_raw(&mut tx, campaign_id, &pairs, now).await?;
    tx.commit().await?;
    Ok(Started { campaign_id, resumed: false, queued, counts })
}

/// Delivers a started campaign from its outbox until nothing is queued, or until stopped or
/// cancelled through `control`. Dropping the returned future is like killing the process: the
/// next run resumes (see `outbox::fail_interrupted` for rows caught mid-transaction).
pub async fn run(
    db: &Db,
    campaign_id: i64,
    account: &SmtpAccount,
    options: &SendOptions,
    control: &SendControl,
) -> Result<Summary> {
    if !(options.rate > 0.0 && options.rate.is_finite()) || options.connections == 0 {
        return Err(Error::InvalidCampaign(
            "the rate must be above 0 and there must be at least one connection".into(),
        ));
    }
    let saved = drafts::by_id(db, campaign_id).await?;
    match saved.state.as_str() {
        "draft" => {
            return Err(Error::InvalidCampaign(format!("campaign {:?} has not been started", saved.campaign.name)))
        }
        "cancelled" => return Err(Error::CampaignCancelled(saved.campaign.name)),
        _ => {}
    }
    let store_name: String =
        sqlx::query_scalar("SELECT s.name FROM campaigns c JOIN stores s ON s.pk = c.store_pk WHERE c.id = ?")
            .bind(campaign_id)
            .fetch_one(db.pool())
            .await?;
    let compiled = Compiled::new(&saved.campaign, &store_name)?;
    let connector = Connector::new(account)?.with_timeout(options.smtp_timeout);
    let clock = options.clock.clone();
    let lease = lease::acquire(db, campaign_id, &saved.campaign.name, options.lease, &*clock).await?;
    let result = worker::drive(worker::Runner {
        db: db.clone(),
        campaign_id,
        fallback: Fallback::new(Some(&account.settings), &saved.campaign),
        campaign: saved.campaign,
        compiled,
        connector,
        options: options.clone(),
        control: control.clone(),
        lease: lease.clone(),
    })
    .await;
    lease.release(db).await?;
    result
}

/// `start` then `run`: what `fanbase campaign send` does.
pub async fn send(
    db: &Db,
    store_id: &str,
    campaign: &Campaign,
    links: &dyn UnsubscribeLinks,
    account: &SmtpAccount,
    options: &SendOptions,
    control: &SendControl,
) -> Result<Summary> {
    let started = start(db, store_id, campaign, links, Some(&account.settings), (options.clock)()).await?;
    run(db, started.campaign_id, account, options, control).await
}
