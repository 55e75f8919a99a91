//! Talking to the creator's mail provider: settings and password, and connections over lettre.

pub mod connection;
pub mod settings;
mod stream;

pub use connection::{deliver, Connector, Outcome};
pub use settings::{SmtpAccount, SmtpSettings, TlsMode};
