//! The device's lock: which mode it is in, who may unlock it, what a secret must look like, and
//! how failed attempts slow down guessing. Pure rules; the app does the cryptography (WebCrypto)
//! and stores [`VaultMeta`] as it is.
//!
//! - [`mode`]: Personal (a phone) or Shared (a station tablet), and when each locks by itself.
//! - [`slots`]: the key-slot metadata: every secret wraps the same device data key, so adding
//!   a staff member or changing a passphrase re-wraps one key and never touches records.
//! - [`secret`]: what a staff passphrase and a personal PIN or passphrase must be.
//! - [`attempts`]: the growing delay after wrong secrets, and when only a wipe is offered.
//! - [`migration`]: turning encryption on or off, and resuming it after an interruption.

pub mod attempts;
pub mod migration;
pub mod mode;
pub mod secret;
pub mod slots;

pub use attempts::{FailedAttempts, UnlockOffer};
pub use migration::{DecryptProblem, Migration, Reopen};
pub use mode::{needs_mode_choice, DeviceMode, IdleLock};
pub use secret::{SecretKind, SecretProblem};
pub use slots::{
    check_staff_name, staff_name, Derivation, KdfParams, KeySlot, SlotHolder, SlotId, SlotProblem,
    StaffMember, StaffName, UpgradeDue, VaultMeta,
};
