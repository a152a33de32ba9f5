//! When to try a request again, and after how long.
//!
//! Retried: network failures, time-outs, 429 and server errors (5xx except 501 and 505, which
//! say the server will never do it). Never retried: other 4xx, which say the request itself is
//! wrong (or not allowed) and would fail the same way again. The pause is exponential with
//! "equal jitter": half the exponential delay plus a random part of the other half, so clients
//! that failed together do not come back together, yet never retry at once. A `Retry-After` from
//! the server is honoured when it is not longer than [`RetryPolicy::max_retry_after_ms`]; a
//! longer one ends the attempts (the person sees when to try again).

use time::format_description::well_known::Rfc2822;
use time::OffsetDateTime;

/// How one attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// An HTTP answer with this status.
    Status(u16),
    /// No answer: connection refused, reset, DNS, offline, or a CORS refusal.
    Network,
    /// No answer within the time limit.
    Timeout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Keep the answer (success, or a failure retrying cannot fix).
    Done,
    /// Wait this long, then try again.
    RetryAfter { ms: u32 },
    /// Retryable, but the attempts (or the server's patience) ran out.
    GiveUp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry, before jitter.
    pub base_delay_ms: u32,
    /// Largest delay between two attempts.
    pub max_delay_ms: u32,
    /// The longest `Retry-After` worth waiting for while the person watches.
    pub max_retry_after_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 500,
            max_delay_ms: 8_000,
            max_retry_after_ms: 30_000,
        }
    }
}

/// How much longer than a request's whole retry schedule the page waits for the data worker
/// before taking it for dead: the worker also parses and maps between requests.
pub const WORKER_SILENCE_MARGIN_MS: u32 = 60_000;

/// How long Cancel waits for the data worker to acknowledge it. A live worker answers at once
/// (its Cancel does not wait for the sync); one that does not answer within this is taken for
/// dead, stopped, and the sync shown as cancelled. Short, because the person is watching; long
/// enough for a worker busy mapping a large page to get to the message.
pub const CANCEL_ACK_MS: u32 = 3_000;

/// Whether an answer with this status is worth asking again.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status) && status != 501 && status != 505
}

impl RetryPolicy {
    /// What to do after attempt number `attempt` (1 for the first) ended with `outcome`.
    /// `retry_after_ms` is the server's `Retry-After`, already converted (see
    /// [`parse_retry_after`]); `jitter` is a random number in `[0, 1)`.
    pub fn decide(
        &self,
        attempt: u32,
        outcome: Attempt,
        retry_after_ms: Option<u32>,
        jitter: f64,
    ) -> Decision {
        let retryable = match outcome {
            Attempt::Network | Attempt::Timeout => true,
            Attempt::Status(status) => is_retryable_status(status),
        };
        if !retryable {
            return Decision::Done;
        }
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        match retry_after_ms {
            Some(ms) if ms > self.max_retry_after_ms => Decision::GiveUp,
            Some(ms) => Decision::RetryAfter {
                ms: ms.max(self.backoff_ms(attempt, jitter)),
            },
            None => Decision::RetryAfter {
                ms: self.backoff_ms(attempt, jitter),
            },
        }
    }

    /// The longest one request can take with every retry, when each attempt takes
    /// `request_timeout_ms` (its time limit) and every pause is the longest the policy allows
    /// (the largest backoff, or the longest `Retry-After` it honours).
    pub fn worst_case_ms(&self, request_timeout_ms: u32) -> u32 {
        let attempts = self.max_attempts.max(1);
        let longest_pause = self.max_delay_ms.max(self.max_retry_after_ms);
        request_timeout_ms
            .saturating_mul(attempts)
            .saturating_add(longest_pause.saturating_mul(attempts - 1))
    }

    /// How long the data worker running a sync may stay silent before the page takes it for
    /// dead and ends the sync: the worst case of one request's retry schedule plus
    /// [`WORKER_SILENCE_MARGIN_MS`] (270 s with the default policy and 30 s requests). The
    /// worker reports progress before every request and every retry, so a live worker is
    /// never silent longer than that.
    pub fn worker_silence_ms(&self, request_timeout_ms: u32) -> u32 {
        self.worst_case_ms(request_timeout_ms)
            .saturating_add(WORKER_SILENCE_MARGIN_MS)
    }

    /// The pause after `attempt` failed attempts: `base * 2^(attempt-1)`, at most `max`, of
    /// which the upper half is scaled by `jitter`.
    pub fn backoff_ms(&self, attempt: u32, jitter: f64) -> u32 {
        let doublings = attempt.saturating_sub(1).min(20);
        let exponential = self
            .base_delay_ms
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay_ms);
        let half = exponential / 2;
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        half + (f64::from(exponential - half) * jitter) as u32
    }
}

/// `Retry-After` in milliseconds: delta-seconds ("120"), or an HTTP date, counted from `now`
/// (a date in the past means "now"). `None` when the value is neither.
pub fn parse_retry_after(value: &str, now: OffsetDateTime) -> Option<u32> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(u32::try_from(seconds.saturating_mul(1000)).unwrap_or(u32::MAX));
    }
    let at = http_date(value)?;
    let ms = (at - now).whole_milliseconds().max(0);
    Some(u32::try_from(ms).unwrap_or(u32::MAX))
}

/// An HTTP date (`Date`, `Retry-After`, `Last-Modified`). IMF-fixdate ("Wed, 21 Oct 2015
/// 07:28:00 GMT") is RFC 2822 with the obsolete "GMT" zone, which the parser does not take;
/// "+0000" means the same.
pub fn http_date(value: &str) -> Option<OffsetDateTime> {
    let value = value.trim();
    let normalised = match value.strip_suffix(" GMT") {
        Some(rest) => format!("{rest} +0000"),
        None => value.to_string(),
    };
    OffsetDateTime::parse(&normalised, &Rfc2822).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const POLICY: RetryPolicy = RetryPolicy {
        max_attempts: 4,
        base_delay_ms: 500,
        max_delay_ms: 8_000,
        max_retry_after_ms: 30_000,
    };

    #[test]
    fn client_errors_are_never_retried() {
        for status in [400, 401, 403, 404, 409, 410, 412, 422] {
            assert_eq!(
                POLICY.decide(1, Attempt::Status(status), None, 0.5),
                Decision::Done,
                "{status}"
            );
        }
        assert_eq!(
            POLICY.decide(1, Attempt::Status(200), None, 0.5),
            Decision::Done
        );
        assert_eq!(
            POLICY.decide(1, Attempt::Status(304), None, 0.5),
            Decision::Done
        );
    }

    #[test]
    fn server_errors_and_network_failures_are_retried_a_bounded_number_of_times() {
        for outcome in [
            Attempt::Status(500),
            Attempt::Status(503),
            Attempt::Status(429),
            Attempt::Network,
            Attempt::Timeout,
        ] {
            for attempt in 1..4 {
                assert!(
                    matches!(
                        POLICY.decide(attempt, outcome, None, 0.0),
                        Decision::RetryAfter { .. }
                    ),
                    "{outcome:?}"
                );
            }
            assert_eq!(
                POLICY.decide(4, outcome, None, 0.0),
                Decision::GiveUp,
                "{outcome:?}"
            );
        }
        // "Not implemented" and "version not supported" will not change on a retry.
        assert_eq!(
            POLICY.decide(1, Attempt::Status(501), None, 0.0),
            Decision::Done
        );
        assert_eq!(
            POLICY.decide(1, Attempt::Status(505), None, 0.0),
            Decision::Done
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_in_the_upper_half() {
        assert_eq!(POLICY.backoff_ms(1, 0.0), 250);
        assert_eq!(POLICY.backoff_ms(1, 1.0), 500);
        assert_eq!(POLICY.backoff_ms(2, 0.0), 500);
        assert_eq!(POLICY.backoff_ms(3, 1.0), 2_000);
        assert_eq!(POLICY.backoff_ms(30, 1.0), 8_000);
        assert_eq!(POLICY.backoff_ms(30, 0.0), 4_000);
        for i in 0..100 {
            let jitter = f64::from(i) / 100.0;
            let ms = POLICY.backoff_ms(2, jitter);
            assert!((500..=1_000).contains(&ms), "{ms}");
        }
        // Garbage jitter cannot make the delay leave its range.
        assert_eq!(POLICY.backoff_ms(2, f64::NAN), 500);
        assert_eq!(POLICY.backoff_ms(2, 7.0), 1_000);
    }

    #[test]
    fn retry_after_is_honoured_and_a_long_one_gives_up() {
        assert_eq!(
            POLICY.decide(1, Attempt::Status(429), Some(2_000), 0.0),
            Decision::RetryAfter { ms: 2_000 }
        );
        // Never sooner than the backoff, even if the server says 0.
        assert_eq!(
            POLICY.decide(3, Attempt::Status(503), Some(0), 0.0),
            Decision::RetryAfter { ms: 1_000 }
        );
        assert_eq!(
            POLICY.decide(1, Attempt::Status(429), Some(3_600_000), 0.0),
            Decision::GiveUp
        );
    }

    /// The longest a request with every retry can take, played out with `decide` itself: every
    /// attempt runs to its time limit, or answers 503 with the longest `Retry-After` honoured.
    fn slowest_schedule_ms(policy: &RetryPolicy, timeout_ms: u32) -> u32 {
        let mut total = 0;
        let mut attempt = 1;
        loop {
            total += timeout_ms;
            let retry_after = Some(policy.max_retry_after_ms);
            match policy.decide(attempt, Attempt::Status(503), retry_after, 1.0) {
                Decision::RetryAfter { ms } => total += ms,
                Decision::Done | Decision::GiveUp => return total,
            }
            attempt += 1;
        }
    }

    #[test]
    fn the_worker_watchdog_outlasts_the_slowest_retry_schedule() {
        let policy = RetryPolicy::default();
        // The defaults: 4 attempts of 30 s and 3 pauses of 30 s, plus a minute.
        assert_eq!(policy.worst_case_ms(30_000), 210_000);
        assert_eq!(policy.worker_silence_ms(30_000), 270_000);
        for timeout_ms in [2_000, 30_000, 120_000] {
            for max_attempts in [1, 2, 4, 6] {
                let policy = RetryPolicy {
                    max_attempts,
                    ..RetryPolicy::default()
                };
                let slowest = slowest_schedule_ms(&policy, timeout_ms);
                assert_eq!(policy.worst_case_ms(timeout_ms), slowest);
                assert!(policy.worker_silence_ms(timeout_ms) > slowest);
            }
        }
        // Settings out of any sensible range saturate instead of wrapping to a short bound.
        assert_eq!(policy.worker_silence_ms(u32::MAX), u32::MAX);
    }

    #[test]
    fn cancel_waits_briefly_for_the_worker_and_never_as_long_as_the_watchdog() {
        // A few seconds, far below any watchdog bound (even with the shortest time limit a
        // person can choose, 2 s): Cancel against a dead worker ends while they watch.
        const { assert!(CANCEL_ACK_MS <= 5_000) };
        // A busy live worker needs a moment to get to the message.
        const { assert!(CANCEL_ACK_MS >= 1_000) };
        let policy = RetryPolicy::default();
        assert!(CANCEL_ACK_MS * 10 < policy.worker_silence_ms(2_000));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = datetime!(2015-10-21 07:27:00 UTC);
        assert_eq!(parse_retry_after("120", now), Some(120_000));
        assert_eq!(parse_retry_after(" 0 ", now), Some(0));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now),
            Some(60_000)
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:20:00 GMT", now),
            Some(0)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("99999999999", now), Some(u32::MAX));
    }
}
