//! The device lock as the app sees it: whether a secret is set, locked or unlocked, by whom.
//!
//! Locking drops the keys (in the store) and everything decrypted (the open book and the book
//! list are reloaded, and fail with "locked" until unlocked), and the app then renders only the
//! unlock screen, so no patient detail stays in the DOM.

use health_book::device::migration::on_reopen;
use health_book::device::{
    staff_name, DeviceMode, IdleLock, Migration, Reopen, SlotId, StaffMember, VaultMeta,
};
use leptos::prelude::*;

use super::{BookStoreContext, OpenBook};
use crate::storage::{StorageError, Unlocked, VaultError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultState {
    /// The store is still opening.
    Opening,
    /// No secret is set (a personal device without a PIN): nothing to lock.
    Plain,
    Locked(VaultMeta),
    Unlocked {
        meta: VaultMeta,
        slot: SlotId,
        /// The staff names, opened at unlock (stored sealed; empty on a personal device).
        staff: Vec<StaffMember>,
    },
    // ---- first run and interrupted migrations (vault2) ----
    /// A fresh device: how it is used must be chosen before anything else shows.
    FirstRun,
    /// Turning encryption on was interrupted: the data is plain; the secret chosen then
    /// finishes it (or it is given up).
    Interrupted(VaultMeta),
}

#[derive(Clone, Copy)]
pub struct Vault {
    store: BookStoreContext,
    open: OpenBook,
    state: RwSignal<VaultState>,
    /// Who was working before the last lock: only they return to the open book.
    last_slot: RwSignal<Option<SlotId>>,
    /// Removing the secret was interrupted: unlocking finishes it.
    finishing_off: RwSignal<bool>,
}

impl Vault {
    pub fn state(&self) -> VaultState {
        self.state.get()
    }

    pub fn is_locked(&self) -> bool {
        matches!(self.state.get(), VaultState::Locked(_))
    }

    pub fn is_unlocked(&self) -> bool {
        matches!(self.state.get(), VaultState::Unlocked { .. })
    }

    /// The metadata (mode, staff, idle time) when a secret is set.
    pub fn meta(&self) -> Option<VaultMeta> {
        match self.state.get() {
            VaultState::Locked(meta) | VaultState::Unlocked { meta, .. } => Some(meta),
            VaultState::Opening
            | VaultState::Plain
            | VaultState::FirstRun
            | VaultState::Interrupted(_) => None,
        }
    }

    /// The metadata without subscribing (for a view that must not rebuild when it changes).
    pub fn meta_untracked(&self) -> Option<VaultMeta> {
        match self.state.get_untracked() {
            VaultState::Locked(meta) | VaultState::Unlocked { meta, .. } => Some(meta),
            VaultState::Opening
            | VaultState::Plain
            | VaultState::FirstRun
            | VaultState::Interrupted(_) => None,
        }
    }

    /// The staff members with their names (unlocked, shared device), in slot order.
    pub fn staff(&self) -> Vec<StaffMember> {
        match self.state.get() {
            VaultState::Unlocked { staff, .. } => staff,
            _ => Vec::new(),
        }
    }

    /// The name of the staff member who unlocked (unlocked, shared device).
    pub fn unlocked_staff_name(&self) -> Option<String> {
        match self.state.get() {
            VaultState::Unlocked { slot, staff, .. } => staff_name(&staff, slot).map(str::to_owned),
            _ => None,
        }
    }

    pub fn mode(&self) -> Option<DeviceMode> {
        self.meta().map(|m| m.mode)
    }

    /// The idle time, when the device can lock.
    pub fn idle_lock(&self) -> Option<IdleLock> {
        self.meta().map(|m| m.idle_lock)
    }

    /// Locks now. Does nothing when no secret is set.
    pub fn lock(&self) {
        let VaultState::Unlocked { meta, slot, .. } = self.state.get_untracked() else {
            return;
        };
        self.store.with_opened(|store| store.lock());
        self.last_slot.set(Some(slot));
        self.state.set(VaultState::Locked(meta));
        self.open.forget();
    }

    /// Unlocks with a secret alone: the slot it opens says who is working. Only the staff
    /// member who was working before the lock returns to the open book.
    pub async fn unlock(&self, secret: &str) -> Result<(), VaultError> {
        self.unlock_slot(secret, None).await
    }

    /// Unlocks as the staff member who picked their name after the passphrase opened several
    /// slots (`VaultError::PassphraseShared`).
    pub async fn unlock_as(&self, secret: &str, slot: SlotId) -> Result<(), VaultError> {
        self.unlock_slot(secret, Some(slot)).await
    }

    async fn unlock_slot(&self, secret: &str, picked: Option<SlotId>) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        let result = match picked {
            Some(slot) => store.unlock_as(secret, slot).await,
            None => store.unlock(secret).await,
        };
        // The failed-attempt count changed either way.
        self.refresh().await?;
        let same = match result? {
            Unlocked::As(slot) => self
                .last_slot
                .get_untracked()
                .is_none_or(|last| last == slot),
            // Plain now (another page removed the secret): nobody's session to return to.
            Unlocked::NothingToUnlock => false,
        };
        self.open.restore(same).await;
        Ok(())
    }

    /// Sets the first secret (and encrypts what is stored).
    pub async fn enable(
        &self,
        mode: DeviceMode,
        staff_name: Option<&str>,
        secret: &str,
    ) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store.enable_encryption(mode, staff_name, secret).await?;
        self.refresh().await?;
        self.open.changed();
        Ok(())
    }

    pub async fn add_staff(
        &self,
        my_secret: &str,
        name: &str,
        secret: &str,
    ) -> Result<SlotId, VaultError> {
        let store = self.store.store().await?;
        let id = store.add_staff(my_secret, name, secret).await?;
        self.refresh().await?;
        Ok(id)
    }

    /// A personal device with a secret becomes a shared one, its first staff member taking over.
    pub async fn switch_to_shared(
        &self,
        personal_secret: &str,
        name: &str,
        passphrase: &str,
    ) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store
            .switch_to_shared(personal_secret, name, passphrase)
            .await?;
        Ok(self.refresh().await?)
    }

    pub async fn remove_staff(&self, slot: SlotId) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store.remove_staff(slot).await?;
        Ok(self.refresh().await?)
    }

    pub async fn change_secret(&self, current: &str, new: &str) -> Result<(), VaultError> {
        let VaultState::Unlocked { slot, .. } = self.state.get_untracked() else {
            return Err(VaultError::NotUnlocked);
        };
        let store = self.store.store().await?;
        store.change_secret(slot, current, new).await?;
        Ok(self.refresh().await?)
    }

    pub async fn set_idle_lock(&self, idle: IdleLock) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store.set_idle_lock(idle).await?;
        Ok(self.refresh().await?)
    }

    /// Whether an interrupted removal of the secret waits for the next unlock.
    pub fn finishing_off(&self) -> bool {
        self.finishing_off.get()
    }

    /// First run: a personal phone (no secret for now; one can be set in Settings).
    pub async fn choose_personal(&self) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store.answer_mode_choice().await?;
        Ok(self.refresh().await?)
    }

    /// Finishes an interrupted encryption with the secret chosen then.
    pub async fn resume(&self, secret: &str) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store.resume_encryption(secret).await?;
        self.refresh().await?;
        self.open.changed();
        Ok(())
    }

    /// Gives up an interrupted encryption: the device stays plain (or, if the encryption was
    /// committed meanwhile by the closed page, it is encrypted and locked).
    pub async fn give_up_resume(&self) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        store.cancel_encryption().await?;
        self.refresh().await?;
        self.open.changed();
        Ok(())
    }

    /// Removes a personal device's secret: everything is stored readable again.
    pub async fn disable(&self, current: &str) -> Result<(), VaultError> {
        let store = self.store.store().await?;
        let result = store.disable_encryption(current).await;
        if result.is_ok() {
            // Still a personal phone: the first-run question stays answered.
            store.answer_mode_choice().await?;
        }
        self.refresh().await?;
        result?;
        self.open.changed();
        Ok(())
    }

    /// Reads the state back from the store.
    async fn refresh(&self) -> Result<(), StorageError> {
        let store = self.store.store().await?;
        // One read of both: separate reads could straddle another page's migration commit.
        let (meta, marker) = store.lock_state().await?;
        self.finishing_off
            .set(marker.as_ref() == Some(&Migration::Decrypt));
        let state = match (on_reopen(meta.as_ref(), marker.as_ref()), meta) {
            (Reopen::FinishEncrypting { meta }, _) => VaultState::Interrupted(meta),
            (_, Some(meta)) => match store.unlocked_slot() {
                Some(slot) => VaultState::Unlocked {
                    meta,
                    slot,
                    staff: store.staff(),
                },
                None => VaultState::Locked(meta),
            },
            (_, None) if store.mode_choice_needed().await? => VaultState::FirstRun,
            (_, None) => VaultState::Plain,
        };
        self.state.set(state);
        Ok(())
    }
}

pub fn provide_vault(store: BookStoreContext, open: OpenBook) -> Vault {
    let vault = Vault {
        store,
        open,
        state: RwSignal::new(VaultState::Opening),
        last_slot: RwSignal::new(None),
        finishing_off: RwSignal::new(false),
    };
    leptos::task::spawn_local(async move {
        if let Err(e) = vault.refresh().await {
            // The screens report a store that does not open; the app is then not lockable.
            crate::console_warn!("vault: state not read: {e}");
            vault.state.set(VaultState::Plain);
        }
    });
    provide_context(vault);
    vault
}

pub fn use_vault() -> Vault {
    expect_context::<Vault>()
}
