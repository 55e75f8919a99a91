//! "Send test": one message, rendered as a chosen fan, to any address; not recorded in the outbox.

use serde::Serialize;

use crate::campaign::Campaign;
use crate::message::{self, Envelope};
use crate::preview::{self, Pick};
use crate::smtp::{deliver, Connector, Outcome, SmtpAccount};
use crate::unsubscribe::{Fallback, UnsubscribeLinks};
use crate::{Error, Result};
use fanbase_core::Db;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestSent {
    pub to: String,
    /// The fan the message was rendered as (`None`: a sample fan, the campaign has no recipient).
    pub rendered_as: Option<String>,
    pub message_id: String,
    pub reply: String,
}

/// Who a test goes to, and which recipient it is rendered as.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Deserialize)]
pub struct TestMessage {
    pub to: String,
    #[serde(default)]
    pub rendered_as: Pick,
}

/// Sends the campaign, as `test.rendered_as` would get it, to `test.to`, with `[Test]` before the
/// subject. Warnings do not block a test; template errors do.
pub async fn send_test(
    db: &Db,
    store_id: &str,
    campaign: &Campaign,
    test: &TestMessage,
    account: &SmtpAccount,
    links: &dyn UnsubscribeLinks,
    now: i64,
) -> Result<TestSent> {
    let (to, pick) = (test.to.as_str(), &test.rendered_as);
    let preview = preview::preview(db, store_id, campaign, pick, links, Some(&account.settings), now).await?;
    let mut rendered = preview.rendered;
    rendered.subject = format!("[Test] {}", rendered.subject);
    let message_id = message::message_id(0, 0, 0, &campaign.from_email);
    let mailto = Fallback::new(Some(&account.settings), campaign).header_mailto(to);
    let msg = message::build(
        campaign,
        &rendered,
        &Envelope {
            to_name: "",
            to_email: to,
            unsubscribe_url: &preview.unsubscribe_url,
            unsubscribe_mailto: mailto.as_deref(),
            message_id: &message_id,
            date_ms: now,
        },
    )?;
    let connector = Connector::new(account)?;
    let mut conn = connector.connect().await?;
    let outcome = deliver(&mut conn, msg.envelope(), &msg.formatted(), connector.timeout()).await;
    let _ = conn.quit().await;
    match outcome {
        Outcome::Accepted(reply) => {
            Ok(TestSent { to: to.to_string(), rendered_as: preview.fan.map(|f| f.email), message_id, reply })
        }
        Outcome::Permanent(r) | Outcome::Transient(r) | Outcome::NotSent(r) | Outcome::Unknown(r) => {
            Err(Error::SmtpRefused(r))
        }
    }
}
