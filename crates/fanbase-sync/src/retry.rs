//! How long to wait before trying a transient failure again: exponential back-off with jitter,
//! bounded in attempts; a 429's `Retry-After` is honoured (capped). Pure: the caller sleeps.

use std::time::Duration;

/// Bounds of the retry loop. `Default` suits a real network; tests shorten the delays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries of one call in all, the first included.
    pub max_attempts: u32,
    /// The first back-off; doubles each try.
    pub base: Duration,
    /// The longest back-off.
    pub cap: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// One request's whole time, body included.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base: Duration::from_millis(250),
            cap: Duration::from_secs(15),
            max_retry_after: Duration::from_secs(120),
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// The wait after failed try number `attempt` (0-based), with `jitter` in [0, 1): a uniformly
    /// drawn point in the upper half of the exponential window ("equal jitter").
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let window = self.base.saturating_mul(1u32 << attempt.min(20)).min(self.cap);
        let half = window / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// The wait asked by a 429: `Retry-After` seconds (capped), else the back-off.
    pub fn rate_limited(&self, retry_after: Option<Duration>, attempt: u32, jitter: f64) -> Duration {
        match retry_after {
            Some(d) => d.min(self.max_retry_after),
            None => self.backoff(attempt, jitter),
        }
    }
}

/// Reads a `Retry-After` header value given in seconds (the HTTP-date form is treated as absent).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_jitter_and_is_capped() {
        let p = RetryPolicy { base: Duration::from_millis(100), cap: Duration::from_secs(1), ..Default::default() };
        assert_eq!(p.backoff(0, 0.0), Duration::from_millis(50), "the lower edge is half the window");
        assert_eq!(p.backoff(0, 1.0), Duration::from_millis(100));
        assert_eq!(p.backoff(2, 0.0), Duration::from_millis(200), "the window doubles per try");
        assert_eq!(p.backoff(30, 1.0), Duration::from_secs(1), "the cap bounds every wait");
        for attempt in 0..10 {
            let (lo, hi) = (p.backoff(attempt, 0.0), p.backoff(attempt, 0.999));
            assert!(lo <= hi && hi <= p.cap, "attempt {attempt}: {lo:?}..{hi:?} within the cap");
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.rate_limited(Some(Duration::from_secs(3)), 0, 0.5), Duration::from_secs(3));
        assert_eq!(p.rate_limited(Some(Duration::from_secs(9999)), 0, 0.5), p.max_retry_after);
        assert_eq!(p.rate_limited(None, 1, 0.0), p.backoff(1, 0.0), "without the header, back off");
        assert_eq!(parse_retry_after(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after("0.5"), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }
}
