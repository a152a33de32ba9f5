//! Where the taken/skipped history of a book lives: one setting beside the book, written through
//! the store's setting path (so it is sealed under the device key when a secret is set) and
//! listed among the settings deleted with the book.

use health_book::medicine_plan::DoseLog;
use health_book::CitizenId;

use crate::storage::{BookStore, StorageError};

const PREFIX: &str = "dose-log.";

/// The setting that holds `citizen_id`'s dose history.
pub fn setting_key(citizen_id: &CitizenId) -> String {
    format!("{PREFIX}{}", citizen_id.as_str())
}

/// The book's dose history (empty when nothing was marked yet).
pub async fn load(store: &BookStore, citizen_id: &CitizenId) -> Result<DoseLog, StorageError> {
    Ok(store
        .setting(&setting_key(citizen_id))
        .await?
        .unwrap_or_default())
}

/// Replaces the book's dose history, in one transaction.
pub async fn save(
    store: &BookStore,
    citizen_id: &CitizenId,
    log: &DoseLog,
) -> Result<(), StorageError> {
    store.put_setting(&setting_key(citizen_id), log).await
}
