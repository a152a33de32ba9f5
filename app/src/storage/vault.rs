//! Encryption at rest: setting a secret (and migrating every stored value to encrypted form),
//! unlocking and locking (the key-slot changes are in `slot_changes.rs`).
//!
//! The vault metadata ([`VaultMeta`]: mode, key slots, failed attempts, idle time) is the one
//! setting kept in clear, under `vault.meta`; wrapped book keys sit beside it under
//! `vault.book.<book's storage name>`. Everything else is encrypted once a secret is set
//! (see `codec.rs`). Every WebCrypto call happens before a transaction opens.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use health_book::audit::AuditAction;
use health_book::device::migration::{may_turn_off, on_reopen};
use health_book::device::secret::{check_personal_secret, check_staff_passphrase};
use health_book::device::slots::SALT_BYTES;
use health_book::device::{
    check_staff_name, needs_mode_choice, DecryptProblem, DeviceMode, KdfParams, KeySlot, Migration,
    Reopen, SecretKind, SecretProblem, SlotHolder, SlotId, SlotProblem, StaffMember, UnlockOffer,
    VaultMeta,
};
use time::OffsetDateTime;
use wasm_bindgen::JsValue;
use web_sys::CryptoKey;

use super::audit::AuditEvent;
use super::codec::{
    seal_lock_setting, unseal_lock_setting, RecordCodec, BOOK_KEY_PREFIX, VAULT_META_SETTING,
};
use super::error::{unreadable_setting, StorageError};
use super::handle::BookStore;
use super::keys::{Keys, INDEX_KEY_AAD};
use super::migration::{Migrated, MIGRATION_SETTING};
use super::slot_keys::{
    also_opened, derive, device_key, find_slot, open_names, seal_name, OpenedSlot,
};
use super::transactions::{read_setting, read_settings, read_settings_with_prefix};
use crate::browser::crypto::{CryptoError, KeyUse, WebCrypto};

/// Why a vault operation did not happen. Nothing stored is lost in any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// WebCrypto is missing or failed (not a wrong secret).
    #[error("encryption is not available: {0}")]
    Crypto(CryptoError),
    /// The secret opens no slot. The failure is counted (across reloads).
    #[error("wrong secret")]
    WrongSecret { offer: UnlockOffer },
    /// Too soon after failed attempts.
    #[error("try again later")]
    TooSoon { until: OffsetDateTime },
    /// Ten failures on a shared device: only a wipe is offered.
    #[error("too many wrong secrets; only wiping the device is offered")]
    WipeOnly,
    #[error("no secret is set on this device")]
    NotSetUp,
    #[error("a secret is already set on this device")]
    AlreadySetUp,
    #[error("the device is locked")]
    NotUnlocked,
    #[error(transparent)]
    Secret(#[from] SecretProblem),
    #[error(transparent)]
    Slot(#[from] SlotProblem),
    /// The passphrase opens several staff members' slots (set up by a version before the
    /// device salt, when passphrases did not have to differ): the device stays locked until
    /// the person picks their own name among `staff` ([`BookStore::unlock_as`]). Not counted
    /// as a wrong secret.
    #[error("this passphrase opens several staff members' slots")]
    PassphraseShared { staff: Vec<StaffMember> },
    // ---- turning encryption off (vault2) ----
    #[error(transparent)]
    Decrypt(#[from] DecryptProblem),
}

impl From<CryptoError> for VaultError {
    fn from(e: CryptoError) -> Self {
        VaultError::Crypto(e)
    }
}

/// What an unlock found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlocked {
    /// The secret opened this slot (the staff member now working, or the personal slot).
    As(SlotId),
    /// There was nothing to unlock: removing the secret had finished meanwhile (another page
    /// committed it), and the device is plain.
    NothingToUnlock,
}

/// A secret checked against the mode's rules, with its kind on a personal device.
pub(super) fn check_secret(mode: DeviceMode, secret: &str) -> Result<SlotKind, VaultError> {
    Ok(match mode {
        DeviceMode::Shared => {
            check_staff_passphrase(secret)?;
            SlotKind::Staff
        }
        DeviceMode::Personal => SlotKind::Personal(check_personal_secret(secret)?),
    })
}

/// The holder a checked secret makes, before a staff name is sealed into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SlotKind {
    Staff,
    Personal(SecretKind),
}

impl SlotKind {
    /// The slot holder, with the staff name (checked already) sealed under the data key.
    pub(super) async fn holder(
        self,
        crypto: &WebCrypto,
        data: &CryptoKey,
        slot: SlotId,
        staff_name: &str,
    ) -> Result<SlotHolder, CryptoError> {
        Ok(match self {
            SlotKind::Staff => SlotHolder::staff(seal_name(crypto, data, slot, staff_name).await?),
            SlotKind::Personal(kind) => SlotHolder::Personal { kind },
        })
    }
}

impl BookStore {
    /// The codec to use now (cheap clone); `Locked` is refused here, once, for every operation.
    pub(super) fn codec(&self) -> Result<RecordCodec, StorageError> {
        let codec = self.inner.codec.borrow().clone();
        match codec {
            RecordCodec::Locked => Err(StorageError::Locked),
            other => Ok(other),
        }
    }

    /// Reads the vault metadata and sets the store to locked if a secret is set. Called on open.
    pub(super) async fn load_vault_state(&self) -> Result<(), StorageError> {
        let (meta, marker) = self.lock_state().await?;
        match on_reopen(meta.as_ref(), marker.as_ref()) {
            // An interrupted encryption leaves plain data: readable until it is finished.
            Reopen::Plain | Reopen::FinishEncrypting { .. } => {}
            Reopen::Locked | Reopen::FinishDecrypting => {
                *self.inner.codec.borrow_mut() = RecordCodec::Locked;
            }
            Reopen::StaleMarker { secret_set } => {
                self.remove_migration_marker().await?;
                if secret_set {
                    *self.inner.codec.borrow_mut() = RecordCodec::Locked;
                }
            }
        }
        Ok(())
    }

    /// The device's lock metadata, or `None` when no secret is set (Personal, unencrypted).
    pub async fn vault(&self) -> Result<Option<VaultMeta>, StorageError> {
        self.clear_setting(VAULT_META_SETTING).await
    }

    /// The lock metadata and the migration marker, read in ONE transaction: a migration's
    /// commit writes (or removes) the metadata and drops the marker together, so two separate
    /// reads could straddle another page's commit and see a migration that is already done.
    pub async fn lock_state(&self) -> Result<(Option<VaultMeta>, Option<Migration>), StorageError> {
        let keys = [VAULT_META_SETTING, MIGRATION_SETTING];
        let raw = self.with_db(|db| read_settings(db, &keys)).await?;
        Ok((
            parse_clear(keys[0], raw.first().and_then(Option::as_ref))?,
            parse_clear(keys[1], raw.get(1).and_then(Option::as_ref))?,
        ))
    }

    /// One of the settings the lock keeps in clear (metadata, migration marker).
    pub(super) async fn clear_setting<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let raw = self.with_db(|db| read_setting(db, key)).await?;
        parse_clear(key, raw.as_ref())
    }

    pub(super) async fn put_vault(&self, meta: &VaultMeta) -> Result<(), StorageError> {
        let sealed = seal_lock_setting(meta)?;
        self.with_db(|db| self.put_raw_setting(db, VAULT_META_SETTING, &sealed))
            .await
    }

    pub(super) async fn vault_or_err(&self) -> Result<VaultMeta, VaultError> {
        self.vault().await?.ok_or(VaultError::NotSetUp)
    }

    /// True when a secret is set and the keys are not in memory.
    pub fn is_locked(&self) -> bool {
        matches!(*self.inner.codec.borrow(), RecordCodec::Locked)
    }

    /// True when stored values are encrypted (a secret is set).
    pub fn is_encrypted(&self) -> bool {
        !matches!(*self.inner.codec.borrow(), RecordCodec::PlainJson)
    }

    /// The slot (staff member) that unlocked the device.
    pub fn unlocked_slot(&self) -> Option<SlotId> {
        match &*self.inner.codec.borrow() {
            RecordCodec::Sealed(keys) => Some(keys.slot.get()),
            _ => None,
        }
    }

    /// The staff of a shared device with their names, opened at unlock (empty while locked:
    /// the names are stored sealed).
    pub fn staff(&self) -> Vec<StaffMember> {
        match &*self.inner.codec.borrow() {
            RecordCodec::Sealed(keys) => keys.staff.borrow().clone(),
            _ => Vec::new(),
        }
    }

    /// Forgets every key and what was decrypted with them (staff names included): afterwards
    /// every call but unlock returns `StorageError::Locked`. Does nothing on a device without a
    /// secret.
    pub fn lock(&self) {
        let mut codec = self.inner.codec.borrow_mut();
        if let RecordCodec::Sealed(_) = *codec {
            *codec = RecordCodec::Locked;
        }
    }

    /// Sets the first secret and encrypts everything already stored, all or nothing.
    ///
    /// The new vault is written first as a migration marker; then every stored value is read
    /// in one transaction, sealed under the new keys with nothing open, and the whole database
    /// replaced (with the vault metadata, without the marker) in one strict transaction. A page
    /// closed before that commit reopens with the old readable data and the marker, and
    /// [`resume_encryption`](Self::resume_encryption) with the same secret finishes it; after
    /// the commit everything is encrypted. A reported failure (a full disk) changes nothing.
    pub async fn enable_encryption(
        &self,
        mode: DeviceMode,
        staff_name: Option<&str>,
        secret: &str,
    ) -> Result<(), VaultError> {
        if self.is_encrypted() || self.vault().await?.is_some() {
            return Err(VaultError::AlreadySetUp);
        }
        let kind = check_secret(mode, secret)?;
        let staff_name = match kind {
            SlotKind::Staff => check_staff_name(staff_name.unwrap_or_default(), &[])?,
            SlotKind::Personal(_) => String::new(),
        };
        let crypto = WebCrypto::detect()?;
        let data_key = crypto.generate(KeyUse::Data).await?;
        let index_key = crypto.generate(KeyUse::Index).await?;
        let wrapped_index_key = crypto
            .wrap_key(&index_key, &data_key, INDEX_KEY_AAD)
            .await?;
        let kdf = KdfParams::new(crypto.random_bytes(SALT_BYTES)?);
        let wrapping = derive(&crypto, &kdf, secret).await?;
        let first = SlotId(1);
        let slot = KeySlot {
            id: first,
            holder: kind.holder(&crypto, &data_key, first, &staff_name).await?,
            kdf: None,
            wrapped_data_key: crypto.wrap_data_key(&data_key, &wrapping).await?,
        };
        let meta = VaultMeta::new(mode, kdf, slot, wrapped_index_key)?;
        // Work with a non-extractable copy from here on.
        let data = crypto
            .unwrap_data_key(&meta.slots[0].wrapped_data_key, &wrapping, false)
            .await?;
        let keys = self.keys_of(&crypto, &meta, first, data).await?;
        self.put_migration_marker(&Migration::Encrypt { meta: meta.clone() })
            .await?;
        match self.finish_encryption(keys, &meta).await? {
            Migrated::Done => Ok(()),
            // Another page set a secret meanwhile.
            Migrated::AlreadyDone => Err(VaultError::AlreadySetUp),
        }
    }

    /// Finishes turning encryption on after the page was closed midway: the secret it was
    /// started with opens the new vault of the marker, and the migration runs again from the
    /// plain data. If the data turns out to be encrypted already (the closed page's commit
    /// landed after this page looked), only the marker is cleared and the same secret unlocks.
    pub async fn resume_encryption(&self, secret: &str) -> Result<(), VaultError> {
        let (stored, marker) = self.lock_state().await?;
        if stored.is_some() {
            return self.unlock_after_encryption(secret).await;
        }
        let Some(Migration::Encrypt { meta }) = marker else {
            return Err(VaultError::NotSetUp);
        };
        let crypto = WebCrypto::detect()?;
        let search = find_slot(&crypto, &meta, secret, false, |_| true).await?;
        // The data is still plain: nothing to guard with a delay.
        let Some(opened) = search.opened else {
            return Err(VaultError::WrongSecret {
                offer: UnlockOffer::Try,
            });
        };
        let keys = self.keys_of(&crypto, &meta, opened.id, opened.data).await?;
        match self.finish_encryption(keys, &meta).await? {
            Migrated::Done => Ok(()),
            Migrated::AlreadyDone => self.unlock_after_encryption(secret).await,
        }
    }

    /// The encryption was committed by another page: the marker goes, and the secret unlocks
    /// (counted like any unlock).
    async fn unlock_after_encryption(&self, secret: &str) -> Result<(), VaultError> {
        self.settle_marker().await?;
        *self.inner.codec.borrow_mut() = RecordCodec::Locked;
        match self.unlock(secret).await? {
            Unlocked::As(_) => Ok(()),
            Unlocked::NothingToUnlock => Err(VaultError::NotSetUp),
        }
    }

    /// Removes a migration marker whose migration is done (by this page or another).
    async fn settle_marker(&self) -> Result<(), StorageError> {
        if self.pending_migration().await?.is_some() {
            self.remove_migration_marker().await?;
        }
        Ok(())
    }

    /// Gives up an interrupted encryption: the device stays as it was, plain and readable. If
    /// the encryption was committed meanwhile, there is nothing left to give up: the marker
    /// goes and the device is locked, like any encrypted device.
    pub async fn cancel_encryption(&self) -> Result<(), VaultError> {
        match self.lock_state().await? {
            (None, Some(Migration::Encrypt { .. })) => Ok(self.remove_migration_marker().await?),
            (Some(_), _) => {
                self.settle_marker().await?;
                *self.inner.codec.borrow_mut() = RecordCodec::Locked;
                Ok(())
            }
            _ => Err(VaultError::NotSetUp),
        }
    }

    async fn finish_encryption(
        &self,
        keys: Keys,
        meta: &VaultMeta,
    ) -> Result<Migrated, VaultError> {
        // A shared device's first staff member is set up by this migration: logged in its
        // write (a personal device has no staff).
        let set_up: Vec<AuditEvent> = keys
            .staff
            .borrow()
            .iter()
            .map(|member| {
                AuditEvent::device(AuditAction::StaffAdded {
                    name: member.display_name.clone(),
                })
            })
            .collect();
        let codec = RecordCodec::Sealed(Rc::new(keys));
        let sealed = self.seal_everything(&codec, meta, &set_up).await;
        let migrated = self.migrate_or_undo(sealed).await?;
        if migrated == Migrated::Done {
            *self.inner.codec.borrow_mut() = codec;
        }
        Ok(migrated)
    }

    /// Removes a personal device's PIN or passphrase: after confirming it, every value is
    /// stored readable again, all or nothing, under its original name (the marker is written
    /// first; a page closed midway reopens locked, and unlocking finishes it). The keys are
    /// forgotten and the vault metadata is gone.
    pub async fn disable_encryption(&self, current: &str) -> Result<(), VaultError> {
        let me = self.unlocked_keys()?.slot.get();
        let meta = self.vault_or_err().await?;
        may_turn_off(meta.mode)?;
        let crypto = WebCrypto::detect()?;
        self.slot_change_key(&crypto, &meta, me, current).await?;
        self.put_migration_marker(&Migration::Decrypt).await?;
        self.finish_decryption().await
    }

    /// Stores everything readable again; if another page did so meanwhile, only its marker is
    /// left to clear. Either way the device ends plain.
    async fn finish_decryption(&self) -> Result<(), VaultError> {
        let codec = self.codec()?;
        let opened = self.open_everything(&codec).await;
        if self.migrate_or_undo(opened).await? == Migrated::AlreadyDone {
            self.settle_marker().await?;
        }
        *self.inner.codec.borrow_mut() = RecordCodec::PlainJson;
        Ok(())
    }

    /// The keys of an unlocked device from its (non-extractable) data key: the index key, and
    /// the staff names opened.
    pub(super) async fn keys_of(
        &self,
        crypto: &WebCrypto,
        meta: &VaultMeta,
        slot: SlotId,
        data: CryptoKey,
    ) -> Result<Keys, VaultError> {
        let index = crypto
            .unwrap_key(&meta.wrapped_index_key, &data, INDEX_KEY_AAD, KeyUse::Index)
            .await?;
        let staff = open_names(crypto, &data, meta).await;
        Ok(Keys {
            crypto: crypto.clone(),
            slot: Cell::new(slot),
            data,
            index,
            books: RefCell::new(HashMap::new()),
            names: RefCell::new(HashMap::new()),
            staff: RefCell::new(staff),
        })
    }

    /// Unlocks with a secret; the slot it opens says who unlocked (the unlock screen names no
    /// one). A wrong secret is counted in the stored metadata (so a reload does not reset the
    /// delay) and answered with what may be offered next. The same write brings older
    /// metadata up to date: a device salt, this slot moved to it, every staff name sealed.
    pub async fn unlock(&self, secret: &str) -> Result<Unlocked, VaultError> {
        self.unlock_slot(secret, None).await
    }

    /// Unlocks as `slot`, the staff member who picked their own name after the passphrase
    /// opened several slots ([`VaultError::PassphraseShared`]): their word says who it is, as
    /// on the versions that asked for a name first. The slot keeps its own salt (moving it to
    /// the device salt would hide the others that share its passphrase) until its passphrase
    /// is changed.
    pub async fn unlock_as(&self, secret: &str, slot: SlotId) -> Result<Unlocked, VaultError> {
        self.unlock_slot(secret, Some(slot)).await
    }

    async fn unlock_slot(
        &self,
        secret: &str,
        picked: Option<SlotId>,
    ) -> Result<Unlocked, VaultError> {
        let (meta, marker) = self.lock_state().await?;
        let Some(mut meta) = meta else {
            return self.nothing_to_unlock(marker.as_ref()).await;
        };
        let now = OffsetDateTime::now_utc();
        match meta.attempts.offer(meta.mode, now) {
            UnlockOffer::Try => {}
            UnlockOffer::WaitUntil(until) => return Err(VaultError::TooSoon { until }),
            UnlockOffer::WipeOnly => return Err(VaultError::WipeOnly),
        }
        let crypto = WebCrypto::detect()?;
        let search = find_slot(&crypto, &meta, secret, false, |id| {
            picked.is_none_or(|p| p == id)
        })
        .await?;
        let Some(opened) = search.opened else {
            meta.attempts = meta.attempts.failed(now);
            self.put_vault(&meta).await?;
            let offer = meta.attempts.offer(meta.mode, now);
            return Err(VaultError::WrongSecret { offer });
        };
        let slot = opened.id;
        if picked.is_none() {
            let sharing = also_opened(&crypto, &meta, secret, slot).await?;
            if !sharing.is_empty() {
                let staff = open_names(&crypto, &opened.data, &meta)
                    .await
                    .into_iter()
                    .filter(|m| m.slot == slot || sharing.contains(&m.slot))
                    .collect();
                return Err(VaultError::PassphraseShared { staff });
            }
        }
        let keys = self
            .keys_of(&crypto, &meta, slot, opened.data.clone())
            .await?;
        self.load_book_keys(&keys).await?;
        let upgraded = upgrade_meta(
            &crypto,
            &mut meta,
            &keys,
            &opened,
            picked.is_none(),
            secret,
            search.device_key,
        )
        .await?;
        let codec = RecordCodec::Sealed(Rc::new(keys));
        if meta.attempts.count > 0 {
            // A locked device has no key to log a wrong secret with: the count kept in clear
            // is logged now, in the same write that resets it (and upgrades the metadata).
            let failed = AuditAction::UnlockFailed {
                count: meta.attempts.count,
                last_at: meta
                    .attempts
                    .last_failure_unix
                    .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok()),
            };
            meta.attempts = Default::default();
            self.put_vault_recorded(&meta, &codec, AuditEvent::device(failed))
                .await?;
        } else if upgraded {
            self.put_vault(&meta).await?;
        }
        *self.inner.codec.borrow_mut() = codec;
        if marker == Some(Migration::Decrypt) {
            // Removing the secret was interrupted: finish it now. If it fails again the device
            // stays locked and encrypted, and the next unlock tries again.
            if let Err(e) = self.finish_decryption().await {
                self.lock();
                return Err(e);
            }
        }
        Ok(Unlocked::As(slot))
    }

    /// No metadata: removing the secret was finished by another page after this one looked
    /// (the data is plain: its marker, if left, is cleared), or no secret was ever set.
    async fn nothing_to_unlock(&self, marker: Option<&Migration>) -> Result<Unlocked, VaultError> {
        match marker {
            Some(Migration::Encrypt { .. }) => Err(VaultError::NotSetUp),
            Some(Migration::Decrypt) | None => {
                if marker.is_some() {
                    self.remove_migration_marker().await?;
                }
                *self.inner.codec.borrow_mut() = RecordCodec::PlainJson;
                Ok(Unlocked::NothingToUnlock)
            }
        }
    }

    /// Every stored book key, unwrapped. A key that does not unwrap leaves its book unreadable
    /// (reported by every load), not the whole device locked.
    async fn load_book_keys(&self, keys: &Keys) -> Result<(), StorageError> {
        let wrapped = self
            .with_db(|db| read_settings_with_prefix(db, BOOK_KEY_PREFIX))
            .await?;
        for (key, value) in wrapped {
            let name = key.as_string().unwrap_or_default();
            let book = name.trim_start_matches(BOOK_KEY_PREFIX);
            let bytes = js_sys::Uint8Array::new(&value).to_vec();
            if let Err(e) = keys.load_book_key(book, bytes).await {
                crate::console_warn!("vault: a book key does not unwrap: {e}");
            }
        }
        Ok(())
    }

    pub(super) fn unlocked_keys(&self) -> Result<Rc<Keys>, VaultError> {
        match &*self.inner.codec.borrow() {
            RecordCodec::Sealed(keys) => Ok(keys.clone()),
            _ => Err(VaultError::NotUnlocked),
        }
    }
}

/// A setting the lock keeps in clear, as read (`None` when absent).
fn parse_clear<T: serde::de::DeserializeOwned>(
    key: &str,
    raw: Option<&JsValue>,
) -> Result<Option<T>, StorageError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    unseal_lock_setting(raw)
        .map(Some)
        .map_err(|reason| unreadable_setting(key, reason))
}

/// Brings metadata written by an older version up to date once `opened` has unlocked (see
/// `VaultMeta::upgrade_due`); `true` when it changed and must be written. The opened slot
/// moves to the device salt only when `may_move` (not when picked by name among several).
async fn upgrade_meta(
    crypto: &WebCrypto,
    meta: &mut VaultMeta,
    keys: &Keys,
    opened: &OpenedSlot,
    may_move: bool,
    secret: &str,
    derived: Option<CryptoKey>,
) -> Result<bool, VaultError> {
    let mut due = meta.upgrade_due(opened.id);
    due.rewrap_opened &= may_move;
    if due.is_empty() {
        return Ok(false);
    }
    let kdf = match &meta.kdf {
        Some(kdf) => kdf.clone(),
        None => KdfParams::new(crypto.random_bytes(SALT_BYTES)?),
    };
    meta.kdf = Some(kdf.clone());
    if due.rewrap_opened {
        let slot = meta.slot(opened.id).ok_or(SlotProblem::UnknownSlot)?;
        // The data key once more, extractable, only to wrap it with the device salt's key.
        let movable = crypto
            .unwrap_data_key(&slot.wrapped_data_key, &opened.wrapping, true)
            .await?;
        let wrapping = device_key(crypto, &kdf, secret, derived).await?;
        let wrapped = crypto.wrap_data_key(&movable, &wrapping).await?;
        meta.rewrap(opened.id, wrapped, None)?;
    }
    let staff = keys.staff.borrow().clone();
    for member in &staff {
        if due.seal_names.contains(&member.slot) {
            let sealed = seal_name(crypto, &keys.data, member.slot, &member.display_name).await?;
            meta.set_staff_name(member.slot, sealed)?;
        }
    }
    Ok(true)
}
/// The setting that says the first-run question (Personal or Shared) was answered. An ordinary
/// setting: encrypted and migrated with the others.
const MODE_ANSWERED_SETTING: &str = "device.mode_answered";

impl BookStore {
    /// Whether the app must first ask how the device is used (see `needs_mode_choice`).
    pub async fn mode_choice_needed(&self) -> Result<bool, StorageError> {
        let (meta, marker) = self.lock_state().await?;
        let secret_set = meta.is_some() || marker.is_some();
        if secret_set {
            return Ok(false);
        }
        let answered = self
            .setting::<bool>(MODE_ANSWERED_SETTING)
            .await?
            .unwrap_or(false);
        let has_books = !self.list_books().await?.books.is_empty();
        Ok(needs_mode_choice(answered, secret_set, has_books))
    }

    /// Records the first-run answer "a personal phone" (a shared device answers by setting up
    /// its first staff member, which sets a secret).
    pub async fn answer_mode_choice(&self) -> Result<(), StorageError> {
        self.put_setting(MODE_ANSWERED_SETTING, &true).await
    }
}
