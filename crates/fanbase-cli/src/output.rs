//! Printing: stable JSON with `--json`, readable text otherwise, and errors as `code: message`.

use std::io::{ErrorKind, Write as _};
use std::process::ExitCode;

use serde::Serialize;

/// A failed command: printed on stderr as `error[CODE]: message`, exit status 1.
pub struct Failure {
    code: &'static str,
    message: String,
}

impl From<fanbase_core::Error> for Failure {
    fn from(e: fanbase_core::Error) -> Self {
        Failure { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_import::Error> for Failure {
    fn from(e: fanbase_import::Error) -> Self {
        Failure { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_sync::Error> for Failure {
    fn from(e: fanbase_sync::Error) -> Self {
        Failure { code: e.code(), message: e.to_string() }
    }
}

impl From<fanbase_campaign::Error> for Failure {
    fn from(e: fanbase_campaign::Error) -> Self {
        Failure { code: e.code(), message: e.to_string() }
    }
}

impl Failure {
    /// A failure of the command line itself (a file it cannot read, bad input on stdin).
    pub fn new(code: &'static str, message: String) -> Failure {
        Failure { code, message }
    }

    pub fn report(self) -> ExitCode {
        eprintln!("error[{}]: {}", self.code, self.message);
        ExitCode::FAILURE
    }
}

/// Prints `value` as one line of JSON when `json`, else the text `human` makes.
pub fn print_json_or<T: Serialize>(json: bool, value: &T, human: impl FnOnce() -> String) -> Result<(), Failure> {
    if json {
        let line = serde_json::to_string(value).map_err(|e| Failure { code: "OUTPUT", message: e.to_string() })?;
        say(&line)
    } else {
        say(&human())
    }
}

/// Prints one line on stdout. A reader that went away (`fanbase ... | head`) ends the output
/// quietly, as it does for other command-line tools; any other write error is a failure.
pub fn say(line: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(Failure { code: "OUTPUT", message: format!("stdout: {e}") }),
        _ => Ok(()),
    }
}

/// Whether a write failed only because the reader of stdout went away.
pub fn reader_left(e: &fanbase_import::Error) -> bool {
    matches!(e, fanbase_import::Error::Write { source, .. } if source.kind() == ErrorKind::BrokenPipe)
}
