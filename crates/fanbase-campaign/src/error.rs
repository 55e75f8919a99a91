//! The campaign error type: messages say where and what to do; `code()` is stable for the UI and scripts.

/// Where in the campaign a template error happened: the field, and the 1-based line and column
/// in that field's own text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemplatePosition {
    pub field: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Core(#[from] fanbase_core::Error),
    #[error("invalid campaign: {0}")]
    InvalidCampaign(String),
    #[error("template error in {field} at line {line}, column {column}: {message}", field = .at.field, line = .at.line, column = .at.column)]
    Template { at: TemplatePosition, message: String },
    #[error("no campaign named {name:?} in store {store:?}: save it first")]
    CampaignNotFound { store: String, name: String },
    #[error("the campaign cannot be sent yet: {0}. Fix these and try again.")]
    SendBlocked(String),
    #[error(
        "campaign {0:?} was started with different content; a started campaign cannot change. \
         Restore the file as it was to resume, or give the campaign a new name to send it again"
    )]
    CampaignChanged(String),
    #[error("campaign {0:?} was cancelled; give it a new name to send it again")]
    CampaignCancelled(String),
    #[error("campaign {0:?} is being sent by another process right now; wait for it to finish or stop it first")]
    CampaignBusy(String),
    #[error("no fan with email {0:?} among this campaign's recipients")]
    RecipientNotFound(String),
    #[error("the campaign has no recipients: nobody in the list or segment can be emailed")]
    NoRecipients,
    #[error("the campaign's segment: {0}")]
    Segments(#[from] fanbase_segments::Error),
    #[error("no SMTP settings yet: run `fanbase smtp set --host H --port P --tls implicit|starttls|none --user U`")]
    SmtpNotConfigured,
    #[error("invalid SMTP settings: {0}")]
    SmtpSettings(String),
    #[error(
        "no SMTP password for {0}: run `fanbase smtp set` again to store it in the keychain, or set FANBASE_SMTP_PASSWORD"
    )]
    SmtpPasswordMissing(String),
    #[error("the OS keychain refused: {0}. Set FANBASE_SMTP_PASSWORD instead on machines without a keychain")]
    Keychain(String),
    #[error("could not reach the SMTP server {server}: {message}. Check host, port, TLS mode and the network")]
    SmtpConnect { server: String, message: String },
    #[error("the SMTP server refused the message: {0}")]
    SmtpRefused(String),
    #[error("invalid email address {address:?}: {message}")]
    InvalidAddress { address: String, message: String },
    #[error("unsubscribe links could not be issued: {0}")]
    UnsubscribeLinks(String),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Core(e) => e.code(),
            Error::InvalidCampaign(_) => "INVALID_CAMPAIGN",
            Error::Template { .. } => "TEMPLATE",
            Error::CampaignNotFound { .. } => "CAMPAIGN_NOT_FOUND",
            Error::SendBlocked(_) => "SEND_BLOCKED",
            Error::CampaignChanged(_) => "CAMPAIGN_CHANGED",
            Error::CampaignCancelled(_) => "CAMPAIGN_CANCELLED",
            Error::CampaignBusy(_) => "CAMPAIGN_BUSY",
            Error::RecipientNotFound(_) => "RECIPIENT_NOT_FOUND",
            Error::NoRecipients => "NO_RECIPIENTS",
            Error::Segments(e) => e.code(),
            Error::SmtpNotConfigured => "SMTP_NOT_CONFIGURED",
            Error::SmtpSettings(_) => "SMTP_SETTINGS",
            Error::SmtpPasswordMissing(_) => "SMTP_PASSWORD_MISSING",
            Error::Keychain(_) => "KEYCHAIN",
            Error::SmtpConnect { .. } => "SMTP_CONNECT",
            Error::SmtpRefused(_) => "SMTP_REFUSED",
            Error::InvalidAddress { .. } => "INVALID_ADDRESS",
            Error::UnsubscribeLinks(_) => "UNSUBSCRIBE_LINKS",
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Core(fanbase_core::Error::Db(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
