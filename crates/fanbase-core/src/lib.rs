//! Fanbase's domain: the local fan database and everything that reads or writes it.
//! Plain Rust with no Tauri dependency; the desktop shell, the CLI and the tests all call it.

pub mod contacts;
pub mod db;
pub mod demo;
pub mod error;
pub mod indexes;
pub mod stores;
pub mod tags;
pub mod text;

pub use db::Db;
pub use error::{Error, Result};

/// Milliseconds since the Unix epoch, read once at the edge and passed into domain functions.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
