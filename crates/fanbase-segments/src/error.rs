//! Errors of segments, scoring and engagement: messages say where and what to do; `code()` is stable.

use crate::parse::Invalid;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A segment that does not validate; the message starts with the path of the bad node.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// A scoring rule that does not validate; the path is inside the rule (`condition.all[0].op`).
    #[error("invalid scoring rule: {0}")]
    InvalidRule(Invalid),
    #[error("no segment named {name:?} in store {store:?}: see `fanbase segments list --store {store}`")]
    SegmentNotFound { store: String, name: String },
    #[error("a segment named {0:?} already exists: pick another name or pass --replace")]
    SegmentExists(String),
    #[error("{0:?} is a built-in segment: it cannot be changed or deleted; save under another name")]
    BuiltIn(String),
    #[error("no scoring rule named {name:?} in store {store:?}: see `fanbase score rules list --store {store}`")]
    RuleNotFound { store: String, name: String },
    /// A bad line of an engagement CSV: nothing of the file was imported.
    #[error("{file}: line {line}, column {column:?}: {message}. Nothing was imported; fix the line and run again")]
    Csv { file: String, line: u64, column: String, message: String },
    #[error(transparent)]
    Core(#[from] fanbase_core::Error),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Invalid(_) => "SEGMENT_INVALID",
            Error::InvalidRule(_) => "RULE_INVALID",
            Error::SegmentNotFound { .. } => "SEGMENT_NOT_FOUND",
            Error::SegmentExists(_) => "SEGMENT_EXISTS",
            Error::BuiltIn(_) => "SEGMENT_BUILTIN",
            Error::RuleNotFound { .. } => "RULE_NOT_FOUND",
            Error::Csv { .. } => "ENGAGEMENT_CSV",
            Error::Core(e) => e.code(),
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        Error::Core(fanbase_core::Error::Db(e))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
