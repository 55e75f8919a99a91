//! The handle a front end holds on a running send: pause, resume, stop (leave it resumable),
//! cancel (never send the rest), and a live progress feed (a `watch` channel).

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::watch;

use super::outbox::Tally;

/// What the front end wants the run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wanted {
    Run,
    Pause,
    /// Finish the messages in flight and end the run; the campaign stays resumable (app quit, Ctrl-C).
    Stop,
    /// Finish the messages in flight and end the campaign for good; the rest stays unsent.
    Cancel,
}

/// Where the run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    #[default]
    Starting,
    Sending,
    Paused,
    /// Nothing is due yet (4xx retries later) or the server cannot be reached; `note` says which.
    Waiting,
    Done,
    Stopped,
    Cancelled,
}

/// A snapshot of a run, for the progress bar.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Progress {
    pub campaign_id: i64,
    #[serde(flatten)]
    pub tally: Tally,
    pub phase: Phase,
    pub note: String,
}

/// Clone it freely: every clone controls and watches the same run.
#[derive(Clone)]
pub struct SendControl {
    wanted: Arc<watch::Sender<Wanted>>,
    progress: Arc<watch::Sender<Progress>>,
}

impl Default for SendControl {
    fn default() -> Self {
        SendControl::new()
    }
}

impl SendControl {
    pub fn new() -> SendControl {
        SendControl {
            wanted: Arc::new(watch::channel(Wanted::Run).0),
            progress: Arc::new(watch::channel(Progress::default()).0),
        }
    }

    pub fn pause(&self) {
        self.wanted.send_if_modified(|w| replace_unless_final(w, Wanted::Pause));
    }

    pub fn resume(&self) {
        self.wanted.send_if_modified(|w| replace_unless_final(w, Wanted::Run));
    }

    pub fn stop(&self) {
        self.wanted.send_if_modified(|w| replace_unless_final(w, Wanted::Stop));
    }

    pub fn cancel(&self) {
        self.wanted.send_replace(Wanted::Cancel);
    }

    pub fn wanted(&self) -> Wanted {
        *self.wanted.borrow()
    }

    /// The latest progress.
    pub fn progress(&self) -> Progress {
        self.progress.borrow().clone()
    }

    /// A receiver that wakes on every progress change (for events to the window).
    pub fn subscribe(&self) -> watch::Receiver<Progress> {
        self.progress.subscribe()
    }

    pub(crate) fn watch_wanted(&self) -> watch::Receiver<Wanted> {
        self.wanted.subscribe()
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut Progress)) {
        self.progress.send_modify(f);
    }

    /// Waits while paused; returns `Run`, `Stop` or `Cancel`.
    pub(crate) async fn runnable(&self) -> Wanted {
        let mut rx = self.wanted.subscribe();
        let wanted = rx.wait_for(|w| *w != Wanted::Pause).await.map(|w| *w);
        wanted.unwrap_or(Wanted::Stop)
    }
}

/// Cancel is final; Stop only yields to Cancel.
fn replace_unless_final(current: &mut Wanted, next: Wanted) -> bool {
    if *current == Wanted::Cancel || (*current == Wanted::Stop && next != Wanted::Cancel) || *current == next {
        return false;
    }
    *current = next;
    true
}
