//! The page's side of an import: hands the chosen file to the data worker, follows its
//! progress, puts its books back together piece by piece, then works out the preview against
//! what this device holds (the same rules as before the worker: device-entered records and
//! correction notes stay).

use std::cell::RefCell;
use std::rc::Rc;

use health_book::fhir::{ImportLimits, IMPORT_WORKER_SILENCE_MS};
use health_book::import_pieces::BookAssembly;
use health_book::views::import_preview::PendingBook;
use leptos::prelude::*;

use super::ImportState;
use crate::browser::clock;
use crate::browser::data_worker;
use crate::context::corrections::corrections_of;
use crate::i18n::errors::{import_error_msg, import_too_large_msg};
use crate::i18n::Msg;
use crate::storage::{BookStore, StorageError};
use crate::worker::protocol::{ImportFailure, Payload, Reply, Request, WorkerError};

/// How far an import has got, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportProgress {
    pub bytes_read: u64,
    pub total_bytes: u64,
    /// Records of the file's books that have reached the page.
    pub records: usize,
}

pub async fn read_and_preview(
    store: Result<BookStore, StorageError>,
    file: web_sys::File,
    progress: RwSignal<ImportProgress>,
) -> ImportState {
    let limits = ImportLimits::default();
    let store = match store {
        Ok(s) => s,
        Err(e) => return ImportState::StorageFailed(e),
    };
    // Refused before the worker starts: a file over the limit is never read at all.
    if file.size() > limits.max_bytes as f64 {
        return ImportState::Failed(import_too_large_msg(limits));
    }
    progress.set(ImportProgress {
        total_bytes: file.size() as u64,
        ..ImportProgress::default()
    });
    let assembly = Rc::new(RefCell::new(BookAssembly::default()));
    let collected = assembly.clone();
    let answer = data_worker::request_watched(
        Request::ImportFile,
        Some(Payload::File(file)),
        IMPORT_WORKER_SILENCE_MS,
        move |reply| match reply {
            Reply::ImportRead(read) => progress.update(|p| {
                p.bytes_read = read.bytes_read;
                p.total_bytes = read.total_bytes;
            }),
            Reply::ImportPiece(piece) => {
                let records = piece.records();
                // An error is kept by the assembly and ends the import below.
                if let Err(e) = collected.borrow_mut().push(piece) {
                    crate::console_warn!("import: {e}");
                }
                progress.update(|p| p.records += records);
            }
            other => crate::console_warn!("import: unexpected reply {}", other.kind()),
        },
    )
    .await;
    let summary = match answer {
        Ok(Reply::Imported(Ok(summary))) => summary,
        Ok(Reply::Imported(Err(failure))) => {
            return ImportState::Failed(failure_msg(&failure, limits))
        }
        Ok(other) => {
            crate::console_warn!("import: unexpected final reply {}", other.kind());
            return ImportState::Failed(Msg::ImportErrWorkerStopped);
        }
        Err(e) => {
            crate::console_warn!("import: {e}");
            return ImportState::Failed(worker_error_msg(&e));
        }
    };
    let (books, corrections) = match assembly.take().finish() {
        Ok(assembled) => assembled,
        Err(e) => {
            crate::console_warn!("import: {e}");
            return ImportState::Failed(Msg::ImportErrWorkerStopped);
        }
    };
    if books.is_empty() {
        return ImportState::Failed(Msg::ImportErrEmpty);
    }
    let today = clock::today();
    let mut pending_books = Vec::with_capacity(books.len());
    for book in books {
        // The core decides what saving would do: device-entered records stay (the same rule as
        // a sync, even over a file's record with their ID), and what needs checking.
        let file_notes = corrections
            .get(book.citizen_id())
            .cloned()
            .unwrap_or_default();
        let device_notes = if file_notes.is_empty() {
            Vec::new()
        } else {
            match corrections_of(&store, book.citizen_id()).await {
                Ok(notes) => notes,
                Err(e) => return ImportState::StorageFailed(e),
            }
        };
        let pending = match store.load_book(book.citizen_id()).await {
            Ok(Some(current)) => PendingBook::new(book, Some(&current.book), today),
            Ok(None) => PendingBook::new(book, None, today),
            Err(e) => return ImportState::StorageFailed(e),
        };
        // A backup's correction notes come back, and the device keeps every note it has.
        pending_books.push(pending.with_corrections(&file_notes, &device_notes));
    }
    ImportState::Preview {
        books: pending_books,
        unknown_vaccines: summary.unknown_vaccines,
        skipped: summary.skipped,
    }
}

fn failure_msg(failure: &ImportFailure, limits: ImportLimits) -> Msg {
    match failure {
        ImportFailure::TooLarge => import_too_large_msg(limits),
        ImportFailure::Refused(e) => import_error_msg(e, limits),
        ImportFailure::NoFile | ImportFailure::Read => Msg::ImportErrRead,
    }
}

fn worker_error_msg(error: &WorkerError) -> Msg {
    match error {
        WorkerError::Unavailable => Msg::ImportErrWorkerUnavailable,
        WorkerError::NoReply => Msg::ImportErrWorkerSilent,
        WorkerError::Stopped | WorkerError::BadMessage(_) | WorkerError::MissingData => {
            Msg::ImportErrWorkerStopped
        }
    }
}
