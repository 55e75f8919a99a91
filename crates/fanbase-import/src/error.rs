//! The import error type: each message says where (file, line) and what to do; `code()` is stable.

/// Errors that stop an import as a whole. A bad row is never an error: it is a rejected row in the
/// report, with its line, column and reason.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not read {path}: {source}. Check that the file exists and is readable.")]
    Read { path: String, source: std::io::Error },
    #[error("could not write {path}: {source}. Check that the folder exists and is writable.")]
    Write { path: String, source: std::io::Error },
    #[error("the file is empty: export the list again, with its header row")]
    EmptyFile,
    #[error(
        "this is not a CSV file ({0}): export the list as CSV (comma, semicolon or tab separated) and import that"
    )]
    NotCsv(String),
    #[error(
        "the header has no email column (columns: {columns}): rename the email column to \"Email\" \
         or map it with --map 'Header=email'"
    )]
    NoEmailColumn { columns: String, headers: Vec<String> },
    #[error(
        "line {line}: a record longer than {limit} MiB starts here, probably a quote that is never \
         closed: fix that line and import again"
    )]
    RecordTooLarge { line: u64, limit: u64 },
    #[error("line {line}: {message}")]
    Parse { line: u64, message: String },
    #[error("invalid mapping: {0}")]
    Mapping(String),
    #[error("the import was cancelled: nothing was written")]
    Cancelled,
    #[error("no import report with id {0}: list the reports with `fanbase import reports --store ID`")]
    ReportNotFound(i64),
    #[error("{0}")]
    Core(#[from] fanbase_core::Error),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

impl Error {
    /// A stable, machine-readable code: the UI and scripts branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Read { .. } => "FILE_READ",
            Error::Write { .. } => "FILE_WRITE",
            Error::EmptyFile => "EMPTY_FILE",
            Error::NotCsv(_) => "NOT_CSV",
            Error::NoEmailColumn { .. } => "NO_EMAIL_COLUMN",
            Error::RecordTooLarge { .. } => "RECORD_TOO_LARGE",
            Error::Parse { .. } => "CSV_PARSE",
            Error::Mapping(_) => "INVALID_MAPPING",
            Error::Cancelled => "CANCELLED",
            Error::ReportNotFound(_) => "REPORT_NOT_FOUND",
            Error::Core(e) => e.code(),
            Error::Db(_) => "DB",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
