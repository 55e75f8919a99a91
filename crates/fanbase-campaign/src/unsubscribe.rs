//! Unsubscribe links: the platform's one-click link (`desktop:issueUnsubscribeLinks`, through the
//! `UnsubscribeLinks` trait, which `platform::PlatformLinks` implements for a signed-in sender)
//! when there is one, else the configured URL template, else a mailto.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use crate::campaign::Campaign;
use crate::merge::Fan;
use crate::smtp::SmtpSettings;
use crate::Result;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The platform's per-fan unsubscribe links. `desktop:issueUnsubscribeLinks` takes up to 500
/// customers per call; `resolve` batches for it.
pub trait UnsubscribeLinks: Send + Sync {
    /// Links for the fans that have one, keyed by `customer_id`. Fans left out (for example not
    /// yet pushed to the platform) get the fallback link.
    fn issue<'a>(&'a self, store_id: &'a str, fans: &'a [Fan]) -> BoxFuture<'a, Result<HashMap<i64, String>>>;
}

/// No platform (signed out, or tests): every fan gets the fallback link.
pub struct NoPlatform;

impl UnsubscribeLinks for NoPlatform {
    fn issue<'a>(&'a self, _store_id: &'a str, _fans: &'a [Fan]) -> BoxFuture<'a, Result<HashMap<i64, String>>> {
        Box::pin(async { Ok(HashMap::new()) })
    }
}

/// The link used when the platform has none: `url_template` with `{email}`, `{customer_id}` and
/// `{store}` replaced (URL-encoded), else `mailto:` the configured address (or the sender).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallback {
    pub url_template: String,
    pub mailto: String,
    pub from_email: String,
}

impl Fallback {
    /// The fallback configured in the SMTP settings, or a mailto to the campaign's sender.
    pub fn new(settings: Option<&SmtpSettings>, campaign: &Campaign) -> Fallback {
        Fallback {
            url_template: settings.map(|s| s.unsubscribe_url_template.clone()).unwrap_or_default(),
            mailto: settings.map(|s| s.unsubscribe_mailto.clone()).unwrap_or_default(),
            from_email: campaign.from_email.clone(),
        }
    }

    /// The mailto offered next to an https link in `List-Unsubscribe`, when one is configured.
    pub fn header_mailto(&self, email: &str) -> Option<String> {
        (!self.mailto.trim().is_empty()).then(|| self.mailto_url(email))
    }

    pub fn url(&self, store_id: &str, fan: &Fan) -> String {
        if !self.url_template.trim().is_empty() {
            return self
                .url_template
                .trim()
                .replace("{email}", &percent_encode(&fan.email))
                .replace("{customer_id}", &fan.customer_id.to_string())
                .replace("{store}", &percent_encode(store_id));
        }
        self.mailto_url(&fan.email)
    }

    /// The `mailto:` form, also offered in `List-Unsubscribe` next to an https link.
    pub fn mailto_url(&self, email: &str) -> String {
        let to = if self.mailto.trim().is_empty() { self.from_email.trim() } else { self.mailto.trim() };
        format!("mailto:{to}?subject={}", percent_encode(&format!("unsubscribe {email}")))
    }
}

/// The unsubscribe link of each fan, in order: the platform's when issued, else the fallback.
pub async fn resolve(
    links: &dyn UnsubscribeLinks,
    fallback: &Fallback,
    store_id: &str,
    fans: &[Fan],
) -> Result<Vec<String>> {
    let mut out = Vec::with_capacity(fans.len());
    for chunk in fans.chunks(500) {
        let issued = links.issue(store_id, chunk).await?;
        out.extend(
            chunk.iter().map(|f| issued.get(&f.customer_id).cloned().unwrap_or_else(|| fallback.url(store_id, f))),
        );
    }
    Ok(out)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3 / 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_links_encode_the_email() {
        let fan = Fan { customer_id: 7, email: "ana+x@b.co".into(), ..Fan::default() };
        let template =
            Fallback { url_template: "https://u.example/?e={email}&id={customer_id}".into(), ..Default::default() };
        assert_eq!(template.url("s1", &fan), "https://u.example/?e=ana%2Bx%40b.co&id=7");
        let mailto = Fallback { from_email: "me@studio.co".into(), ..Default::default() };
        assert_eq!(mailto.url("s1", &fan), "mailto:me@studio.co?subject=unsubscribe%20ana%2Bx%40b.co");
    }
}
