//! A FHIR file import, in the data worker: the file the person chose is read here (its bytes
//! never enter the page's memory), mapped with the core's `import_file` (its limits, its rules
//! on another person's records and on what a file may claim, exactly as on the page before),
//! and its books go back to the page in pieces of at most `RECORDS_PER_PIECE` records, with
//! progress while the file is read. Nothing is saved here: the page shows the preview and
//! saves on the person's confirmation.

use health_book::fhir::{import_file, ImportError, ImportLimits};
use health_book::import_pieces::{book_pieces, RECORDS_PER_PIECE};
use health_book::views::import_preview::{unknown_vaccines, SkippedPreview};
use serde::{Deserialize, Serialize};

use super::protocol::{Payload, Reply};
use super::serve::Replies;
use crate::browser::byte_stream;

/// How far the reading of the file has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRead {
    pub bytes_read: u64,
    pub total_bytes: u64,
}

/// What the preview says of the file besides its books (both bounded, whatever the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub unknown_vaccines: Vec<String>,
    pub skipped: SkippedPreview,
}

/// Why a file brought nothing in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ImportFailure {
    #[error("the request carried no file")]
    NoFile,
    #[error("the file is larger than the import allows")]
    TooLarge,
    #[error("the browser could not read the file")]
    Read,
    #[error("the file was refused: {0}")]
    Refused(ImportError),
}

/// A progress reply at most every this many bytes (about 18 for the largest file allowed).
const PROGRESS_STEP: usize = 1024 * 1024;

/// Imports the file of the request; the final reply, after every piece of its books.
pub async fn run(data: Option<Payload>, replies: Replies) -> Reply {
    Reply::Imported(import(data, &replies).await.inspect_err(|e| {
        crate::console_warn!("import: {e}");
    }))
}

async fn import(data: Option<Payload>, replies: &Replies) -> Result<ImportSummary, ImportFailure> {
    let file = data
        .and_then(Payload::into_file)
        .ok_or(ImportFailure::NoFile)?;
    let limits = ImportLimits::default();
    let total_bytes = file.size() as u64;
    if total_bytes > limits.max_bytes as u64 {
        return Err(ImportFailure::TooLarge);
    }
    let mut reported = 0;
    let progress = |bytes_read: usize| {
        if bytes_read - reported >= PROGRESS_STEP || bytes_read as u64 == total_bytes {
            reported = bytes_read;
            replies.send(Reply::ImportRead(ImportRead {
                bytes_read: bytes_read as u64,
                total_bytes,
            }));
        }
    };
    let bytes = byte_stream::read_all(
        &file.stream(),
        limits.max_bytes,
        total_bytes as usize,
        progress,
    )
    .await
    .map_err(|_| ImportFailure::Read)?
    .ok_or(ImportFailure::TooLarge)?;
    // A file is never the health system: whatever it claims, its records are "from a file" and
    // the book is linked to no server (the core's rule, in `import_file`).
    let imported =
        import_file(&bytes, Some(&file.name()), limits).map_err(ImportFailure::Refused)?;
    drop(bytes);
    let summary = ImportSummary {
        unknown_vaccines: unknown_vaccines(&imported.report.notes),
        skipped: SkippedPreview::new(imported.report.skipped),
    };
    for piece in book_pieces(imported.books, imported.corrections, RECORDS_PER_PIECE) {
        replies.send(Reply::ImportPiece(piece));
    }
    Ok(summary)
}
