//! The sync error type: every message says what happened and what to do; `code()` is stable.
//! No variant ever carries the desktop token.

/// Errors of sign-in and sync. The desktop shell sends `{code, message}` across IPC.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "not signed in to the platform: run `fanbase login --deployment URL` (token on stdin), \
         or set FANBASE_DEPLOYMENT and FANBASE_TOKEN"
    )]
    NotSignedIn,
    #[error(
        "the platform refused the desktop token ({0}): it has expired or was revoked. Sign in again with a \
         new token from the platform's settings page; your local data and pending changes are kept"
    )]
    SignInRequired(String),
    #[error(
        "no OS keychain could be reached ({0}). Fanbase keeps the token only in the keychain and never in a \
         file: unlock or start your keychain (GNOME Keyring, KWallet), or set FANBASE_DEPLOYMENT and \
         FANBASE_TOKEN in the environment instead"
    )]
    KeychainUnavailable(String),
    #[error("the OS keychain failed: {0}")]
    Keychain(String),
    #[error("the deployment URL {0:?} is not valid: give the full https:// address of your platform deployment")]
    InvalidDeployment(String),
    #[error("the platform refused: {0} (not your store, or an admin-only function)")]
    Forbidden(String),
    #[error("the platform does not know this record: {0}")]
    NotFound(String),
    #[error("the platform rejected the request as invalid: {0}")]
    InvalidArgument(String),
    #[error("the platform refused because of a conflict: {0}")]
    Conflict(String),
    #[error("the platform refused with {code}: {message}")]
    Platform { code: String, message: String },
    #[error(
        "the platform answered HTTP {status} to {function}: {message}. This is a bug in Fanbase: please report it"
    )]
    Malformed { function: String, status: u16, message: String },
    #[error(
        "the platform could not be reached after {attempts} tries ({detail}). Check your connection; local \
         data is safe and the next sync resumes where this one stopped"
    )]
    Unreachable { attempts: u32, detail: String },
    #[error("the sync was cancelled; it resumes from the last saved page next time")]
    Cancelled,
    #[error("no conflict or rejected change with id {0}: list them with `fanbase conflicts list`")]
    NoSuchConflict(i64),
    #[error(transparent)]
    Local(#[from] fanbase_core::Error),
    #[error("database error during sync: {0}")]
    Db(#[from] sqlx::Error),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotSignedIn => "NOT_SIGNED_IN",
            Error::SignInRequired(_) => "SIGN_IN_REQUIRED",
            Error::KeychainUnavailable(_) => "KEYCHAIN_UNAVAILABLE",
            Error::Keychain(_) => "KEYCHAIN",
            Error::InvalidDeployment(_) => "INVALID_DEPLOYMENT",
            Error::Forbidden(_) => "FORBIDDEN",
            Error::NotFound(_) => "NOT_FOUND",
            Error::InvalidArgument(_) => "INVALID_ARGUMENT",
            Error::Conflict(_) => "CONFLICT",
            Error::Platform { .. } => "PLATFORM",
            Error::Malformed { .. } => "PLATFORM_MALFORMED",
            Error::Unreachable { .. } => "UNREACHABLE",
            Error::Cancelled => "CANCELLED",
            Error::NoSuchConflict(_) => "NO_SUCH_CONFLICT",
            Error::Local(e) => e.code(),
            Error::Db(_) => "DB",
        }
    }

    /// Maps a 560 refusal's `errorData.code` to a typed error.
    pub(crate) fn from_platform(code: &str, message: String) -> Error {
        match code {
            "UNAUTHENTICATED" => Error::SignInRequired(message),
            "FORBIDDEN" => Error::Forbidden(message),
            "NOT_FOUND" => Error::NotFound(message),
            "INVALID_ARGUMENT" => Error::InvalidArgument(message),
            "CONFLICT" => Error::Conflict(message),
            other => Error::Platform { code: other.to_string(), message },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_codes_map_to_typed_errors() {
        assert_eq!(Error::from_platform("FORBIDDEN", "not your store".into()).code(), "FORBIDDEN");
        assert_eq!(Error::from_platform("UNAUTHENTICATED", "x".into()).code(), "SIGN_IN_REQUIRED");
        assert_eq!(Error::from_platform("INVALID_ARGUMENT", "x".into()).code(), "INVALID_ARGUMENT");
        assert_eq!(Error::from_platform("NOT_FOUND", "x".into()).code(), "NOT_FOUND");
        assert_eq!(Error::from_platform("CONFLICT", "x".into()).code(), "CONFLICT");
        let other = Error::from_platform("RATE", "x".into());
        assert_eq!(other.code(), "PLATFORM", "an unknown code must still be a typed platform refusal");
        assert!(other.to_string().contains("RATE"), "the message names the platform's code");
    }

    #[test]
    fn keychain_message_names_the_environment_variables() {
        let text = Error::KeychainUnavailable("no D-Bus session".into()).to_string();
        assert!(text.contains("FANBASE_DEPLOYMENT") && text.contains("FANBASE_TOKEN"), "{text}");
        assert!(text.contains("never in a file"), "the user must know there is no file fallback: {text}");
    }
}
