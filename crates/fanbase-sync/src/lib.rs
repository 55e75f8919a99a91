//! Sync of the local fan database with the hosted platform (contract v1, `desktop:*` over Convex's
//! HTTP API): sign-in secrets in the OS keychain, resumable paged pulls, an outbox pushed in
//! batches, conflicts for the user. Plain Rust with no Tauri dependency.

pub mod account;
pub mod apply;
mod bulk;
pub mod client;
pub mod conflicts;
pub mod control;
pub mod credentials;
pub mod error;
pub mod feeds;
pub mod fields;
pub mod outbox;
pub mod plan;
pub mod pull;
pub mod push;
pub mod retry;
pub mod run;
pub mod state;
pub mod status;
mod upsert;
pub mod wire;

pub use account::{sign_in, sign_in_with, sign_out};
pub use client::Client;
pub use conflicts::Keep;
pub use control::{no_progress, Cancel, OnProgress, Phase, Progress};
pub use credentials::{Credentials, Keychain, Source, Token};
pub use error::{Error, Result};
pub use retry::RetryPolicy;
pub use run::{sync, SyncOptions, SyncReport};
pub use status::{status, SyncStatus};
