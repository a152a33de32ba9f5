//! Turning encryption on or off: a migration that is all-or-nothing and resumes after the page
//! was closed midway.
//!
//! The app writes a [`Migration`] marker (in clear, beside the vault metadata) before it starts,
//! then replaces every stored value in one transaction that also removes the marker. A page
//! closed before that commit reopens with the old data, still readable with what the device had
//! (plain, or encrypted with the keys it had), and the marker says what to finish; after the
//! commit there is no marker. [`on_reopen`] is the rule for what the app does with what it finds.

use serde::{Deserialize, Serialize};

use super::{DeviceMode, VaultMeta};

/// What was under way when the marker was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum Migration {
    /// Turning encryption on: the new vault (its slot already wraps the new data key), so the
    /// same secret finishes it after a reload. The data is still plain.
    Encrypt { meta: VaultMeta },
    /// Turning encryption off (a personal device removing its PIN or passphrase): the data is
    /// still encrypted, and unlocking finishes it.
    Decrypt,
}
crate::tag_first!(Migration, "direction");

/// What a device found on opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reopen {
    /// No secret, nothing under way: plain data, nothing to lock.
    Plain,
    /// A secret is set: locked until unlocked.
    Locked,
    /// Turning encryption on was interrupted: the data is plain and readable; the secret it
    /// was started with finishes it (or it is given up and the device stays plain).
    FinishEncrypting { meta: VaultMeta },
    /// Turning encryption off was interrupted: the data is encrypted; unlocking finishes it.
    FinishDecrypting,
    /// A marker that does not fit what is stored (left by a migration whose commit removed
    /// everything else it described): ignore it and remove it.
    StaleMarker { secret_set: bool },
}

/// What to do on opening, given the stored vault metadata and migration marker.
pub fn on_reopen(meta: Option<&VaultMeta>, marker: Option<&Migration>) -> Reopen {
    match (meta, marker) {
        (None, None) => Reopen::Plain,
        (Some(_), None) => Reopen::Locked,
        (None, Some(Migration::Encrypt { meta })) => {
            Reopen::FinishEncrypting { meta: meta.clone() }
        }
        (Some(meta), Some(Migration::Decrypt)) if meta.mode == DeviceMode::Personal => {
            Reopen::FinishDecrypting
        }
        (meta, Some(_)) => Reopen::StaleMarker {
            secret_set: meta.is_some(),
        },
    }
}

/// Why turning encryption off was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecryptProblem {
    /// A shared device is always encrypted: it must become personal first (which means
    /// removing everything and starting again).
    #[error("a shared device stays encrypted")]
    SharedStaysEncrypted,
}

/// Only a personal device may store its books readable again.
pub fn may_turn_off(mode: DeviceMode) -> Result<(), DecryptProblem> {
    match mode {
        DeviceMode::Personal => Ok(()),
        DeviceMode::Shared => Err(DecryptProblem::SharedStaysEncrypted),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::{KdfParams, KeySlot, SecretKind, SlotHolder, SlotId};

    fn vault(mode: DeviceMode) -> VaultMeta {
        let holder = match mode {
            DeviceMode::Personal => SlotHolder::Personal {
                kind: SecretKind::Pin,
            },
            DeviceMode::Shared => SlotHolder::staff(vec![5; 28]),
        };
        let slot = KeySlot {
            id: SlotId(1),
            holder,
            kdf: None,
            wrapped_data_key: vec![2],
        };
        VaultMeta::new(mode, KdfParams::new(vec![1; 16]), slot, vec![3]).expect("vault")
    }

    #[test]
    fn without_a_marker_the_device_is_plain_or_locked() {
        assert_eq!(on_reopen(None, None), Reopen::Plain);
        assert_eq!(
            on_reopen(Some(&vault(DeviceMode::Shared)), None),
            Reopen::Locked
        );
    }

    #[test]
    fn an_interrupted_encryption_keeps_plain_data_and_finishes_with_the_same_secret() {
        let meta = vault(DeviceMode::Shared);
        let marker = Migration::Encrypt { meta: meta.clone() };
        assert_eq!(
            on_reopen(None, Some(&marker)),
            Reopen::FinishEncrypting { meta }
        );
    }

    #[test]
    fn an_interrupted_decryption_is_finished_by_unlocking() {
        let meta = vault(DeviceMode::Personal);
        assert_eq!(
            on_reopen(Some(&meta), Some(&Migration::Decrypt)),
            Reopen::FinishDecrypting
        );
    }

    #[test]
    fn a_marker_that_does_not_fit_the_stored_data_is_stale() {
        // An encryption marker beside a vault, or a decryption marker without one.
        let meta = vault(DeviceMode::Personal);
        let marker = Migration::Encrypt { meta: meta.clone() };
        assert_eq!(
            on_reopen(Some(&meta), Some(&marker)),
            Reopen::StaleMarker { secret_set: true }
        );
        assert_eq!(
            on_reopen(None, Some(&Migration::Decrypt)),
            Reopen::StaleMarker { secret_set: false }
        );
        // A shared device never decrypts.
        assert_eq!(
            on_reopen(Some(&vault(DeviceMode::Shared)), Some(&Migration::Decrypt)),
            Reopen::StaleMarker { secret_set: true }
        );
    }

    #[test]
    fn only_a_personal_device_turns_encryption_off() {
        assert_eq!(may_turn_off(DeviceMode::Personal), Ok(()));
        assert_eq!(
            may_turn_off(DeviceMode::Shared),
            Err(DecryptProblem::SharedStaysEncrypted)
        );
    }

    #[test]
    fn the_marker_round_trips_as_json() {
        for marker in [
            Migration::Decrypt,
            Migration::Encrypt {
                meta: vault(DeviceMode::Personal),
            },
        ] {
            let text = serde_json::to_string(&marker).expect("serializes");
            assert_eq!(
                serde_json::from_str::<Migration>(&text).expect("parses"),
                marker
            );
        }
    }
}
