//! Correction requests ("Report an error") kept per book as one setting, apart from the
//! records: a refresh or an import replaces records and never touches it. Removed with the book.

use health_book::audit::{AuditAction, RecordKindName};
use health_book::corrections::{
    change_note, ChangeRefused, CorrectionRequest, NoteChange, NoteChanged, NoteKey,
};
use health_book::CitizenId;

use crate::storage::{AuditEvent, BookStore, SettingUpdate, StorageError};

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
/// access log in the same transaction. Added to the notes as stored when it is written, so a
/// note kept in between (another tab) is never lost.
pub async fn add_correction(
    store: &BookStore,
    id: &CitizenId,
    record: RecordKindName,
    record_id: &str,
    note: String,
) -> Result<(), StorageError> {
    let request = CorrectionRequest {
        record,
        record_id: record_id.to_owned(),
        note,
        written_at: crate::browser::clock::now(),
        written_by: store.current_actor().await?,
        edited: None,
    };
    store
        .update_setting(&corrections_setting(id), |all| {
            let mut all: Vec<CorrectionRequest> = all.unwrap_or_default();
            all.push(request.clone());
            Ok::<_, StorageError>(SettingUpdate::Write {
                value: all,
                event: Some(AuditEvent::about(
                    id,
                    AuditAction::CorrectionAdded { record },
                )),
                answer: (),
            })
        })
        .await
}

/// Why a note could not be changed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum CorrectionChangeError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Refused(#[from] ChangeRefused),
}

/// Edits or takes back a kept note (the core's `change_note` rule), signed by whoever is
/// working, with its entry in the access log in the same transaction. The rule is applied to
/// the notes as stored when it is written (see `BookStore::update_setting`). The same words again
/// write nothing.
pub async fn change_correction(
    store: &BookStore,
    id: &CitizenId,
    key: &NoteKey,
    change: NoteChange,
) -> Result<NoteChanged, CorrectionChangeError> {
    let by = store.current_actor().await?;
    let at = crate::browser::clock::now();
    store
        .update_setting(&corrections_setting(id), |all| {
            let mut all: Vec<CorrectionRequest> = all.unwrap_or_default();
            let changed = change_note(&mut all, key, change.clone(), by.clone(), at)?;
            let action = match changed {
                NoteChanged::Unchanged => return Ok(SettingUpdate::Keep(changed)),
                NoteChanged::Edited => AuditAction::CorrectionEdited { record: key.record },
                NoteChanged::Removed => AuditAction::CorrectionRemoved { record: key.record },
            };
            Ok(SettingUpdate::Write {
                value: all,
                event: Some(AuditEvent::about(id, action)),
                answer: changed,
            })
        })
        .await
}
