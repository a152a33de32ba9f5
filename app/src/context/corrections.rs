//! Correction requests ("Report an error") kept per book as one setting, apart from the
//! records: a refresh or an import replaces records and never touches it. Removed with the book.

use health_book::audit::{AuditAction, RecordKindName};
use health_book::corrections::CorrectionRequest;
use health_book::CitizenId;

use crate::storage::{AuditEvent, BookStore, StorageError};

/// The setting holding a book's requests (its name is an HMAC once the device is encrypted).
pub fn corrections_setting(id: &CitizenId) -> String {
    format!("corrections.{}", id.as_str())
}

/// Every request kept for a book, oldest first.
pub async fn corrections_of(
    store: &BookStore,
    id: &CitizenId,
) -> Result<Vec<CorrectionRequest>, StorageError> {
    Ok(store
        .setting::<Vec<CorrectionRequest>>(&corrections_setting(id))
        .await?
        .unwrap_or_default())
}

/// Keeps a new request for a record, signed by whoever is working, with its entry in the
/// access log in the same transaction.
pub async fn add_correction(
    store: &BookStore,
    id: &CitizenId,
    record: RecordKindName,
    record_id: &str,
    note: String,
) -> Result<(), StorageError> {
    let mut all = corrections_of(store, id).await?;
    all.push(CorrectionRequest {
        record,
        record_id: record_id.to_owned(),
        note,
        written_at: crate::browser::clock::now(),
        written_by: store.current_actor().await?,
    });
    let event = AuditEvent::about(id, AuditAction::CorrectionAdded { record });
    store
        .put_setting_recorded(&corrections_setting(id), &all, event)
        .await
}
