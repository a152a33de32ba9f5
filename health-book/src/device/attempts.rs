//! Wrong secrets: each failure makes the next try wait longer, counted across reloads (the count
//! is stored with the key slots), and a shared device stops offering tries after ten.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use super::DeviceMode;

/// After this many wrong secrets in a row a shared device offers only a wipe.
pub const SHARED_WIPE_AFTER: u32 = 10;
/// The longest wait between tries.
const MAX_DELAY_SECONDS: i64 = 300;

/// Wrong secrets since the last successful unlock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedAttempts {
    pub count: u32,
    /// When the latest failure happened (UTC seconds).
    pub last_failure_unix: Option<i64>,
}

/// What the unlock screen may offer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockOffer {
    /// A secret may be tried.
    Try,
    /// Too soon after a failure: tries open again at this instant.
    WaitUntil(OffsetDateTime),
    /// Ten failures on a shared device: only wiping the device (and adding books again from the
    /// health system) is offered.
    WipeOnly,
}

impl FailedAttempts {
    /// The wait after `count` failures: none for the first two (typos happen), then 2 s doubling
    /// to at most five minutes.
    pub fn delay_after(count: u32) -> Duration {
        if count < 3 {
            return Duration::ZERO;
        }
        let doubling = (count - 2).min(16);
        Duration::seconds((1i64 << doubling).min(MAX_DELAY_SECONDS))
    }

    pub fn failed(self, now: OffsetDateTime) -> FailedAttempts {
        FailedAttempts {
            count: self.count.saturating_add(1),
            last_failure_unix: Some(now.unix_timestamp()),
        }
    }

    pub fn offer(self, mode: DeviceMode, now: OffsetDateTime) -> UnlockOffer {
        if mode == DeviceMode::Shared && self.count >= SHARED_WIPE_AFTER {
            return UnlockOffer::WipeOnly;
        }
        let Some(last) = self
            .last_failure_unix
            .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        else {
            return UnlockOffer::Try;
        };
        let open_at = last + Self::delay_after(self.count);
        if now < open_at {
            UnlockOffer::WaitUntil(open_at)
        } else {
            UnlockOffer::Try
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_800_000_000 + seconds).expect("valid instant")
    }

    fn after(failures: u32) -> FailedAttempts {
        (0..failures).fold(FailedAttempts::default(), |a, _| a.failed(at(0)))
    }

    #[test]
    fn the_delay_grows_with_each_failure_up_to_five_minutes() {
        let delays: Vec<i64> = (0..12)
            .map(|n| FailedAttempts::delay_after(n).whole_seconds())
            .collect();
        assert_eq!(delays, [0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 300]);
        assert_eq!(FailedAttempts::delay_after(60).whole_seconds(), 300);
    }

    #[test]
    fn a_try_waits_until_the_delay_has_passed() {
        let four = after(4);
        assert_eq!(four.count, 4);
        assert_eq!(
            four.offer(DeviceMode::Personal, at(3)),
            UnlockOffer::WaitUntil(at(4))
        );
        assert_eq!(four.offer(DeviceMode::Personal, at(4)), UnlockOffer::Try);
        assert_eq!(after(2).offer(DeviceMode::Shared, at(0)), UnlockOffer::Try);
    }

    #[test]
    fn after_ten_failures_a_shared_device_offers_only_a_wipe() {
        assert_ne!(
            after(9).offer(DeviceMode::Shared, at(10_000)),
            UnlockOffer::WipeOnly
        );
        assert_eq!(
            after(10).offer(DeviceMode::Shared, at(10_000)),
            UnlockOffer::WipeOnly
        );
        // A personal phone keeps offering tries, only slower.
        assert_eq!(
            after(10).offer(DeviceMode::Personal, at(10_000)),
            UnlockOffer::Try
        );
    }

    #[test]
    fn the_count_survives_a_reload_as_stored_json() {
        let stored = serde_json::to_string(&after(3)).expect("serializes");
        let back: FailedAttempts = serde_json::from_str(&stored).expect("parses");
        assert_eq!(back, after(3));
    }
}
