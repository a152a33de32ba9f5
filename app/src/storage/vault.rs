//! Encryption at rest: setting a secret (and migrating every stored value to encrypted form),
//! unlocking, locking, and the key-slot changes that re-wrap one key and never touch records.
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
    needs_mode_choice, DecryptProblem, DeviceMode, IdleLock, KdfParams, KeySlot, Migration, Reopen,
    SecretProblem, SlotHolder, SlotId, SlotProblem, UnlockOffer, VaultMeta,
};
use time::OffsetDateTime;
use web_sys::CryptoKey;

use super::audit::AuditEvent;
use super::codec::{seal_plain, unseal_plain, RecordCodec, BOOK_KEY_PREFIX, VAULT_META_SETTING};
use super::error::{RecordLocation, SkippedRecord, StorageError};
use super::handle::BookStore;
use super::keys::{Keys, INDEX_KEY_AAD};
use super::transactions::{read_setting, read_settings_with_prefix};
use crate::browser::crypto::{CryptoError, KeyUse, WebCrypto};

/// Why a vault operation did not happen. Nothing stored is lost in any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VaultError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// WebCrypto is missing or failed (not a wrong secret).
    #[error("encryption is not available: {0}")]
    Crypto(CryptoError),
    /// The secret does not open this slot. The failure is counted (across reloads).
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
    // ---- turning encryption off (vault2) ----
    #[error(transparent)]
    Decrypt(#[from] DecryptProblem),
}

impl From<CryptoError> for VaultError {
    fn from(e: CryptoError) -> Self {
        VaultError::Crypto(e)
    }
}

/// A secret checked against the mode's rules, with the slot holder it makes.
fn holder_for(
    mode: DeviceMode,
    staff_name: Option<&str>,
    secret: &str,
) -> Result<SlotHolder, VaultError> {
    Ok(match mode {
        DeviceMode::Shared => {
            check_staff_passphrase(secret)?;
            SlotHolder::Staff {
                display_name: staff_name.unwrap_or_default().trim().to_owned(),
            }
        }
        DeviceMode::Personal => SlotHolder::Personal {
            kind: check_personal_secret(secret)?,
        },
    })
}

/// A new slot for `secret` wrapping `data_key` (which must be extractable).
async fn new_slot(
    crypto: &WebCrypto,
    id: SlotId,
    holder: SlotHolder,
    secret: &str,
    data_key: &CryptoKey,
) -> Result<KeySlot, VaultError> {
    let kdf = KdfParams::new(crypto.random_bytes(SALT_BYTES)?);
    let slot_key = crypto
        .derive_slot_key(secret, &kdf.salt, kdf.iterations)
        .await?;
    let wrapped_data_key = crypto.wrap_data_key(data_key, &slot_key).await?;
    Ok(KeySlot {
        id,
        holder,
        kdf,
        wrapped_data_key,
    })
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
        let meta = self.vault().await?;
        let marker = self.pending_migration().await?;
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

    /// One of the settings the lock keeps in clear (metadata, migration marker).
    pub(super) async fn clear_setting<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let Some(raw) = self.with_db(|db| read_setting(db, key)).await? else {
            return Ok(None);
        };
        unseal_plain(&raw).map(Some).map_err(|reason| {
            StorageError::Unreadable(SkippedRecord {
                location: RecordLocation::Setting {
                    key: key.to_owned(),
                },
                reason,
            })
        })
    }

    async fn put_vault(&self, meta: &VaultMeta) -> Result<(), StorageError> {
        let sealed = seal_plain(meta)?;
        self.with_db(|db| self.put_raw_setting(db, VAULT_META_SETTING, &sealed))
            .await
    }

    async fn vault_or_err(&self) -> Result<VaultMeta, VaultError> {
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

    /// Forgets every key and what was decrypted with them: afterwards every call but unlock
    /// returns `StorageError::Locked`. Does nothing on a device without a secret.
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
        let holder = holder_for(mode, staff_name, secret)?;
        let crypto = WebCrypto::detect()?;
        let data_key = crypto.generate(KeyUse::Data).await?;
        let index_key = crypto.generate(KeyUse::Index).await?;
        let wrapped_index_key = crypto
            .wrap_key(&index_key, &data_key, INDEX_KEY_AAD)
            .await?;
        let slot = new_slot(&crypto, SlotId(1), holder, secret, &data_key).await?;
        let meta = VaultMeta::new(mode, slot, wrapped_index_key)?;
        let keys = self.open_keys(&crypto, &meta, SlotId(1), secret).await?;
        self.put_migration_marker(&Migration::Encrypt { meta: meta.clone() })
            .await?;
        self.finish_encryption(keys, &meta).await
    }

    /// Finishes turning encryption on after the page was closed midway: the secret it was
    /// started with opens the new vault of the marker, and the migration runs again from the
    /// plain data.
    pub async fn resume_encryption(&self, secret: &str) -> Result<(), VaultError> {
        let Some(Migration::Encrypt { meta }) = self.pending_migration().await? else {
            return Err(VaultError::NotSetUp);
        };
        if self.vault().await?.is_some() {
            return Err(VaultError::AlreadySetUp);
        }
        let first = meta
            .slots
            .first()
            .map(|s| s.id)
            .ok_or(SlotProblem::UnknownSlot)?;
        let crypto = WebCrypto::detect()?;
        let keys = match self.open_keys(&crypto, &meta, first, secret).await {
            // The data is still plain: nothing to guard with a delay.
            Err(VaultError::Crypto(CryptoError::NotAuthentic)) => {
                return Err(VaultError::WrongSecret {
                    offer: UnlockOffer::Try,
                })
            }
            other => other?,
        };
        self.finish_encryption(keys, &meta).await
    }

    /// Gives up an interrupted encryption: the device stays as it was, plain and readable.
    pub async fn cancel_encryption(&self) -> Result<(), VaultError> {
        match self.pending_migration().await? {
            Some(Migration::Encrypt { .. }) if self.vault().await?.is_none() => {
                Ok(self.remove_migration_marker().await?)
            }
            _ => Err(VaultError::NotSetUp),
        }
    }

    async fn finish_encryption(&self, keys: Keys, meta: &VaultMeta) -> Result<(), VaultError> {
        let codec = RecordCodec::Sealed(Rc::new(keys));
        let sealed = self.seal_everything(&codec, meta).await;
        self.migrate_or_undo(sealed).await?;
        *self.inner.codec.borrow_mut() = codec;
        Ok(())
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

    async fn finish_decryption(&self) -> Result<(), VaultError> {
        let codec = self.codec()?;
        let opened = self.open_everything(&codec).await;
        self.migrate_or_undo(opened).await?;
        *self.inner.codec.borrow_mut() = RecordCodec::PlainJson;
        Ok(())
    }

    /// Derives the slot key, unwraps the data key (non-extractable), the index key, and every
    /// book key.
    async fn open_keys(
        &self,
        crypto: &WebCrypto,
        meta: &VaultMeta,
        slot: SlotId,
        secret: &str,
    ) -> Result<Keys, VaultError> {
        let data = self.open_slot(crypto, meta, slot, secret, false).await?;
        let index = crypto
            .unwrap_key(&meta.wrapped_index_key, &data, INDEX_KEY_AAD, KeyUse::Index)
            .await?;
        Ok(Keys {
            crypto: crypto.clone(),
            slot: Cell::new(slot),
            data,
            index,
            books: RefCell::new(HashMap::new()),
            names: RefCell::new(HashMap::new()),
        })
    }

    async fn open_slot(
        &self,
        crypto: &WebCrypto,
        meta: &VaultMeta,
        slot: SlotId,
        secret: &str,
        extractable: bool,
    ) -> Result<CryptoKey, VaultError> {
        let slot = meta.slot(slot).ok_or(SlotProblem::UnknownSlot)?;
        let slot_key = crypto
            .derive_slot_key(secret, &slot.kdf.salt, slot.kdf.iterations)
            .await?;
        Ok(crypto
            .unwrap_data_key(&slot.wrapped_data_key, &slot_key, extractable)
            .await?)
    }

    /// Unlocks with one slot's secret. A wrong secret is counted in the stored metadata (so a
    /// reload does not reset the delay) and answered with what may be offered next.
    pub async fn unlock(&self, slot: SlotId, secret: &str) -> Result<(), VaultError> {
        let mut meta = self.vault_or_err().await?;
        let now = OffsetDateTime::now_utc();
        match meta.attempts.offer(meta.mode, now) {
            UnlockOffer::Try => {}
            UnlockOffer::WaitUntil(until) => return Err(VaultError::TooSoon { until }),
            UnlockOffer::WipeOnly => return Err(VaultError::WipeOnly),
        }
        let crypto = WebCrypto::detect()?;
        let keys = match self.open_keys(&crypto, &meta, slot, secret).await {
            Ok(keys) => keys,
            Err(VaultError::Crypto(CryptoError::NotAuthentic)) => {
                meta.attempts = meta.attempts.failed(now);
                self.put_vault(&meta).await?;
                let offer = meta.attempts.offer(meta.mode, now);
                return Err(VaultError::WrongSecret { offer });
            }
            Err(other) => return Err(other),
        };
        let wrapped = self
            .with_db(|db| read_settings_with_prefix(db, BOOK_KEY_PREFIX))
            .await?;
        for (key, value) in wrapped {
            let name = key.as_string().unwrap_or_default();
            let book = name.trim_start_matches(BOOK_KEY_PREFIX);
            let bytes = js_sys::Uint8Array::new(&value).to_vec();
            // A key that does not unwrap leaves its book unreadable (reported by every load),
            // not the whole device locked.
            if let Err(e) = keys.load_book_key(book, bytes).await {
                crate::console_warn!("vault: a book key does not unwrap: {e}");
            }
        }
        let codec = RecordCodec::Sealed(Rc::new(keys));
        if meta.attempts.count > 0 {
            // A locked device has no key to log a wrong secret with: the count kept in clear
            // is logged now, in the same write that resets it.
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
        }
        *self.inner.codec.borrow_mut() = codec;
        if self.pending_migration().await? == Some(Migration::Decrypt) {
            // Removing the secret was interrupted: finish it now. If it fails again the device
            // stays locked and encrypted, and the next unlock tries again.
            if let Err(e) = self.finish_decryption().await {
                self.lock();
                return Err(e);
            }
        }
        Ok(())
    }

    fn unlocked_keys(&self) -> Result<Rc<Keys>, VaultError> {
        match &*self.inner.codec.borrow() {
            RecordCodec::Sealed(keys) => Ok(keys.clone()),
            _ => Err(VaultError::NotUnlocked),
        }
    }

    /// Changes one slot's secret: the data key is re-wrapped under the new secret; no record
    /// is touched.
    pub async fn change_secret(
        &self,
        slot: SlotId,
        current: &str,
        new: &str,
    ) -> Result<(), VaultError> {
        let mut meta = self.vault_or_err().await?;
        let name = match &meta.slot(slot).ok_or(SlotProblem::UnknownSlot)?.holder {
            SlotHolder::Staff { display_name } => Some(display_name.clone()),
            SlotHolder::Personal { .. } => None,
        };
        let holder = holder_for(meta.mode, name.as_deref(), new)?;
        let crypto = WebCrypto::detect()?;
        let data_key = self.slot_change_key(&crypto, &meta, slot, current).await?;
        let fresh = new_slot(&crypto, slot, holder.clone(), new, &data_key).await?;
        meta.rewrap(slot, fresh.kdf, fresh.wrapped_data_key, Some(holder))?;
        let codec = self.codec()?;
        let event = AuditEvent::device(AuditAction::SecretChanged);
        Ok(self.put_vault_recorded(&meta, &codec, event).await?)
    }

    /// Adds a staff member (Shared mode), by the unlocked staff member confirming their own
    /// passphrase (the only way to reach the data key in a form that can be wrapped again).
    pub async fn add_staff(
        &self,
        my_secret: &str,
        display_name: &str,
        secret: &str,
    ) -> Result<SlotId, VaultError> {
        let me = self.unlocked_keys()?.slot.get();
        let mut meta = self.vault_or_err().await?;
        if meta.mode != DeviceMode::Shared {
            return Err(SlotProblem::HolderDoesNotFitMode.into());
        }
        let display_name = meta.check_staff_name(display_name)?;
        let holder = holder_for(DeviceMode::Shared, Some(&display_name), secret)?;
        let crypto = WebCrypto::detect()?;
        let data_key = self.slot_change_key(&crypto, &meta, me, my_secret).await?;
        let id = meta.next_slot_id();
        let slot = new_slot(&crypto, id, holder, secret, &data_key).await?;
        meta.add_slot(slot)?;
        let codec = self.codec()?;
        let event = AuditEvent::device(AuditAction::StaffAdded { name: display_name });
        self.put_vault_recorded(&meta, &codec, event).await?;
        Ok(id)
    }

    /// Turns an encrypted personal device into a shared one: the personal secret's slot is
    /// replaced by the first staff member's, wrapping the same data key (no record changes).
    /// The personal secret confirms it, while unlocked.
    pub async fn switch_to_shared(
        &self,
        personal_secret: &str,
        staff_name: &str,
        passphrase: &str,
    ) -> Result<SlotId, VaultError> {
        let me = self.unlocked_keys()?.slot.get();
        let mut meta = self.vault_or_err().await?;
        if meta.mode != DeviceMode::Personal {
            return Err(SlotProblem::HolderDoesNotFitMode.into());
        }
        let holder = holder_for(DeviceMode::Shared, Some(staff_name), passphrase)?;
        let crypto = WebCrypto::detect()?;
        let data_key = self
            .slot_change_key(&crypto, &meta, me, personal_secret)
            .await?;
        let id = meta.next_slot_id();
        let slot = new_slot(&crypto, id, holder, passphrase, &data_key).await?;
        meta.switch_to_shared(slot)?;
        self.put_vault(&meta).await?;
        // The unlocked session now belongs to the new staff slot.
        if let RecordCodec::Sealed(keys) = &*self.inner.codec.borrow() {
            keys.slot.set(id);
        }
        Ok(id)
    }

    /// The data key in a form that can be wrapped again, for one slot change; a wrong secret is
    /// answered as such (not counted: the device is unlocked already).
    async fn slot_change_key(
        &self,
        crypto: &WebCrypto,
        meta: &VaultMeta,
        slot: SlotId,
        secret: &str,
    ) -> Result<CryptoKey, VaultError> {
        match self.open_slot(crypto, meta, slot, secret, true).await {
            Err(VaultError::Crypto(CryptoError::NotAuthentic)) => Err(VaultError::WrongSecret {
                offer: UnlockOffer::Try,
            }),
            other => other,
        }
    }

    /// Removes another staff member's slot, by the unlocked staff member.
    pub async fn remove_staff(&self, slot: SlotId) -> Result<(), VaultError> {
        let me = self.unlocked_keys()?.slot.get();
        let mut meta = self.vault_or_err().await?;
        let name = match meta.slot(slot).map(|s| &s.holder) {
            Some(SlotHolder::Staff { display_name }) => display_name.clone(),
            _ => String::new(),
        };
        meta.remove_slot(slot, me)?;
        let codec = self.codec()?;
        let event = AuditEvent::device(AuditAction::StaffRemoved { name });
        Ok(self.put_vault_recorded(&meta, &codec, event).await?)
    }

    /// The idle time after which the device locks (unlocked only).
    pub async fn set_idle_lock(&self, idle: IdleLock) -> Result<(), VaultError> {
        self.unlocked_keys()?;
        let mut meta = self.vault_or_err().await?;
        meta.idle_lock = idle;
        Ok(self.put_vault(&meta).await?)
    }
}

/// The setting that says the first-run question (Personal or Shared) was answered. An ordinary
/// setting: encrypted and migrated with the others.
const MODE_ANSWERED_SETTING: &str = "device.mode_answered";

impl BookStore {
    /// Whether the app must first ask how the device is used (see `needs_mode_choice`).
    pub async fn mode_choice_needed(&self) -> Result<bool, StorageError> {
        let secret_set = self.vault().await?.is_some() || self.pending_migration().await?.is_some();
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
