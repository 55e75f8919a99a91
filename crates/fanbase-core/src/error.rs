//! The domain error type: every message says what happened and what to do; `code()` is stable.

/// Errors of the domain crate. The desktop shell sends `{code, message}` across IPC.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no store with id {0:?}: add it first (`fanbase stores add --id {0} --name NAME`)")]
    StoreNotFound(String),
    #[error("a store with id {0:?} already exists: pick another id")]
    StoreExists(String),
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    #[error("invalid cursor: {0}; start again from the first page")]
    InvalidCursor(String),
    #[error("could not open the database at {path}: {source}. Check that the folder exists and is writable.")]
    Open { path: String, source: sqlx::Error },
    #[error("the database schema could not be updated: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::StoreNotFound(_) => "STORE_NOT_FOUND",
            Error::StoreExists(_) => "STORE_EXISTS",
            Error::InvalidArgument(_) => "INVALID_ARGUMENT",
            Error::InvalidCursor(_) => "INVALID_CURSOR",
            Error::Open { .. } => "DB_OPEN",
            Error::Migrate(_) => "DB_MIGRATE",
            Error::Db(_) => "DB",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
