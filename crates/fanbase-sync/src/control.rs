//! What a caller of a sync holds: a cancellation switch and a progress callback.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;
use tokio::sync::Notify;

/// Cancels a running sync from another task or thread. Cheap to clone; all clones share one switch.
/// A cancelled sync stops between pages or during a wait; what was applied stays applied.
#[derive(Clone, Debug, Default)]
pub struct Cancel {
    inner: Arc<(AtomicBool, Notify)>,
}

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    pub fn cancel(&self) {
        self.inner.0.store(true, Ordering::SeqCst);
        self.inner.1.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.inner.0.load(Ordering::SeqCst)
    }

    /// Resolves once `cancel` has been called.
    pub async fn cancelled(&self) {
        loop {
            let notified = self.inner.1.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// What a sync is doing now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Customers,
    Engagement,
    Users,
    Push,
}

/// A progress report: sent after each applied page or answered push batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The platform storeId, or `None` for account-wide feeds (users).
    pub store: Option<String>,
    pub phase: Phase,
    /// Records applied (pull) or changes answered (push) so far in this phase.
    pub done: u64,
    /// The number to reach when known (push); pulls do not know their total.
    pub total: Option<u64>,
}

/// The callback a sync reports progress to. Keep it fast: it runs on the sync's task.
pub type OnProgress<'a> = &'a (dyn Fn(&Progress) + Send + Sync);

/// A progress callback that ignores everything.
pub fn no_progress(_: &Progress) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn cancel_wakes_a_waiter() {
        let cancel = Cancel::new();
        let waiter = tokio::spawn({
            let c = cancel.clone();
            async move { c.cancelled().await }
        });
        tokio::task::yield_now().await;
        cancel.cancel();
        tokio::time::timeout(std::time::Duration::from_secs(5), waiter).await.unwrap().unwrap();
        assert!(cancel.is_cancelled());
        cancel.cancelled().await; // already cancelled: returns at once
    }
}
