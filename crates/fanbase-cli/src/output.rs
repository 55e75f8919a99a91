//! Printing: stable JSON with `--json`, readable text otherwise, and errors as `code: message`.

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
        println!("{line}");
    } else {
        println!("{}", human());
    }
    Ok(())
}
