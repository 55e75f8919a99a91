//! Campaigns: compose with merge tags, preview as any fan with exact counts and warnings, and send
//! over SMTP from a per-campaign outbox that resumes after any stop and never sends twice.
//! Plain Rust with no Tauri dependency: the window, the CLI and the tests call these functions.

pub mod audience;
pub mod campaign;
pub mod drafts;
pub mod error;
pub mod merge;
pub mod message;
pub mod platform;
pub mod preview;
pub mod send;
pub mod smtp;
pub mod template;
pub mod unsubscribe;
pub mod warnings;

pub use campaign::{Campaign, Layout};
pub use error::{Error, Result, TemplatePosition};
pub use platform::PlatformLinks;
pub use preview::{preview, Pick, Preview};
pub use send::{
    run, send, send_test, start, Phase, Progress, SendControl, SendOptions, Started, Summary, Tally, TestMessage,
};
pub use smtp::{SmtpAccount, SmtpSettings, TlsMode};
pub use unsubscribe::{Fallback, NoPlatform, UnsubscribeLinks};
pub use warnings::Warning;

#[cfg(feature = "test-smtp")]
pub mod testing;
