//! Device modes and when the device locks by itself.

use serde::{Deserialize, Serialize};

/// How the device is used, chosen on first run and changeable in Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceMode {
    /// One person's (or one family's) phone: a PIN or passphrase is optional.
    Personal,
    /// A station tablet that serves many patients: always encrypted, one passphrase per staff
    /// member.
    Shared,
}

/// After how many idle minutes the device locks. Shared devices always lock; a personal device
/// with a secret locks too (without a secret there is nothing to lock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleLock {
    minutes: u8,
}

impl IdleLock {
    /// The shortest and longest idle time Settings offers.
    pub const MIN_MINUTES: u8 = 1;
    pub const MAX_MINUTES: u8 = 30;
    /// A tab hidden longer than this locks (switching apps for a moment does not).
    pub const HIDDEN_GRACE_SECONDS: u32 = 30;

    /// The default for a mode: 2 minutes on a shared tablet, where the next patient may be
    /// standing at the counter; 5 on a personal phone.
    pub fn default_for(mode: DeviceMode) -> IdleLock {
        IdleLock {
            minutes: match mode {
                DeviceMode::Shared => 2,
                DeviceMode::Personal => 5,
            },
        }
    }

    /// A chosen idle time, kept within what Settings offers.
    pub fn minutes(minutes: u8) -> IdleLock {
        IdleLock {
            minutes: minutes.clamp(Self::MIN_MINUTES, Self::MAX_MINUTES),
        }
    }

    pub fn as_minutes(self) -> u8 {
        self.minutes
    }

    pub fn as_millis(self) -> u32 {
        u32::from(self.minutes) * 60_000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_tablets_lock_after_two_minutes_by_default() {
        assert_eq!(IdleLock::default_for(DeviceMode::Shared).as_minutes(), 2);
        assert_eq!(IdleLock::default_for(DeviceMode::Personal).as_minutes(), 5);
    }

    #[test]
    fn chosen_idle_time_stays_between_one_and_thirty_minutes() {
        assert_eq!(IdleLock::minutes(0).as_minutes(), 1);
        assert_eq!(IdleLock::minutes(12).as_minutes(), 12);
        assert_eq!(IdleLock::minutes(90).as_minutes(), 30);
        assert_eq!(IdleLock::minutes(2).as_millis(), 120_000);
    }
}

/// Whether the app must first ask how the device is used (Personal or Shared), before showing
/// anything else: on a fresh device only. A device that already holds books (installed before
/// the question existed) or where the question was answered, or that has a secret (which says
/// its mode), is not asked.
pub fn needs_mode_choice(answered: bool, secret_set: bool, has_books: bool) -> bool {
    !(answered || secret_set || has_books)
}

#[cfg(test)]
mod first_run_tests {
    use super::needs_mode_choice;

    #[test]
    fn only_a_fresh_device_asks_how_it_is_used() {
        assert!(needs_mode_choice(false, false, false));
        assert!(!needs_mode_choice(true, false, false), "answered");
        assert!(
            !needs_mode_choice(false, true, false),
            "a secret says the mode"
        );
        assert!(
            !needs_mode_choice(false, false, true),
            "books from before the question"
        );
    }
}
