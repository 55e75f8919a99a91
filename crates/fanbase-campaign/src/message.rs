//! One fan's email as MIME: multipart/alternative (text + HTML), a unique Message-ID, and the
//! List-Unsubscribe headers (RFC 2369, and RFC 8058 one-click when the link is https).

use std::time::{Duration, UNIX_EPOCH};

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;

use crate::campaign::Campaign;
use crate::template::Rendered;
use crate::{Error, Result};

/// `List-Unsubscribe: <https://…>, <mailto:…>`
#[derive(Debug, Clone)]
pub struct ListUnsubscribe(pub String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`
#[derive(Debug, Clone)]
pub struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// The value of `List-Unsubscribe`: the fan's link, plus a mailto alternative when the link is not one.
pub fn list_unsubscribe_value(unsubscribe_url: &str, mailto: Option<&str>) -> String {
    match mailto {
        Some(m) if !unsubscribe_url.starts_with("mailto:") => format!("<{unsubscribe_url}>, <{m}>"),
        _ => format!("<{unsubscribe_url}>"),
    }
}

/// A Message-ID unique per campaign, recipient row and attempt, at the sender's domain.
pub fn message_id(campaign_id: i64, recipient_id: i64, attempt: i64, from_email: &str) -> String {
    let domain = from_email.rsplit_once('@').map_or("fanbase.local", |(_, d)| d.trim());
    let nonce: u64 = rand::random();
    format!("<fb.{campaign_id}.{recipient_id}.{attempt}.{nonce:016x}@{domain}>")
}

fn mailbox(name: &str, email: &str) -> Result<Mailbox> {
    let address = email.trim().parse().map_err(|e: lettre::address::AddressError| Error::InvalidAddress {
        address: email.to_string(),
        message: e.to_string(),
    })?;
    let name = name.trim();
    Ok(Mailbox::new((!name.is_empty()).then(|| name.to_string()), address))
}

/// What `build` needs besides the rendering.
pub struct Envelope<'a> {
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub unsubscribe_url: &'a str,
    pub unsubscribe_mailto: Option<&'a str>,
    pub message_id: &'a str,
    /// Milliseconds since the epoch, for the Date header.
    pub date_ms: i64,
}

/// Builds the MIME message one fan gets.
pub fn build(campaign: &Campaign, rendered: &Rendered, env: &Envelope<'_>) -> Result<Message> {
    let mut builder = Message::builder()
        .message_id(Some(env.message_id.to_string()))
        .date(UNIX_EPOCH + Duration::from_millis(env.date_ms.max(0) as u64))
        .from(mailbox(&campaign.from_name, &campaign.from_email)?)
        .to(mailbox(env.to_name, env.to_email)?)
        .subject(rendered.subject.clone())
        .header(ListUnsubscribe(list_unsubscribe_value(env.unsubscribe_url, env.unsubscribe_mailto)));
    if !campaign.reply_to.trim().is_empty() {
        builder = builder.reply_to(mailbox("", &campaign.reply_to)?);
    }
    if env.unsubscribe_url.starts_with("https://") {
        builder = builder.header(ListUnsubscribePost);
    }
    builder
        .multipart(MultiPart::alternative_plain_html(rendered.text.clone(), rendered.html.clone()))
        .map_err(|e| Error::InvalidCampaign(format!("the message could not be built: {e}")))
}
