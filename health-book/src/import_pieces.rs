//! The books of an imported file, cut into pieces of a bounded number of records and put back
//! together: the data worker reads and maps a file, and hands its books to the page piece by
//! piece, so that decoding any one message on the page stays short (issue 17: no task of more
//! than 50 ms while an 18 MB file comes in).
//!
//! The order is the contract: a [`BookPiece::Book`] starts a book, and every piece of records
//! after it belongs to that book, until the next `Book`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::corrections::CorrectionRequest;
use crate::ids::CitizenId;
use crate::model::{HealthBook, Prescription, Vaccination};

/// How many records one piece holds at most: a few hundred KB of JSON, a few milliseconds to
/// decode on a slow phone.
pub const RECORDS_PER_PIECE: usize = 200;

/// One piece of the books of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookPiece {
    /// A book's profile, provenance and care records (few per person), without its
    /// vaccinations and prescriptions: those follow.
    Book(Box<HealthBook>),
    Vaccinations(Vec<Vaccination>),
    Prescriptions(Vec<Prescription>),
    /// Correction notes the file holds on this book's records.
    Corrections(Vec<CorrectionRequest>),
}

impl BookPiece {
    /// How many records (vaccinations, prescriptions, notes) the piece carries.
    pub fn records(&self) -> usize {
        match self {
            BookPiece::Book(_) => 0,
            BookPiece::Vaccinations(v) => v.len(),
            BookPiece::Prescriptions(p) => p.len(),
            BookPiece::Corrections(c) => c.len(),
        }
    }
}

/// The pieces of `books` and their correction notes, in order, at most `per_piece` records each
/// (at least one). Notes of a person with no book in `books` are not carried: the import keeps
/// only notes on its own books.
pub fn book_pieces(
    books: Vec<HealthBook>,
    mut corrections: HashMap<CitizenId, Vec<CorrectionRequest>>,
    per_piece: usize,
) -> impl Iterator<Item = BookPiece> {
    let per_piece = per_piece.max(1);
    books.into_iter().flat_map(move |mut book| {
        let vaccinations = std::mem::take(&mut book.vaccinations);
        let prescriptions = std::mem::take(&mut book.prescriptions);
        let notes = corrections.remove(book.citizen_id()).unwrap_or_default();
        std::iter::once(BookPiece::Book(Box::new(book)))
            .chain(chunks(vaccinations, per_piece).map(BookPiece::Vaccinations))
            .chain(chunks(prescriptions, per_piece).map(BookPiece::Prescriptions))
            .chain(chunks(notes, per_piece).map(BookPiece::Corrections))
    })
}

fn chunks<T>(items: Vec<T>, size: usize) -> impl Iterator<Item = Vec<T>> {
    let mut items = items.into_iter().peekable();
    std::iter::from_fn(move || {
        items.peek()?;
        Some(items.by_ref().take(size).collect())
    })
}

/// Pieces that do not follow the order of [`book_pieces`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PieceError {
    #[error("records came before any book")]
    RecordsBeforeBook,
}

/// Books and their correction notes by citizen ID, as [`BooksImport`](crate::fhir::BooksImport)
/// holds them.
pub type AssembledBooks = (Vec<HealthBook>, HashMap<CitizenId, Vec<CorrectionRequest>>);

/// Puts the pieces of [`book_pieces`] back together, as they arrive.
#[derive(Debug, Default)]
pub struct BookAssembly {
    books: Vec<HealthBook>,
    corrections: HashMap<CitizenId, Vec<CorrectionRequest>>,
    /// The first piece out of order: the whole result is then refused.
    broken: Option<PieceError>,
}

impl BookAssembly {
    pub fn push(&mut self, piece: BookPiece) -> Result<(), PieceError> {
        if let BookPiece::Book(book) = piece {
            self.books.push(*book);
            return Ok(());
        }
        let Some(book) = self.books.last_mut() else {
            let error = PieceError::RecordsBeforeBook;
            self.broken.get_or_insert(error.clone());
            return Err(error);
        };
        match piece {
            BookPiece::Book(_) => unreachable!("handled above"),
            BookPiece::Vaccinations(v) => book.vaccinations.extend(v),
            BookPiece::Prescriptions(p) => book.prescriptions.extend(p),
            BookPiece::Corrections(c) => self
                .corrections
                .entry(book.profile.citizen_id.clone())
                .or_default()
                .extend(c),
        }
        Ok(())
    }

    /// The books in their file's order, and each one's correction notes by citizen ID; or the
    /// first piece that came out of order.
    pub fn finish(self) -> Result<AssembledBooks, PieceError> {
        match self.broken {
            Some(error) => Err(error),
            None => Ok((self.books, self.corrections)),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::audit::{Actor, RecordKindName};
    use crate::generate::{books, BookShape};

    fn note(record_id: &str) -> CorrectionRequest {
        CorrectionRequest {
            record: RecordKindName::Prescription,
            record_id: record_id.into(),
            note: "Thiếu liều buổi tối".into(),
            written_at: datetime!(2026-12-01 20:05 +7),
            written_by: Actor::Person,
            edited: None,
        }
    }

    #[test]
    fn pieces_put_back_together_give_the_same_books_and_notes() {
        let original = books(7, 3, &BookShape::records(1_001));
        let first = original[0].citizen_id().clone();
        let notes: Vec<_> = (0..3).map(|i| note(&format!("rx-{i}"))).collect();
        let corrections = HashMap::from([(first.clone(), notes.clone())]);

        let mut assembly = BookAssembly::default();
        let mut pieces = 0;
        for piece in book_pieces(original.clone(), corrections.clone(), RECORDS_PER_PIECE) {
            assert!(piece.records() <= RECORDS_PER_PIECE);
            pieces += 1;
            assembly.push(piece).unwrap();
        }
        let (books, corrections) = assembly.finish().unwrap();

        assert_eq!(books, original);
        assert_eq!(corrections, HashMap::from([(first, notes)]));
        // Per book: its head, 1 piece of 200 vaccinations, 5 of 801 prescriptions; and the
        // first book's notes.
        assert_eq!(pieces, 3 * (1 + 1 + 5) + 1);
    }

    #[test]
    fn notes_of_a_person_without_a_book_in_the_file_do_not_travel() {
        let original = books(8, 1, &BookShape::records(10));
        let stray = books(9, 1, &BookShape::records(0))[0].citizen_id().clone();
        let pieces: Vec<_> = book_pieces(
            original,
            HashMap::from([(stray, vec![note("rx-0")])]),
            RECORDS_PER_PIECE,
        )
        .collect();
        assert!(pieces
            .iter()
            .all(|p| !matches!(p, BookPiece::Corrections(_))));
    }

    #[test]
    fn records_before_any_book_are_refused() {
        let mut assembly = BookAssembly::default();
        assert_eq!(
            assembly.push(BookPiece::Corrections(vec![note("rx-0")])),
            Err(PieceError::RecordsBeforeBook)
        );
        let _later_book = assembly.push(BookPiece::Book(Box::new(
            books(1, 1, &BookShape::records(0)).remove(0),
        )));
        assert_eq!(assembly.finish(), Err(PieceError::RecordsBeforeBook));
    }
}
