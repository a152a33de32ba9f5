//! Where the taken/skipped history of a book lives: one setting beside the book, written through
//! the store's setting path (so it is sealed under the device key when a secret is set) and
//! listed among the settings deleted with the book.

use health_book::medicine_plan::{DoseKey, DoseLog, Mark};
use health_book::{CitizenId, HealthBook};
use time::Date;

use crate::storage::{BookStore, SettingUpdate, StorageError};

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

/// Marks a dose as the person tapped it (the core's `DoseLog::tap`), on the history as stored
/// when it is written: two quick taps are both kept, and a second tap on the same dose undoes
/// the first, even when the first had not finished writing (see `BookStore::update_setting`).
/// What no screen shows any more goes with the same write, so the history stays bounded.
/// Returns the history as saved.
pub async fn tap(
    store: &BookStore,
    book: &HealthBook,
    dose: &DoseKey,
    mark: Mark,
    today: Date,
) -> Result<DoseLog, StorageError> {
    let at = crate::browser::clock::now();
    store
        .update_setting(&setting_key(book.citizen_id()), |log| {
            let mut log: DoseLog = log.unwrap_or_default();
            log.tap(dose, mark, at);
            log.keep_recent(book, today);
            Ok::<_, StorageError>(SettingUpdate::Write {
                value: log.clone(),
                event: None,
                answer: log,
            })
        })
        .await
}
