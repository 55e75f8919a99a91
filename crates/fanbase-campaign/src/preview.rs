//! Preview as any fan: the exact subject, preheader, HTML and text one recipient gets, the exact
//! recipient count (suppressed fans left out and counted) and the warnings.

use serde::Serialize;

use crate::audience::{self, Counts, Filter};
use crate::campaign::Campaign;
use crate::drafts;
use crate::merge::Fan;
use crate::smtp::SmtpSettings;
use crate::template::{Compiled, Rendered};
use crate::unsubscribe::{self, Fallback, UnsubscribeLinks};
use crate::warnings::{self, Warning};
use crate::{Error, Result};
use fanbase_core::Db;

/// Which recipient to preview. Recipients are in email order; `After`/`Before` step one by one
/// from a previewed email (staying put at either end).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(tag = "kind", content = "email", rename_all = "snake_case")]
pub enum Pick {
    #[default]
    First,
    Email(String),
    After(String),
    Before(String),
}

/// The previewed recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviewFan {
    pub customer_id: i64,
    pub email: String,
    pub name: String,
    /// 0-based position among the recipients, in email order.
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub counts: Counts,
    /// `None` when the campaign has no recipient: a sample fan was rendered instead.
    pub fan: Option<PreviewFan>,
    pub unsubscribe_url: String,
    #[serde(flatten)]
    pub rendered: Rendered,
    pub warnings: Vec<Warning>,
    /// True when nothing blocks sending and there is at least one recipient.
    pub can_send: bool,
}

/// The fan rendered when a campaign has no recipient yet.
pub fn sample_fan() -> Fan {
    Fan {
        customer_id: 0,
        email: "fan@example.com".into(),
        name: "Sample Fan".into(),
        first_name: "Sample".into(),
        status: "active".into(),
        ..Fan::default()
    }
}

/// Renders `campaign` for the picked recipient, with counts and warnings.
pub async fn preview(
    db: &Db,
    store_id: &str,
    campaign: &Campaign,
    pick: &Pick,
    links: &dyn UnsubscribeLinks,
    settings: Option<&SmtpSettings>,
    now: i64,
) -> Result<Preview> {
    campaign.validate()?;
    let (store_pk, store_name) = drafts::store(db, store_id).await?;
    let compiled = Compiled::new(campaign, &store_name)?;
    let filter = audience::filter(db, store_id, campaign, now).await?;
    let counts = audience::counts(db, store_pk, &filter).await?;
    let fan = pick_fan(db, store_pk, &filter, pick).await?;
    let fallback = Fallback::new(settings, campaign);
    let shown = fan.clone().unwrap_or_else(sample_fan);
    let url = unsubscribe::resolve(links, &fallback, store_id, std::slice::from_ref(&shown)).await?.remove(0);
    let rendered = compiled.render(&shown, &url)?;
    let sample = warnings::Sample { rendered: &rendered, unsubscribe_url: &url };
    let warnings = warnings::check(db, store_pk, &filter, campaign, &compiled, &sample, &counts).await?;
    let can_send = counts.recipients > 0 && !warnings.iter().any(|w| w.blocking);
    let fan = match fan {
        Some(f) => Some(PreviewFan {
            position: audience::position(db, store_pk, &filter, &fanbase_core::text::normalize_email(&f.email)).await?,
            customer_id: f.customer_id,
            email: f.email,
            name: f.name,
        }),
        None => None,
    };
    Ok(Preview { counts, fan, unsubscribe_url: url, rendered, warnings, can_send })
}

async fn pick_fan(db: &Db, store_pk: i64, filter: &Filter, pick: &Pick) -> Result<Option<Fan>> {
    let norm = fanbase_core::text::normalize_email;
    Ok(match pick {
        Pick::First => audience::page(db, store_pk, filter, None, 1).await?.pop(),
        Pick::Email(email) => Some(
            audience::by_email(db, store_pk, filter, email)
                .await?
                .ok_or_else(|| Error::RecipientNotFound(email.clone()))?,
        ),
        Pick::After(email) => match audience::page(db, store_pk, filter, Some(&norm(email)), 1).await?.pop() {
            Some(next) => Some(next),
            None => audience::by_email(db, store_pk, filter, email).await?,
        },
        Pick::Before(email) => match audience::previous(db, store_pk, filter, &norm(email)).await? {
            Some(prev) => Some(prev),
            None => audience::by_email(db, store_pk, filter, email).await?,
        },
    })
}
