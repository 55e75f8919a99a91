//! Sign-in secrets: the deployment URL and desktop token, kept only in the OS keychain (keyring 3)
//! or read from FANBASE_DEPLOYMENT / FANBASE_TOKEN. Never written to a file; `Token` prints as "***".

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The keychain service name of Fanbase's platform sign-in.
pub const SERVICE: &str = "fanbase-platform";
const ACCOUNT: &str = "desktop";
/// Environment variables that take the place of the keychain, read and never written.
pub const ENV_DEPLOYMENT: &str = "FANBASE_DEPLOYMENT";
pub const ENV_TOKEN: &str = "FANBASE_TOKEN";

/// The desktop token. Its `Debug` and `Display` print `***`; only `expose` gives the text.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token, trimming the whitespace a paste or `echo` adds.
    pub fn new(text: impl Into<String>) -> Token {
        Token(text.into().trim().to_string())
    }

    /// The token text, for the Authorization header and the keychain only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Where to reach the platform and how to prove who we are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    /// The deployment base URL without a trailing slash, e.g. `https://happy-otter-123.convex.cloud`.
    pub deployment: String,
    pub token: Token,
}

impl Credentials {
    /// Checks and normalises the deployment URL (http or https, no trailing slash) and the token.
    pub fn new(deployment: &str, token: Token) -> Result<Credentials> {
        let url = deployment.trim().trim_end_matches('/');
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() > "https://".len()
            && !url.chars().any(char::is_whitespace);
        if !ok {
            return Err(Error::InvalidDeployment(url.to_string()));
        }
        if token.is_empty() {
            return Err(Error::NotSignedIn);
        }
        Ok(Credentials { deployment: url.to_string(), token })
    }
}

/// Where the credentials in use came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Environment,
    Keychain,
}

/// The keychain entry holding the sign-in (one entry: `{deployment, token}` as JSON).
pub struct Keychain {
    entry: keyring::Entry,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    deployment: String,
    token: String,
}

impl fmt::Debug for Keychain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keychain")
    }
}

impl Keychain {
    /// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows).
    pub fn os() -> Result<Keychain> {
        Keychain::with_service(SERVICE)
    }

    /// The OS keychain under another service name (tests use a fresh one).
    pub fn with_service(service: &str) -> Result<Keychain> {
        let entry = keyring::Entry::new(service, ACCOUNT).map_err(keychain_error)?;
        Ok(Keychain { entry })
    }

    /// A keychain over a given entry, e.g. keyring's mock credential in unit tests.
    pub fn from_entry(entry: keyring::Entry) -> Keychain {
        Keychain { entry }
    }

    /// Stores the sign-in, replacing any previous one.
    pub fn save(&self, credentials: &Credentials) -> Result<()> {
        let stored =
            Stored { deployment: credentials.deployment.clone(), token: credentials.token.expose().to_string() };
        let text = serde_json::to_string(&stored).map_err(|e| Error::Keychain(e.to_string()))?;
        self.entry.set_password(&text).map_err(keychain_error)
    }

    /// The stored sign-in, or `None` when there is none.
    pub fn load(&self) -> Result<Option<Credentials>> {
        match self.entry.get_password() {
            Ok(text) => {
                let stored: Stored = serde_json::from_str(&text).map_err(|_| {
                    Error::Keychain("the stored sign-in is unreadable: run `fanbase logout`, then log in again".into())
                })?;
                Ok(Some(Credentials::new(&stored.deployment, Token::new(stored.token))?))
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    /// Removes the sign-in; removing nothing is fine.
    pub fn delete(&self) -> Result<()> {
        match self.entry.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// Maps a keyring failure without ever including a secret (keyring's errors carry none).
fn keychain_error(e: keyring::Error) -> Error {
    match e {
        keyring::Error::NoStorageAccess(inner) | keyring::Error::PlatformFailure(inner) => {
            Error::KeychainUnavailable(inner.to_string())
        }
        other => Error::Keychain(other.to_string()),
    }
}

/// Credentials from FANBASE_DEPLOYMENT and FANBASE_TOKEN when both are set and non-empty.
pub fn from_env() -> Result<Option<Credentials>> {
    from_vars(std::env::var(ENV_DEPLOYMENT).ok(), std::env::var(ENV_TOKEN).ok())
}

fn from_vars(deployment: Option<String>, token: Option<String>) -> Result<Option<Credentials>> {
    match (deployment.filter(|d| !d.trim().is_empty()), token.filter(|t| !t.trim().is_empty())) {
        (Some(d), Some(t)) => Ok(Some(Credentials::new(&d, Token::new(t))?)),
        _ => Ok(None),
    }
}

/// The credentials to use: the environment first, then the keychain (opened only if needed).
pub fn resolve(keychain: impl FnOnce() -> Result<Keychain>) -> Result<(Credentials, Source)> {
    if let Some(c) = from_env()? {
        return Ok((c, Source::Environment));
    }
    match keychain()?.load()? {
        Some(c) => Ok((c, Source::Keychain)),
        None => Err(Error::NotSignedIn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock_keychain() -> Keychain {
        let builder = keyring::mock::default_credential_builder();
        let credential = builder.build(None, "fanbase-test", "desktop").unwrap();
        Keychain::from_entry(keyring::Entry::new_with_credential(credential))
    }

    #[test]
    fn token_never_prints() {
        let c = Credentials::new("https://x.example/", Token::new("sekret-123\n")).unwrap();
        let shown = format!("{c:?} {} {:?}", c.token, c.token);
        assert!(!shown.contains("sekret"), "Debug/Display must mask the token: {shown}");
        assert_eq!(c.token.expose(), "sekret-123", "the token is trimmed");
        assert_eq!(c.deployment, "https://x.example", "the trailing slash is dropped");
    }

    #[test]
    fn deployment_must_be_a_url() {
        assert!(matches!(Credentials::new("happy-otter", Token::new("t")), Err(Error::InvalidDeployment(_))));
        assert!(matches!(Credentials::new("https://", Token::new("t")), Err(Error::InvalidDeployment(_))));
        assert!(matches!(Credentials::new("https://a.b", Token::new("  ")), Err(Error::NotSignedIn)));
    }

    #[test]
    fn environment_needs_both_variables() {
        assert_eq!(from_vars(Some("https://a.b".into()), None).unwrap(), None);
        assert_eq!(from_vars(None, Some("t".into())).unwrap(), None);
        assert_eq!(from_vars(Some("https://a.b".into()), Some(" ".into())).unwrap(), None);
        let both = from_vars(Some("https://a.b".into()), Some("t".into())).unwrap().unwrap();
        assert_eq!(both.deployment, "https://a.b");
    }

    #[test]
    fn mock_keychain_round_trip() {
        let keychain = mock_keychain();
        assert_eq!(keychain.load().unwrap(), None, "a fresh keychain holds no sign-in");
        let c = Credentials::new("https://a.b", Token::new("tok")).unwrap();
        keychain.save(&c).unwrap();
        assert_eq!(keychain.load().unwrap(), Some(c), "what was saved is read back");
        keychain.delete().unwrap();
        assert_eq!(keychain.load().unwrap(), None, "sign-out removes the sign-in");
        keychain.delete().expect("signing out twice is fine");
    }
}
