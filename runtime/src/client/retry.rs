//! When to retry and how long to wait: capped exponential backoff with full
//! jitter, honouring `Retry-After`.
//!
//! Full jitter (a uniformly random wait between zero and the exponential
//! bound) spreads retries from many clients apart; it is the variant
//! recommended in the AWS Architecture Blog post "Exponential Backoff and
//! Jitter" (2015).

use std::time::Duration;

/// How a client retries throttled and failed attempts.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 disables retries).
    pub max_attempts: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Upper bound of any wait (also caps `Retry-After`).
    pub max_backoff: Duration,
    /// Growth of the bound per attempt.
    pub multiplier: f64,
    /// Wait a random fraction of the bound (full jitter) rather than all of it.
    pub jitter: bool,
    /// Also retry operations the spec does not mark idempotent (POST that
    /// creates something). Off by default: a retried create may create twice.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            multiplier: 2.0,
            jitter: true,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before attempt `attempt + 1`, given that `attempt` (1-based)
    /// failed; `retry_after` is the server's hint, if any.
    pub fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(hint) = retry_after {
            return hint.min(self.max_backoff);
        }
        let exponent = attempt.saturating_sub(1).min(30) as i32;
        let bound = self.initial_backoff.as_secs_f64() * self.multiplier.max(1.0).powi(exponent);
        let bound = bound.min(self.max_backoff.as_secs_f64());
        let wait = if self.jitter { bound * fastrand::f64() } else { bound };
        Duration::from_secs_f64(wait.max(0.0))
    }

    /// Whether another attempt is allowed after `attempt` failed.
    pub fn allows(&self, attempt: u32, idempotent: bool) -> bool {
        attempt < self.max_attempts && (idempotent || self.retry_non_idempotent)
    }
}

/// Whether an HTTP status is worth retrying: throttling (429) and the
/// server-side failures that are usually transient.
pub fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Whether a vendor error code means "slow down" even when the status does
/// not say so (Alibaba Cloud answers throttling with 400 `Throttling.User`,
/// Huawei's API gateway with `APIGW.0308`, and Zilliz with HTTP 200 and a
/// non-zero code).
pub fn throttling_code(code: &str) -> bool {
    let lower = code.to_ascii_lowercase();
    lower.starts_with("throttling")
        || lower.contains("ratelimit")
        || lower.contains("rate_limit")
        || lower == "serviceunavailable"
        || lower == "apigw.0308"
        || lower == "too_many_requests"
}

/// The `Retry-After` header in seconds (the HTTP-date form is ignored: the
/// computed backoff is used instead).
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap_without_jitter() {
        let p = RetryPolicy {
            jitter: false,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
            ..RetryPolicy::default()
        };
        let waits: Vec<u128> = (1..=5).map(|a| p.backoff(a, None).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
    }

    #[test]
    fn jitter_stays_within_the_bound() {
        let p = RetryPolicy::default();
        for attempt in 1..=10 {
            let bound = (0.2 * 2f64.powi(attempt - 1)).min(10.0);
            let wait = p.backoff(attempt as u32, None).as_secs_f64();
            assert!((0.0..=bound).contains(&wait), "attempt {attempt}: {wait} > {bound}");
        }
    }

    #[test]
    fn retry_after_is_honoured_but_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(1, Some(Duration::from_secs(3))), Duration::from_secs(3));
        assert_eq!(p.backoff(1, Some(Duration::from_secs(3600))), p.max_backoff);
        let mut h = http::HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        h.insert(
            http::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn non_idempotent_operations_are_not_retried_by_default() {
        let p = RetryPolicy::default();
        assert!(p.allows(1, true));
        assert!(!p.allows(1, false));
        assert!(!p.allows(3, true));
        let eager = RetryPolicy {
            retry_non_idempotent: true,
            ..p
        };
        assert!(eager.allows(1, false));
        assert!(!RetryPolicy::none().allows(1, true));
    }

    #[test]
    fn classification() {
        assert!(retryable_status(503) && retryable_status(429));
        assert!(!retryable_status(400) && !retryable_status(501));
        assert!(throttling_code("Throttling.User") && throttling_code("APIGW.0308"));
        assert!(!throttling_code("InvalidParameter"));
    }
}
