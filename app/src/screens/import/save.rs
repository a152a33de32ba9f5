//! Saving the books of a confirmed import.

use health_book::audit::AuditAction;
use health_book::corrections::CorrectionRequest;
use health_book::views::import_preview::PendingBook;

use crate::context::corrections::corrections_setting;
use crate::storage::{AuditEvent, BookStore, StorageError};

pub async fn save_all(
    store: Result<BookStore, StorageError>,
    books: &[PendingBook],
) -> Result<(), StorageError> {
    // One transaction for every book of the file and its entries in the audit log: all of
    // them are saved, or none.
    let events: Vec<AuditEvent> = books
        .iter()
        .map(|p| AuditEvent::about(p.book.citizen_id(), AuditAction::Imported))
        .collect();
    // The notes that are new go in the same transaction as their books.
    let notes: Vec<(String, &Vec<CorrectionRequest>)> = books
        .iter()
        .filter(|p| p.added_corrections > 0)
        .map(|p| (corrections_setting(p.book.citizen_id()), &p.corrections))
        .collect();
    let books: Vec<&health_book::HealthBook> = books.iter().map(|p| &p.book).collect();
    store?
        .save_books_with_settings_recorded(&books, &notes, &events)
        .await
}
