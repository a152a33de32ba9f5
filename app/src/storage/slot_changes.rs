//! Changes to the key slots by an unlocked device: a changed secret, a staff member added or
//! removed, a personal device becoming shared, the idle time. Each re-wraps at most one key
//! and never touches a record; each is one write of the vault metadata (with its audit entry).

use std::rc::Rc;

use health_book::audit::AuditAction;
use health_book::device::secret::check_staff_passphrase;
use health_book::device::slots::SALT_BYTES;
use health_book::device::{
    check_staff_name, staff_name, DeviceMode, IdleLock, KdfParams, KeySlot, SlotHolder, SlotId,
    SlotProblem, StaffMember, UnlockOffer, VaultMeta,
};
use web_sys::CryptoKey;

use super::audit::AuditEvent;
use super::handle::BookStore;
use super::keys::Keys;
use super::slot_keys::{device_key, find_slot, seal_name};
use super::vault::{check_secret, SlotKind, VaultError};
use crate::browser::crypto::WebCrypto;

/// The device salt, made now if the metadata is from before it (it is set at the first unlock,
/// so this is only a fallback).
fn device_kdf(crypto: &WebCrypto, meta: &mut VaultMeta) -> Result<KdfParams, VaultError> {
    if meta.kdf.is_none() {
        meta.kdf = Some(KdfParams::new(crypto.random_bytes(SALT_BYTES)?));
    }
    meta.kdf.clone().ok_or(VaultError::NotSetUp)
}

/// A new staff slot under the device salt: the data key (extractable) wrapped with the key
/// derived from the passphrase, and the name sealed under the data key.
async fn staff_slot(
    crypto: &WebCrypto,
    keys: &Keys,
    id: SlotId,
    display_name: &str,
    data_key: &CryptoKey,
    wrapping: &CryptoKey,
) -> Result<KeySlot, VaultError> {
    Ok(KeySlot {
        id,
        holder: SlotHolder::staff(seal_name(crypto, &keys.data, id, display_name).await?),
        kdf: None,
        wrapped_data_key: crypto.wrap_data_key(data_key, wrapping).await?,
    })
}

impl BookStore {
    /// Changes one slot's secret: the data key is re-wrapped under the new secret; no record
    /// is touched. On a shared device the new passphrase must not open another slot (the
    /// passphrase alone says who unlocks).
    pub async fn change_secret(
        &self,
        slot: SlotId,
        current: &str,
        new: &str,
    ) -> Result<(), VaultError> {
        let mut meta = self.vault_or_err().await?;
        let kind = check_secret(meta.mode, new)?;
        let crypto = WebCrypto::detect()?;
        let data_key = self.slot_change_key(&crypto, &meta, slot, current).await?;
        let wrapping = self
            .unused_passphrase_key(&crypto, &mut meta, new, Some(slot))
            .await?;
        let wrapped = crypto.wrap_data_key(&data_key, &wrapping).await?;
        let holder = match kind {
            // The sealed name stays as it is.
            SlotKind::Staff => None,
            SlotKind::Personal(kind) => Some(SlotHolder::Personal { kind }),
        };
        meta.rewrap(slot, wrapped, holder)?;
        let codec = self.codec()?;
        let event = AuditEvent::device(AuditAction::SecretChanged);
        Ok(self.put_vault_recorded(&meta, &codec, event).await?)
    }

    /// The device salt's key for a new passphrase, refused when the passphrase already opens a
    /// slot other than `except` (it would unlock as that staff member).
    async fn unused_passphrase_key(
        &self,
        crypto: &WebCrypto,
        meta: &mut VaultMeta,
        secret: &str,
        except: Option<SlotId>,
    ) -> Result<CryptoKey, VaultError> {
        let search = find_slot(crypto, meta, secret, false, |id| Some(id) != except).await?;
        if search.opened.is_some() {
            return Err(SlotProblem::PassphraseInUse.into());
        }
        let kdf = device_kdf(crypto, meta)?;
        Ok(device_key(crypto, &kdf, secret, search.device_key).await?)
    }

    /// Adds a staff member (Shared mode), by the unlocked staff member confirming their own
    /// passphrase (the only way to reach the data key in a form that can be wrapped again).
    /// The name is sealed; a passphrase that already opens a slot is refused.
    pub async fn add_staff(
        &self,
        my_secret: &str,
        display_name: &str,
        secret: &str,
    ) -> Result<SlotId, VaultError> {
        let (keys, member) = self
            .put_staff_slot(
                DeviceMode::Shared,
                my_secret,
                display_name,
                secret,
                VaultMeta::add_slot,
            )
            .await?;
        let id = member.slot;
        keys.staff.borrow_mut().push(member);
        Ok(id)
    }

    /// Turns an encrypted personal device into a shared one: the personal secret's slot is
    /// replaced by the first staff member's, wrapping the same data key (no record changes).
    /// The personal secret confirms it, while unlocked; the entry names the device's owner.
    pub async fn switch_to_shared(
        &self,
        personal_secret: &str,
        staff_name: &str,
        passphrase: &str,
    ) -> Result<SlotId, VaultError> {
        let (keys, member) = self
            .put_staff_slot(
                DeviceMode::Personal,
                personal_secret,
                staff_name,
                passphrase,
                VaultMeta::switch_to_shared,
            )
            .await?;
        let id = member.slot;
        // The unlocked session now belongs to the new staff slot.
        keys.slot.set(id);
        *keys.staff.borrow_mut() = vec![member];
        Ok(id)
    }

    /// A new staff member's slot on a device in `expected` mode, by the unlocked holder
    /// confirming their own secret: the name checked and sealed, the passphrase checked and
    /// refused when it opens a slot that stays (on a personal device the personal slot goes),
    /// the same data key wrapped under it, `place`d in the metadata, and written with its
    /// StaffAdded entry in one write.
    async fn put_staff_slot(
        &self,
        expected: DeviceMode,
        my_secret: &str,
        display_name: &str,
        passphrase: &str,
        place: impl FnOnce(&mut VaultMeta, KeySlot) -> Result<(), SlotProblem>,
    ) -> Result<(Rc<Keys>, StaffMember), VaultError> {
        let keys = self.unlocked_keys()?;
        let mut meta = self.vault_or_err().await?;
        if meta.mode != expected {
            return Err(SlotProblem::HolderDoesNotFitMode.into());
        }
        let display_name = check_staff_name(display_name, &keys.staff.borrow())?;
        check_staff_passphrase(passphrase)?;
        let crypto = WebCrypto::detect()?;
        let me = keys.slot.get();
        let data_key = self.slot_change_key(&crypto, &meta, me, my_secret).await?;
        let replaced = (expected == DeviceMode::Personal).then_some(me);
        let wrapping = self
            .unused_passphrase_key(&crypto, &mut meta, passphrase, replaced)
            .await?;
        let id = meta.next_slot_id();
        let slot = staff_slot(&crypto, &keys, id, &display_name, &data_key, &wrapping).await?;
        place(&mut meta, slot)?;
        let codec = self.codec()?;
        let event = AuditEvent::device(AuditAction::StaffAdded {
            name: display_name.clone(),
        });
        self.put_vault_recorded(&meta, &codec, event).await?;
        Ok((
            keys,
            StaffMember {
                slot: id,
                display_name,
            },
        ))
    }

    /// The data key in a form that can be wrapped again, for one slot change; a wrong secret is
    /// answered as such (not counted: the device is unlocked already).
    pub(super) async fn slot_change_key(
        &self,
        crypto: &WebCrypto,
        meta: &VaultMeta,
        slot: SlotId,
        secret: &str,
    ) -> Result<CryptoKey, VaultError> {
        let search = find_slot(crypto, meta, secret, true, |id| id == slot).await?;
        match search.opened {
            Some(opened) => Ok(opened.data),
            None => Err(VaultError::WrongSecret {
                offer: UnlockOffer::Try,
            }),
        }
    }

    /// Removes another staff member's slot, by the unlocked staff member.
    pub async fn remove_staff(&self, slot: SlotId) -> Result<(), VaultError> {
        let keys = self.unlocked_keys()?;
        let mut meta = self.vault_or_err().await?;
        let name = staff_name(&keys.staff.borrow(), slot)
            .unwrap_or_default()
            .to_owned();
        meta.remove_slot(slot, keys.slot.get())?;
        let codec = self.codec()?;
        let event = AuditEvent::device(AuditAction::StaffRemoved { name });
        self.put_vault_recorded(&meta, &codec, event).await?;
        keys.staff.borrow_mut().retain(|m| m.slot != slot);
        Ok(())
    }

    /// The idle time after which the device locks (unlocked only).
    pub async fn set_idle_lock(&self, idle: IdleLock) -> Result<(), VaultError> {
        self.unlocked_keys()?;
        let mut meta = self.vault_or_err().await?;
        meta.idle_lock = idle;
        Ok(self.put_vault(&meta).await?)
    }
}
