//! The platform's one-click unsubscribe links (`desktop:issueUnsubscribeLinks`) for signed-in
//! senders: fans already on the platform (with a `remote_id`) get its link; the others (never
//! pushed) get the fallback. `strict` decides whether a platform failure stops the caller (a send)
//! or only falls back (a preview while offline).

use std::collections::HashMap;

use crate::merge::Fan;
use crate::unsubscribe::{BoxFuture, UnsubscribeLinks};
use crate::{Error, Result};

/// Links issued by the platform through a signed-in client.
pub struct PlatformLinks {
    client: fanbase_sync::Client,
    strict: bool,
}

impl PlatformLinks {
    /// Fails when the platform cannot issue the links (use it to send).
    pub fn strict(client: fanbase_sync::Client) -> PlatformLinks {
        PlatformLinks { client, strict: true }
    }

    /// Falls back to the configured link when the platform cannot be reached (use it to preview).
    pub fn lenient(client: fanbase_sync::Client) -> PlatformLinks {
        PlatformLinks { client, strict: false }
    }

    /// The signed-in platform (environment first, then the keychain), or `None` when signed out.
    pub fn signed_in(strict: bool) -> Option<PlatformLinks> {
        let (credentials, _) = fanbase_sync::credentials::resolve(fanbase_sync::Keychain::os).ok()?;
        let client = fanbase_sync::Client::new(&credentials).ok()?;
        Some(PlatformLinks { client, strict })
    }
}

impl UnsubscribeLinks for PlatformLinks {
    fn issue<'a>(&'a self, store_id: &'a str, fans: &'a [Fan]) -> BoxFuture<'a, Result<HashMap<i64, String>>> {
        Box::pin(async move {
            let local: HashMap<&str, i64> = fans
                .iter()
                .filter_map(|f| f.remote_id.as_deref().filter(|r| !r.is_empty()).map(|r| (r, f.customer_id)))
                .collect();
            if local.is_empty() {
                return Ok(HashMap::new());
            }
            let ids: Vec<String> = local.keys().map(|r| r.to_string()).collect();
            match self.client.issue_unsubscribe_links(store_id, &ids).await {
                Ok(links) => Ok(links
                    .into_iter()
                    .filter_map(|l| local.get(l.customer_id.as_str()).map(|id| (*id, l.url)))
                    .collect()),
                Err(e) if self.strict => Err(Error::UnsubscribeLinks(format!(
                    "{e}. Check the connection to the platform, or sign out to send with the configured link"
                ))),
                Err(_) => Ok(HashMap::new()),
            }
        })
    }
}
