//! The platform's clock: wall time in epoch ms, but strictly increasing across writes and never
//! behind any time already in the data, so every write gets a unique, later `updatedAt`.

use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Default)]
pub struct Clock {
    last: i64,
}

impl Clock {
    /// The current server time for reads: wall time, or the last write time if that is later.
    pub fn now(&self) -> i64 {
        wall_ms().max(self.last)
    }

    /// A fresh write time, strictly after every earlier one.
    pub fn tick(&mut self) -> i64 {
        self.last = wall_ms().max(self.last + 1);
        self.last
    }

    /// Makes later ticks come after `t` (a time found in seeded data).
    pub fn observe(&mut self, t: i64) {
        self.last = self.last.max(t);
    }
}

fn wall_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}
