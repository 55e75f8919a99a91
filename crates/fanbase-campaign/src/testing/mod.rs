//! Test support shared by this crate's tests, the CLI's tests and the benchmark (feature
//! `test-smtp`): a real SMTP server on loopback with TLS from a throw-away CA, and fan fixtures.

pub mod ca;
pub mod fixtures;
pub mod smtp_server;

pub use ca::TestCa;
pub use smtp_server::{Fault, Received, Rule, ServerConfig, SmtpServer, Stage};
