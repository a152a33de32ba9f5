//! Key slots: what the device stores, in clear, to let a secret open the data key.
//!
//! One random data key encrypts everything (through one key per book). Each secret (a staff
//! member's passphrase, or the personal PIN) derives a key-wrapping key with PBKDF2 and wraps
//! that same data key into its slot. So a new staff member, a removed one or a changed
//! passphrase rewrites one slot and no record. Staff display names stay in clear: the unlock
//! screen lists them before anything is decrypted (they name staff, not patients).

use serde::{Deserialize, Serialize};

use super::{DeviceMode, FailedAttempts, IdleLock, SecretKind};

/// PBKDF2-HMAC-SHA256 rounds for a new slot (OWASP's 2023 figure for this hash).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Bytes of random salt per slot.
pub const SALT_BYTES: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SlotId(pub u32);

/// How a slot's key-wrapping key is derived from its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub salt: Vec<u8>,
    pub iterations: u32,
}

impl KdfParams {
    /// Parameters for a new slot, given fresh random salt.
    pub fn new(salt: Vec<u8>) -> KdfParams {
        KdfParams {
            salt,
            iterations: PBKDF2_ITERATIONS,
        }
    }
}

/// Whose secret opens a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "holder", rename_all = "snake_case")]
pub enum SlotHolder {
    Staff { display_name: String },
    Personal { kind: SecretKind },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySlot {
    pub id: SlotId,
    pub holder: SlotHolder,
    pub kdf: KdfParams,
    /// The data key wrapped (AES-KW) by the key derived from this slot's secret.
    pub wrapped_data_key: Vec<u8>,
}

/// A staff member as the unlock screen and Settings list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub slot: SlotId,
    pub display_name: String,
}

/// Why a change to the slots was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotProblem {
    #[error("a staff member needs a name")]
    NameEmpty,
    #[error("another staff member already has this name")]
    NameTaken,
    #[error("no such key slot")]
    UnknownSlot,
    #[error("the last secret of the device cannot be removed")]
    LastSlot,
    #[error("a staff member cannot remove themselves")]
    RemovingYourself,
    #[error("this kind of secret does not fit the device mode")]
    HolderDoesNotFitMode,
}

/// Everything the device keeps in clear about its lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultMeta {
    pub mode: DeviceMode,
    pub slots: Vec<KeySlot>,
    /// The device's HMAC key (it derives the storage keys from citizen and record IDs), wrapped
    /// by the data key.
    pub wrapped_index_key: Vec<u8>,
    /// Wrong secrets since the last unlock, kept across reloads.
    pub attempts: FailedAttempts,
    pub idle_lock: IdleLock,
}

impl VaultMeta {
    /// A new vault with its first slot.
    pub fn new(
        mode: DeviceMode,
        first: KeySlot,
        wrapped_index_key: Vec<u8>,
    ) -> Result<VaultMeta, SlotProblem> {
        let mut meta = VaultMeta {
            mode,
            slots: Vec::new(),
            wrapped_index_key,
            attempts: FailedAttempts::default(),
            idle_lock: IdleLock::default_for(mode),
        };
        meta.add_slot(first)?;
        Ok(meta)
    }

    pub fn staff(&self) -> Vec<StaffMember> {
        self.slots
            .iter()
            .filter_map(|s| match &s.holder {
                SlotHolder::Staff { display_name } => Some(StaffMember {
                    slot: s.id,
                    display_name: display_name.clone(),
                }),
                SlotHolder::Personal { .. } => None,
            })
            .collect()
    }

    pub fn slot(&self, id: SlotId) -> Option<&KeySlot> {
        self.slots.iter().find(|s| s.id == id)
    }

    /// The slot a personal device unlocks with.
    pub fn personal_slot(&self) -> Option<&KeySlot> {
        self.slots
            .iter()
            .find(|s| matches!(s.holder, SlotHolder::Personal { .. }))
    }

    /// An ID no slot has used (IDs of removed slots are not reused while others remain).
    pub fn next_slot_id(&self) -> SlotId {
        SlotId(self.slots.iter().map(|s| s.id.0 + 1).max().unwrap_or(1))
    }

    /// A staff display name as it will be stored: trimmed, not empty, not already taken
    /// (ignoring case, since the unlock screen is read at a glance).
    pub fn check_staff_name(&self, name: &str) -> Result<String, SlotProblem> {
        let name = name.trim();
        if name.is_empty() {
            return Err(SlotProblem::NameEmpty);
        }
        let lower = name.to_lowercase();
        if self
            .staff()
            .iter()
            .any(|s| s.display_name.to_lowercase() == lower)
        {
            return Err(SlotProblem::NameTaken);
        }
        Ok(name.to_owned())
    }

    pub fn add_slot(&mut self, slot: KeySlot) -> Result<(), SlotProblem> {
        match (&slot.holder, self.mode) {
            (SlotHolder::Staff { display_name }, DeviceMode::Shared) => {
                let checked = self.check_staff_name(display_name)?;
                if &checked != display_name {
                    return Err(SlotProblem::NameEmpty);
                }
            }
            (SlotHolder::Personal { .. }, DeviceMode::Personal) if self.slots.is_empty() => {}
            _ => return Err(SlotProblem::HolderDoesNotFitMode),
        }
        if self.slot(slot.id).is_some() {
            return Err(SlotProblem::UnknownSlot);
        }
        self.slots.push(slot);
        Ok(())
    }

    /// Removes another staff member's slot, by an unlocked staff member.
    pub fn remove_slot(&mut self, id: SlotId, by: SlotId) -> Result<(), SlotProblem> {
        if id == by {
            return Err(SlotProblem::RemovingYourself);
        }
        if self.slot(id).is_none() || self.slot(by).is_none() {
            return Err(SlotProblem::UnknownSlot);
        }
        if self.slots.len() == 1 {
            return Err(SlotProblem::LastSlot);
        }
        self.slots.retain(|s| s.id != id);
        Ok(())
    }

    /// A changed secret: the same data key, wrapped anew under the new secret's key.
    pub fn rewrap(
        &mut self,
        id: SlotId,
        kdf: KdfParams,
        wrapped_data_key: Vec<u8>,
        holder: Option<SlotHolder>,
    ) -> Result<(), SlotProblem> {
        let slot = self
            .slots
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or(SlotProblem::UnknownSlot)?;
        slot.kdf = kdf;
        slot.wrapped_data_key = wrapped_data_key;
        if let Some(holder) = holder {
            slot.holder = holder;
        }
        Ok(())
    }

    /// Switching a personal device to shared: the personal secret is replaced by the first
    /// staff member's slot (the data key, and so every record, stays as it is).
    pub fn switch_to_shared(&mut self, first_staff: KeySlot) -> Result<(), SlotProblem> {
        let previous = (self.mode, std::mem::take(&mut self.slots));
        self.mode = DeviceMode::Shared;
        self.idle_lock = IdleLock::default_for(DeviceMode::Shared);
        if let Err(problem) = self.add_slot(first_staff) {
            (self.mode, self.slots) = previous;
            return Err(problem);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff_slot(id: u32, name: &str) -> KeySlot {
        KeySlot {
            id: SlotId(id),
            holder: SlotHolder::Staff {
                display_name: name.into(),
            },
            kdf: KdfParams::new(vec![7; SALT_BYTES]),
            wrapped_data_key: vec![1, 2, 3],
        }
    }

    fn shared() -> VaultMeta {
        VaultMeta::new(DeviceMode::Shared, staff_slot(1, "Y tá Lan"), vec![9])
            .expect("first staff member")
    }

    #[test]
    fn new_slots_use_600k_pbkdf2_iterations() {
        assert_eq!(shared().slots[0].kdf.iterations, 600_000);
        assert_eq!(shared().idle_lock.as_minutes(), 2);
    }

    #[test]
    fn staff_names_are_trimmed_required_and_unique() {
        let meta = shared();
        assert_eq!(
            meta.check_staff_name("  Bác sĩ An "),
            Ok("Bác sĩ An".into())
        );
        assert_eq!(meta.check_staff_name("   "), Err(SlotProblem::NameEmpty));
        assert_eq!(
            meta.check_staff_name("y tá lan"),
            Err(SlotProblem::NameTaken)
        );
    }

    #[test]
    fn staff_are_added_and_removed_by_another_staff_member_never_the_last() {
        let mut meta = shared();
        let id = meta.next_slot_id();
        assert_eq!(id, SlotId(2));
        meta.add_slot(staff_slot(id.0, "Bác sĩ An")).expect("added");
        assert_eq!(meta.staff().len(), 2);
        assert_eq!(
            meta.remove_slot(SlotId(2), SlotId(2)),
            Err(SlotProblem::RemovingYourself)
        );
        meta.remove_slot(SlotId(2), SlotId(1)).expect("removed");
        assert_eq!(meta.staff()[0].display_name, "Y tá Lan");
        assert_eq!(
            meta.remove_slot(SlotId(9), SlotId(1)),
            Err(SlotProblem::UnknownSlot)
        );
    }

    #[test]
    fn a_personal_device_has_one_personal_slot_and_no_staff() {
        let personal = KeySlot {
            holder: SlotHolder::Personal {
                kind: SecretKind::Pin,
            },
            ..staff_slot(1, "")
        };
        let mut meta =
            VaultMeta::new(DeviceMode::Personal, personal.clone(), vec![]).expect("personal");
        assert_eq!(meta.personal_slot().map(|s| s.id), Some(SlotId(1)));
        assert_eq!(
            meta.add_slot(staff_slot(2, "Lan")),
            Err(SlotProblem::HolderDoesNotFitMode)
        );
        assert_eq!(
            meta.add_slot(KeySlot {
                id: SlotId(2),
                ..personal
            }),
            Err(SlotProblem::HolderDoesNotFitMode)
        );
    }

    #[test]
    fn a_passphrase_change_rewraps_only_that_slot() {
        let mut meta = shared();
        meta.add_slot(staff_slot(2, "Bác sĩ An")).expect("added");
        let before = meta.slot(SlotId(2)).cloned();
        meta.rewrap(SlotId(1), KdfParams::new(vec![8; 16]), vec![4, 5], None)
            .expect("rewrapped");
        assert_eq!(
            meta.slot(SlotId(1)).map(|s| s.wrapped_data_key.clone()),
            Some(vec![4, 5])
        );
        assert_eq!(meta.slot(SlotId(2)).cloned(), before);
        assert_eq!(meta.wrapped_index_key, vec![9]);
    }

    #[test]
    fn switching_to_shared_replaces_the_personal_secret_with_a_staff_member() {
        let personal = KeySlot {
            holder: SlotHolder::Personal {
                kind: SecretKind::Passphrase,
            },
            ..staff_slot(1, "")
        };
        let mut meta = VaultMeta::new(DeviceMode::Personal, personal, vec![3]).expect("personal");
        assert_eq!(
            meta.switch_to_shared(staff_slot(2, " ")),
            Err(SlotProblem::NameEmpty)
        );
        assert_eq!(meta.mode, DeviceMode::Personal);
        meta.switch_to_shared(staff_slot(2, "Y tá Lan"))
            .expect("shared");
        assert_eq!(meta.mode, DeviceMode::Shared);
        assert_eq!(meta.staff().len(), 1);
        assert!(meta.personal_slot().is_none());
    }

    #[test]
    fn metadata_round_trips_as_json() {
        let meta = shared();
        let text = serde_json::to_string(&meta).expect("serializes");
        assert_eq!(
            serde_json::from_str::<VaultMeta>(&text).expect("parses"),
            meta
        );
    }
}
