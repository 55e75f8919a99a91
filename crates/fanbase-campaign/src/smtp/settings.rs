//! SMTP settings (table `smtp_settings`, one row) and the password, which lives in the OS keychain
//! (service `fanbase-smtp`), or in `FANBASE_SMTP_PASSWORD` for headless automation; never in the database.

use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use crate::{Error, Result};
use fanbase_core::Db;

/// The environment variable that replaces the keychain.
pub const PASSWORD_ENV: &str = "FANBASE_SMTP_PASSWORD";
const KEYCHAIN_SERVICE: &str = "fanbase-smtp";

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// TLS from the first byte (SMTPS, usually port 465).
    Implicit,
    /// Plain connection upgraded with STARTTLS; refusing servers that do not offer it (port 587).
    Starttls,
    /// No encryption: for a local test server only.
    None,
}

impl TlsMode {
    pub fn parse(text: &str) -> Result<TlsMode> {
        match text {
            "implicit" => Ok(TlsMode::Implicit),
            "starttls" => Ok(TlsMode::Starttls),
            "none" => Ok(TlsMode::None),
            other => Err(Error::SmtpSettings(format!("TLS mode must be implicit, starttls or none, not {other:?}"))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Implicit => "implicit",
            TlsMode::Starttls => "starttls",
            TlsMode::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    /// Empty: no authentication (local test servers).
    #[serde(default)]
    pub username: String,
    /// An extra trusted root certificate (PEM), for test servers with their own CA.
    #[serde(default)]
    pub ca_pem: String,
    /// Unsubscribe link when the platform issues none: `{email}`, `{customer_id}`, `{store}` are replaced.
    #[serde(default)]
    pub unsubscribe_url_template: String,
    /// Address for `mailto:` unsubscribe requests (default: the campaign's sender).
    #[serde(default)]
    pub unsubscribe_mailto: String,
}

impl SmtpSettings {
    pub fn validate(&self) -> Result<()> {
        if self.host.trim().is_empty() {
            return Err(Error::SmtpSettings("the host is empty".into()));
        }
        if self.port == 0 {
            return Err(Error::SmtpSettings("the port must be 1..65535".into()));
        }
        if !self.ca_pem.trim().is_empty() && !self.ca_pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(Error::SmtpSettings(
                "the CA file is not a PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
            ));
        }
        Ok(())
    }

    /// `user@host:port`, the keychain account name and what messages call the server.
    pub fn account(&self) -> String {
        match self.username.as_str() {
            "" => format!("{}:{}", self.host, self.port),
            user => format!("{user}@{}:{}", self.host, self.port),
        }
    }
}

/// Saves the settings (replacing the previous ones).
pub async fn save(db: &Db, settings: &SmtpSettings, now: i64) -> Result<()> {
    settings.validate()?;
    sqlx::query(
        "INSERT INTO smtp_settings (id, host, port, tls, username, ca_pem, unsubscribe_url_template, unsubscribe_mailto, updated_at)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port, tls = excluded.tls,
           username = excluded.username, ca_pem = excluded.ca_pem,
           unsubscribe_url_template = excluded.unsubscribe_url_template,
           unsubscribe_mailto = excluded.unsubscribe_mailto, updated_at = excluded.updated_at",
    )
    .bind(settings.host.trim())
    .bind(i64::from(settings.port))
    .bind(settings.tls.as_str())
    .bind(settings.username.trim())
    .bind(&settings.ca_pem)
    .bind(settings.unsubscribe_url_template.trim())
    .bind(settings.unsubscribe_mailto.trim())
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The saved settings, if any.
pub async fn load(db: &Db) -> Result<Option<SmtpSettings>> {
    let row = sqlx::query(
        "SELECT host, port, tls, username, ca_pem, unsubscribe_url_template, unsubscribe_mailto FROM smtp_settings WHERE id = 1",
    )
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let port: i64 = row.try_get("port")?;
    Ok(Some(SmtpSettings {
        host: row.try_get("host")?,
        port: u16::try_from(port).map_err(|_| Error::SmtpSettings(format!("stored port {port} is out of range")))?,
        tls: TlsMode::parse(&row.try_get::<String, _>("tls")?)?,
        username: row.try_get("username")?,
        ca_pem: row.try_get("ca_pem")?,
        unsubscribe_url_template: row.try_get("unsubscribe_url_template")?,
        unsubscribe_mailto: row.try_get("unsubscribe_mailto")?,
    }))
}

/// Stores the password in the OS keychain.
pub fn store_password(settings: &SmtpSettings, password: &str) -> Result<()> {
    keyring::Entry::new(KEYCHAIN_SERVICE, &settings.account())
        .and_then(|entry| entry.set_password(password))
        .map_err(|e| Error::Keychain(e.to_string()))
}

/// Removes the password from the OS keychain (nothing to do if there is none).
pub fn forget_password(settings: &SmtpSettings) -> Result<()> {
    let entry =
        keyring::Entry::new(KEYCHAIN_SERVICE, &settings.account()).map_err(|e| Error::Keychain(e.to_string()))?;
    match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(Error::Keychain(e.to_string())),
    }
}

/// The password: `FANBASE_SMTP_PASSWORD` when set, else the keychain's. `None` when the settings
/// have no user (no authentication).
pub fn password(settings: &SmtpSettings) -> Result<Option<String>> {
    if settings.username.is_empty() {
        return Ok(None);
    }
    if let Some(p) = std::env::var_os(PASSWORD_ENV).filter(|p| !p.is_empty()) {
        return Ok(Some(p.to_string_lossy().into_owned()));
    }
    let entry =
        keyring::Entry::new(KEYCHAIN_SERVICE, &settings.account()).map_err(|e| Error::Keychain(e.to_string()))?;
    match entry.get_password() {
        Ok(p) => Ok(Some(p)),
        Err(keyring::Error::NoEntry) => Err(Error::SmtpPasswordMissing(settings.account())),
        Err(e) => Err(Error::Keychain(e.to_string())),
    }
}

/// Settings plus the password: everything a connection needs.
#[derive(Clone)]
pub struct SmtpAccount {
    pub settings: SmtpSettings,
    pub password: Option<String>,
}

impl std::fmt::Debug for SmtpAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpAccount").field("settings", &self.settings).field("password", &"<hidden>").finish()
    }
}

impl SmtpAccount {
    /// The saved settings with their password (env or keychain).
    pub async fn load(db: &Db) -> Result<SmtpAccount> {
        let settings = load(db).await?.ok_or(Error::SmtpNotConfigured)?;
        let password = password(&settings)?;
        Ok(SmtpAccount { settings, password })
    }
}
