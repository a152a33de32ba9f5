//! The two places a typed-in record is written: [`save_typed_record`] (added or corrected) and
//! [`remove_typed_record`]. Each reads the stored book, applies the core's rule and saves the
//! whole book in one transaction through the store (encrypted when the vault is on), with its
//! audit entry ("record added/edited/removed") in that same transaction.

use health_book::audit::AuditAction;
use health_book::entry::{remove_entry, save_entry, Entry, EntryError};
use health_book::{CitizenId, HealthBook, RecordId};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::context::{BookStoreContext, OpenBook};
use crate::i18n::Msg;
use crate::storage::{AuditEvent, BookStore, StorageError};

#[derive(Debug, Clone)]
pub enum EntryFailure {
    Storage(StorageError),
    Refused(EntryError),
}

impl EntryFailure {
    /// What the person reads, when it is not a storage failure (those have their own notice).
    pub fn msg(&self) -> Option<Msg> {
        match self {
            EntryFailure::Storage(_) => None,
            EntryFailure::Refused(EntryError::NotDeviceEntry) => Some(Msg::EntryErrNotDeviceRecord),
            EntryFailure::Refused(EntryError::NotFound) => Some(Msg::EntryErrGone),
        }
    }
}

impl From<StorageError> for EntryFailure {
    fn from(e: StorageError) -> Self {
        EntryFailure::Storage(e)
    }
}

impl From<EntryError> for EntryFailure {
    fn from(e: EntryError) -> Self {
        EntryFailure::Refused(e)
    }
}

/// The book as stored now (not the copy a screen shows, which a sync may have replaced since).
async fn stored_book(
    store: BookStoreContext,
    citizen_id: &CitizenId,
) -> Result<(BookStore, HealthBook), EntryFailure> {
    let store = store.store().await?;
    let book = store
        .load_book(citizen_id)
        .await?
        .ok_or(EntryError::NotFound)?
        .book;
    Ok((store, book))
}

/// Saves a typed-in record, new or corrected, into the stored book of `citizen_id`.
pub async fn save_typed_record(
    store: BookStoreContext,
    open: OpenBook,
    citizen_id: &CitizenId,
    entry: Entry,
) -> Result<(), EntryFailure> {
    let (store, mut book) = stored_book(store, citizen_id).await?;
    let action = entry.saving_action(&book);
    save_entry(&mut book, entry)?;
    store
        .save_book_recorded(&book, AuditEvent::about(citizen_id, action))
        .await?;
    open.changed();
    Ok(())
}

/// Removes a record typed in on this device from the stored book of `citizen_id`.
pub async fn remove_typed_record(
    store: BookStoreContext,
    open: OpenBook,
    citizen_id: &CitizenId,
    id: &RecordId,
) -> Result<Entry, EntryFailure> {
    let (store, mut book) = stored_book(store, citizen_id).await?;
    let removed = remove_entry(&mut book, id)?;
    let action = AuditAction::RecordRemoved {
        record: removed.audit_kind(),
    };
    store
        .save_book_recorded(&book, AuditEvent::about(citizen_id, action))
        .await?;
    open.changed();
    Ok(removed)
}

/// Saves `entry` in the background, as a form's submit does: `saving` while it runs, then the
/// record's own page, or the failure shown on the form.
pub fn spawn_save(
    store: BookStoreContext,
    open: OpenBook,
    citizen_id: CitizenId,
    entry: Entry,
    saving: RwSignal<bool>,
    failure: RwSignal<Option<EntryFailure>>,
    then: String,
) {
    saving.set(true);
    failure.set(None);
    let navigate = use_navigate();
    leptos::task::spawn_local(async move {
        match save_typed_record(store, open, &citizen_id, entry).await {
            Ok(()) => navigate(&then, Default::default()),
            Err(e) => {
                failure.try_set(Some(e));
                saving.try_set(false);
            }
        }
    });
}
