//! The admin error type: messages say what happened and what to do; `code()` is stable.

/// Errors of the admin area. The desktop shell sends `{code, message}` across IPC.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "{0} is not a platform admin: the admin area (users, roles, stats) is for admins only. \
         Sign in with an admin's desktop token to use it"
    )]
    NotAdmin(String),
    #[error("no user with id {0:?} in the local copy: run `fanbase users pull` (or `fanbase sync`) as an admin first")]
    UserNotFound(String),
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("invalid cursor: {0}; start again from the first page")]
    InvalidCursor(String),
    /// A refusal or failure of the platform (FORBIDDEN, CONFLICT, SIGN_IN_REQUIRED, ...), with its message.
    #[error(transparent)]
    Platform(#[from] fanbase_sync::Error),
    #[error(transparent)]
    Local(#[from] fanbase_core::Error),
    #[error("database error in the admin area: {0}")]
    Db(#[from] sqlx::Error),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotAdmin(_) => "NOT_ADMIN",
            Error::UserNotFound(_) => "USER_NOT_FOUND",
            Error::InvalidArgument(_) => "INVALID_ARGUMENT",
            Error::InvalidCursor(_) => "INVALID_CURSOR",
            Error::Platform(e) => e.code(),
            Error::Local(e) => e.code(),
            Error::Db(_) => "DB",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
