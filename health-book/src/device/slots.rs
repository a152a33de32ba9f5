//! Key slots: what the device stores, in clear, to let a secret open the data key.
//!
//! One random data key encrypts everything (through one key per book). Each secret (a staff
//! member's passphrase, or the personal PIN) derives a key-wrapping key with PBKDF2 and wraps
//! that same data key into its slot. So a new staff member, a removed one or a changed
//! passphrase rewrites one slot and no record.
//!
//! Nothing here names a person: a staff member's display name is sealed under the data key
//! (so only an unlocked device can read the staff list), and the unlock screen asks only for a
//! passphrase. To find whose passphrase it is without a name, the device keeps ONE PBKDF2 salt
//! for its slots ([`VaultMeta::kdf`]): one derivation gives a key that is tried against every
//! slot's wrapped data key (a wrong key fails AES-KW's integrity check at once), and the slot it
//! opens says who unlocked. The cost of that choice: someone who copies the storage tests each
//! guess against every slot at once (the work per guess is the same 600,000 rounds). Slots made
//! before the device salt ([`Derivation`]) keep their own salt and a clear name until their
//! owner (or, for the name, anyone) next unlocks: see [`VaultMeta::upgrade_due`].

use serde::{Deserialize, Serialize};

use super::{DeviceMode, FailedAttempts, IdleLock, SecretKind};

/// PBKDF2-HMAC-SHA256 rounds for a new slot (OWASP's 2023 figure for this hash).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Bytes of random salt of the device (and of each older slot).
pub const SALT_BYTES: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SlotId(pub u32);

/// How a key-wrapping key is derived from a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub salt: Vec<u8>,
    pub iterations: u32,
}

impl KdfParams {
    /// Parameters for a new device salt, given fresh random bytes.
    pub fn new(salt: Vec<u8>) -> KdfParams {
        KdfParams {
            salt,
            iterations: PBKDF2_ITERATIONS,
        }
    }
}

/// A staff member's display name as stored.
///
/// Read through [`StaffNameFields`] rather than as `untagged` (which buffers the whole object
/// in serde's `Content` to try each variant in turn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, try_from = "StaffNameFields")]
pub enum StaffName {
    /// AES-GCM under the data key (nonce, ciphertext and tag, bound to the slot's ID): only an
    /// unlocked device reads it.
    Sealed { sealed_name: Vec<u8> },
    /// Stored in clear by a version before names were sealed: sealed at the next unlock.
    Clear { display_name: String },
}

/// Either name field of a stored [`StaffName`]; the sealed one wins when both are there, as
/// it did when the untagged derive tried `Sealed` first.
#[derive(Deserialize)]
struct StaffNameFields {
    #[serde(default)]
    sealed_name: Option<Vec<u8>>,
    #[serde(default)]
    display_name: Option<String>,
}

impl TryFrom<StaffNameFields> for StaffName {
    type Error = &'static str;

    fn try_from(fields: StaffNameFields) -> Result<StaffName, &'static str> {
        match fields {
            StaffNameFields {
                sealed_name: Some(sealed_name),
                ..
            } => Ok(StaffName::Sealed { sealed_name }),
            StaffNameFields {
                display_name: Some(display_name),
                ..
            } => Ok(StaffName::Clear { display_name }),
            _ => Err("a staff slot without `sealed_name` or `display_name`"),
        }
    }
}

/// Whose secret opens a slot. Stored `{"holder":"staff","sealed_name":[…]}`: the staff name's
/// fields follow the tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self", rename_all = "snake_case")]
pub enum SlotHolder {
    Staff(StaffName),
    Personal { kind: SecretKind },
}
crate::tag_first!(SlotHolder, "holder");

impl SlotHolder {
    /// A staff member whose name is sealed (`sealed_name` from the app's AES-GCM).
    pub fn staff(sealed_name: Vec<u8>) -> SlotHolder {
        SlotHolder::Staff(StaffName::Sealed { sealed_name })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySlot {
    pub id: SlotId,
    pub holder: SlotHolder,
    /// A slot made before the device had one salt for all keeps its own here; `None` (every
    /// newer slot): derived with the device's [`VaultMeta::kdf`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    /// The data key wrapped (AES-KW) by the key derived from this slot's secret.
    pub wrapped_data_key: Vec<u8>,
}

/// A staff member as Settings lists them, once their name is opened (unlocked only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub slot: SlotId,
    pub display_name: String,
}

/// The name of the staff member in `slot`, among those opened.
pub fn staff_name(staff: &[StaffMember], slot: SlotId) -> Option<&str> {
    staff
        .iter()
        .find(|m| m.slot == slot)
        .map(|m| m.display_name.as_str())
}

/// A staff display name as it will be stored: trimmed, not empty, not already taken by one of
/// `staff` (ignoring case, since people tell each other apart by it at a glance).
pub fn check_staff_name(name: &str, staff: &[StaffMember]) -> Result<String, SlotProblem> {
    let name = name.trim();
    if name.is_empty() {
        return Err(SlotProblem::NameEmpty);
    }
    let lower = name.to_lowercase();
    if staff.iter().any(|s| s.display_name.to_lowercase() == lower) {
        return Err(SlotProblem::NameTaken);
    }
    Ok(name.to_owned())
}

/// Why a change to the slots was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlotProblem {
    #[error("a staff member needs a name")]
    NameEmpty,
    #[error("another staff member already has this name")]
    NameTaken,
    /// The unlock screen tells staff apart by their passphrase alone: two may not share one.
    #[error("this passphrase already opens another staff member's slot")]
    PassphraseInUse,
    #[error("no such key slot")]
    UnknownSlot,
    #[error("the last secret of the device cannot be removed")]
    LastSlot,
    #[error("a staff member cannot remove themselves")]
    RemovingYourself,
    #[error("this kind of secret does not fit the device mode")]
    HolderDoesNotFitMode,
}

/// One PBKDF2 derivation to try on unlock, and the slots its key may open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation<'a> {
    pub kdf: &'a KdfParams,
    pub slots: Vec<SlotId>,
}

/// What the vault metadata needs once a slot has opened (written in the unlock's own write).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UpgradeDue {
    /// The device has no salt of its own yet: make one.
    pub device_salt: bool,
    /// The slot that opened still has its own salt: wrap the data key again with the device's.
    pub rewrap_opened: bool,
    /// Staff names still in clear: seal them.
    pub seal_names: Vec<SlotId>,
}

impl UpgradeDue {
    pub fn is_empty(&self) -> bool {
        *self == UpgradeDue::default()
    }
}

/// Everything the device keeps in clear about its lock (no name: see the module comment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultMeta {
    pub mode: DeviceMode,
    /// The device's PBKDF2 salt and rounds, shared by every slot without its own. Absent on a
    /// device set up before it existed, until its first unlock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    pub slots: Vec<KeySlot>,
    /// The device's HMAC key (it derives the storage keys from citizen and record IDs), wrapped
    /// by the data key.
    pub wrapped_index_key: Vec<u8>,
    /// Wrong secrets since the last unlock, kept across reloads.
    pub attempts: FailedAttempts,
    pub idle_lock: IdleLock,
}

impl VaultMeta {
    /// A new vault with the device's salt and its first slot (wrapped with it).
    pub fn new(
        mode: DeviceMode,
        kdf: KdfParams,
        first: KeySlot,
        wrapped_index_key: Vec<u8>,
    ) -> Result<VaultMeta, SlotProblem> {
        let mut meta = VaultMeta {
            mode,
            kdf: Some(kdf),
            slots: Vec::new(),
            wrapped_index_key,
            attempts: FailedAttempts::default(),
            idle_lock: IdleLock::default_for(mode),
        };
        meta.add_slot(first)?;
        Ok(meta)
    }

    /// The staff slots and their stored names (sealed, or clear from an older version).
    pub fn staff_names(&self) -> Vec<(SlotId, &StaffName)> {
        self.slots
            .iter()
            .filter_map(|s| match &s.holder {
                SlotHolder::Staff(name) => Some((s.id, name)),
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

    /// What to derive from a typed secret, in order: the device's salt once (it may open every
    /// slot made with it), then each older slot's own salt. Unlocking stops at the first slot
    /// that opens; checking that a new passphrase opens no other slot goes through them all.
    pub fn derivations(&self) -> Vec<Derivation<'_>> {
        let mut order = Vec::new();
        if let Some(kdf) = &self.kdf {
            let slots: Vec<SlotId> = self
                .slots
                .iter()
                .filter(|s| s.kdf.is_none())
                .map(|s| s.id)
                .collect();
            if !slots.is_empty() {
                order.push(Derivation { kdf, slots });
            }
        }
        order.extend(self.slots.iter().filter_map(|s| {
            s.kdf.as_ref().map(|kdf| Derivation {
                kdf,
                slots: vec![s.id],
            })
        }));
        order
    }

    /// What this metadata still lacks from the current form, once `opened` has unlocked: the
    /// device salt, the opened slot moved to it, and every staff name sealed. Anyone's unlock
    /// seals every name (the data key seals them); only a slot's owner can move it.
    pub fn upgrade_due(&self, opened: SlotId) -> UpgradeDue {
        UpgradeDue {
            device_salt: self.kdf.is_none(),
            rewrap_opened: self.slot(opened).is_some_and(|s| s.kdf.is_some()),
            seal_names: self
                .staff_names()
                .into_iter()
                .filter(|(_, name)| matches!(name, StaffName::Clear { .. }))
                .map(|(id, _)| id)
                .collect(),
        }
    }

    /// Sets a staff member's stored name (sealing a clear one).
    pub fn set_staff_name(&mut self, id: SlotId, sealed_name: Vec<u8>) -> Result<(), SlotProblem> {
        match self.slots.iter_mut().find(|s| s.id == id) {
            Some(KeySlot {
                holder: SlotHolder::Staff(name),
                ..
            }) => {
                *name = StaffName::Sealed { sealed_name };
                Ok(())
            }
            _ => Err(SlotProblem::UnknownSlot),
        }
    }

    /// Adds a slot that fits the mode: a staff member on a shared device, the one personal
    /// secret on a personal one. (The name was checked with [`check_staff_name`] before it
    /// was sealed.)
    pub fn add_slot(&mut self, slot: KeySlot) -> Result<(), SlotProblem> {
        match (&slot.holder, self.mode) {
            (SlotHolder::Staff(_), DeviceMode::Shared) => {}
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

    /// A changed secret (or an older slot moved to the device salt): the same data key,
    /// wrapped anew under the key the device salt derives from the slot's secret.
    pub fn rewrap(
        &mut self,
        id: SlotId,
        wrapped_data_key: Vec<u8>,
        holder: Option<SlotHolder>,
    ) -> Result<(), SlotProblem> {
        let slot = self
            .slots
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or(SlotProblem::UnknownSlot)?;
        slot.kdf = None;
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

    fn staff_slot(id: u32) -> KeySlot {
        KeySlot {
            id: SlotId(id),
            holder: SlotHolder::staff(vec![id as u8; 28]),
            kdf: None,
            wrapped_data_key: vec![1, 2, 3],
        }
    }

    /// A slot as a version before the device salt wrote it: its own salt, its name in clear.
    fn older_slot(id: u32, name: &str) -> KeySlot {
        KeySlot {
            id: SlotId(id),
            holder: SlotHolder::Staff(StaffName::Clear {
                display_name: name.into(),
            }),
            kdf: Some(KdfParams::new(vec![id as u8; SALT_BYTES])),
            wrapped_data_key: vec![4, 5, 6],
        }
    }

    fn shared() -> VaultMeta {
        VaultMeta::new(
            DeviceMode::Shared,
            KdfParams::new(vec![7; SALT_BYTES]),
            staff_slot(1),
            vec![9],
        )
        .expect("first staff member")
    }

    fn member(id: u32, name: &str) -> StaffMember {
        StaffMember {
            slot: SlotId(id),
            display_name: name.into(),
        }
    }

    #[test]
    fn a_new_device_derives_with_600k_pbkdf2_iterations_of_its_own_salt() {
        let meta = shared();
        assert_eq!(meta.kdf.as_ref().map(|k| k.iterations), Some(600_000));
        assert_eq!(meta.slots[0].kdf, None, "the slot uses the device salt");
        assert_eq!(meta.idle_lock.as_minutes(), 2);
    }

    #[test]
    fn nothing_stored_in_clear_names_a_staff_member() {
        let mut meta = shared();
        meta.add_slot(staff_slot(2)).expect("added");
        let text = serde_json::to_string(&meta).expect("serializes");
        assert!(!text.contains("display_name"), "{text}");
        assert!(text.contains("sealed_name"));
    }

    #[test]
    fn staff_names_are_trimmed_required_and_unique() {
        let staff = [member(1, "Y tá Lan")];
        assert_eq!(
            check_staff_name("  Bác sĩ An ", &staff),
            Ok("Bác sĩ An".into())
        );
        assert_eq!(check_staff_name("   ", &staff), Err(SlotProblem::NameEmpty));
        assert_eq!(
            check_staff_name("y tá lan", &staff),
            Err(SlotProblem::NameTaken)
        );
        assert_eq!(staff_name(&staff, SlotId(1)), Some("Y tá Lan"));
        assert_eq!(staff_name(&staff, SlotId(2)), None);
    }

    #[test]
    fn staff_are_added_and_removed_by_another_staff_member_never_the_last() {
        let mut meta = shared();
        let id = meta.next_slot_id();
        assert_eq!(id, SlotId(2));
        meta.add_slot(staff_slot(id.0)).expect("added");
        assert_eq!(meta.staff_names().len(), 2);
        assert_eq!(
            meta.remove_slot(SlotId(2), SlotId(2)),
            Err(SlotProblem::RemovingYourself)
        );
        meta.remove_slot(SlotId(2), SlotId(1)).expect("removed");
        assert_eq!(meta.staff_names()[0].0, SlotId(1));
        assert_eq!(
            meta.remove_slot(SlotId(9), SlotId(1)),
            Err(SlotProblem::UnknownSlot)
        );
        assert_eq!(
            meta.remove_slot(SlotId(1), SlotId(1)),
            Err(SlotProblem::RemovingYourself)
        );
    }

    #[test]
    fn a_personal_device_has_one_personal_slot_and_no_staff() {
        let personal = KeySlot {
            holder: SlotHolder::Personal {
                kind: SecretKind::Pin,
            },
            ..staff_slot(1)
        };
        let mut meta = VaultMeta::new(
            DeviceMode::Personal,
            KdfParams::new(vec![7; SALT_BYTES]),
            personal.clone(),
            vec![],
        )
        .expect("personal");
        assert_eq!(meta.personal_slot().map(|s| s.id), Some(SlotId(1)));
        assert_eq!(
            meta.add_slot(staff_slot(2)),
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
        meta.add_slot(staff_slot(2)).expect("added");
        let before = meta.slot(SlotId(2)).cloned();
        meta.rewrap(SlotId(1), vec![4, 5], None).expect("rewrapped");
        assert_eq!(
            meta.slot(SlotId(1)).map(|s| s.wrapped_data_key.clone()),
            Some(vec![4, 5])
        );
        assert_eq!(meta.slot(SlotId(2)).cloned(), before);
        assert_eq!(meta.wrapped_index_key, vec![9]);
    }

    #[test]
    fn one_derivation_tries_every_slot_of_the_device_salt_then_each_older_salt() {
        let mut meta = shared();
        meta.add_slot(staff_slot(2)).expect("added");
        meta.slots.push(older_slot(3, "Bác sĩ An"));
        let order = meta.derivations();
        assert_eq!(order.len(), 2);
        assert_eq!(order[0].kdf, meta.kdf.as_ref().expect("device salt"));
        assert_eq!(order[0].slots, [SlotId(1), SlotId(2)]);
        assert_eq!(order[1].slots, [SlotId(3)]);
        assert_eq!(order[1].kdf.salt, vec![3; SALT_BYTES]);
    }

    #[test]
    fn a_device_from_before_the_device_salt_is_upgraded_by_its_unlocks() {
        // As stored by the previous version: per-slot salts, names in clear, no device salt.
        let stored = r#"{"mode":"shared","slots":[
            {"id":1,"holder":{"holder":"staff","display_name":"Y tá Lan"},"kdf":{"salt":[1,1],"iterations":600000},"wrapped_data_key":[1]},
            {"id":2,"holder":{"holder":"staff","display_name":"Bác sĩ An"},"kdf":{"salt":[2,2],"iterations":600000},"wrapped_data_key":[2]}],
            "wrapped_index_key":[9],"attempts":{"count":0,"last_failure_unix":null},"idle_lock":{"minutes":2}}"#;
        let mut meta: VaultMeta = serde_json::from_str(stored).expect("the old form reads");
        assert_eq!(meta.kdf, None);
        assert_eq!(
            meta.staff_names()[1].1,
            &StaffName::Clear {
                display_name: "Bác sĩ An".into()
            }
        );
        let order = meta.derivations();
        assert_eq!(order.len(), 2, "each older slot with its own salt");

        // Lan unlocks: a device salt, her slot moved to it, both names sealed.
        let due = meta.upgrade_due(SlotId(1));
        assert_eq!(
            due,
            UpgradeDue {
                device_salt: true,
                rewrap_opened: true,
                seal_names: vec![SlotId(1), SlotId(2)],
            }
        );
        meta.kdf = Some(KdfParams::new(vec![7; SALT_BYTES]));
        meta.rewrap(SlotId(1), vec![11], None).expect("moved");
        for id in due.seal_names {
            meta.set_staff_name(id, vec![id.0 as u8]).expect("sealed");
        }
        let text = serde_json::to_string(&meta).expect("serializes");
        assert!(!text.contains("Lan") && !text.contains("An\""), "{text}");
        // The device salt first (Lan), then An's own until An unlocks.
        let order = meta.derivations();
        assert_eq!(order[0].slots, [SlotId(1)]);
        assert_eq!(order[1].slots, [SlotId(2)]);
        assert_eq!(
            meta.upgrade_due(SlotId(2)),
            UpgradeDue {
                rewrap_opened: true,
                ..UpgradeDue::default()
            }
        );
        meta.rewrap(SlotId(2), vec![12], None).expect("moved");
        assert!(meta.upgrade_due(SlotId(2)).is_empty());
        assert_eq!(meta.derivations().len(), 1, "one derivation for everyone");
        assert_eq!(
            meta.set_staff_name(SlotId(5), vec![]),
            Err(SlotProblem::UnknownSlot)
        );
    }

    #[test]
    fn switching_to_shared_replaces_the_personal_secret_with_a_staff_member() {
        let personal = KeySlot {
            holder: SlotHolder::Personal {
                kind: SecretKind::Passphrase,
            },
            ..staff_slot(1)
        };
        let mut meta = VaultMeta::new(
            DeviceMode::Personal,
            KdfParams::new(vec![7; SALT_BYTES]),
            personal.clone(),
            vec![3],
        )
        .expect("personal");
        assert_eq!(
            meta.switch_to_shared(KeySlot {
                id: SlotId(2),
                ..personal
            }),
            Err(SlotProblem::HolderDoesNotFitMode)
        );
        assert_eq!(meta.mode, DeviceMode::Personal);
        assert!(meta.personal_slot().is_some());
        meta.switch_to_shared(staff_slot(2)).expect("shared");
        assert_eq!(meta.mode, DeviceMode::Shared);
        assert_eq!(meta.staff_names().len(), 1);
        assert!(meta.personal_slot().is_none());
    }

    #[test]
    fn metadata_round_trips_as_json() {
        let mut meta = shared();
        meta.slots.push(older_slot(2, "Bác sĩ An"));
        let text = serde_json::to_string(&meta).expect("serializes");
        assert_eq!(
            serde_json::from_str::<VaultMeta>(&text).expect("parses"),
            meta
        );
    }
}
