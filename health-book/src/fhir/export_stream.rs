//! The export of every book, written book by book.
//!
//! [`export_books_json`](super::export_books_json) needs every book in memory at once: on a
//! station tablet with 500 books that is over 150 MB of wasm memory. A [`BundleWriter`] takes one
//! book at a time and gives back that book's part of the same file, so the caller can load a
//! book, write its part out (to a `Blob`), and drop it before loading the next.

use super::export::book_entries;
use super::resources::Bundle;
use crate::model::HealthBook;

/// Writes one `collection` Bundle of many books in pieces: [`BundleWriter::start`], then
/// [`BundleWriter::book`] for each book, then [`BundleWriter::finish`]. The pieces joined are
/// exactly the text of `export_books_json` of the same books in the same order.
#[derive(Debug, Default)]
pub struct BundleWriter {
    books: usize,
    entries: usize,
}

/// What closes the entry list and the Bundle.
const TAIL: &str = "]}";

impl BundleWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// The Bundle's opening, up to and including the `[` of its entry list.
    pub fn start(&self) -> String {
        let empty = Bundle {
            type_: "collection".into(),
            timestamp: None,
            entry: Vec::new(),
        };
        // The Bundle's own fields come from its serde definition, so they stay what
        // `export_books_json` writes: its empty form ends with the entry list and the Bundle.
        let mut text = serde_json::to_string(&empty).expect("FHIR bundle structs always serialize");
        debug_assert!(text.ends_with(TAIL));
        text.truncate(text.len() - TAIL.len());
        text
    }

    /// The entries of the next book (its Patient `p<n>`, as in `export_books`), with the comma
    /// that separates them from the previous book's.
    pub fn book(&mut self, book: &HealthBook) -> String {
        self.books += 1;
        let entries = book_entries(book, &format!("p{}", self.books));
        self.entries(&entries)
    }

    /// More entries for the book just written (its correction requests as Tasks), with the
    /// commas that separate them.
    pub fn entries<T: serde::Serialize>(&mut self, entries: &[T]) -> String {
        let mut text = String::new();
        for entry in entries {
            if self.entries > 0 {
                text.push(',');
            }
            self.entries += 1;
            text.push_str(&serde_json::to_string(entry).expect("FHIR entries always serialize"));
        }
        text
    }

    /// How many books were written.
    pub fn books(&self) -> usize {
        self.books
    }

    /// The end of the entry list and of the Bundle.
    pub fn finish(self) -> &'static str {
        TAIL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::{export_books_json, import_books, ImportOptions};
    use crate::generate::{self, BookShape};

    fn streamed(books: &[HealthBook]) -> String {
        let mut writer = BundleWriter::new();
        let mut text = writer.start();
        for book in books {
            text.push_str(&writer.book(book));
        }
        assert_eq!(writer.books(), books.len());
        text.push_str(writer.finish());
        text
    }

    #[test]
    fn written_book_by_book_is_the_same_file_as_all_at_once() {
        let books = generate::books(17, 3, &BookShape::records(20));
        assert_eq!(streamed(&books), export_books_json(&books));
    }

    #[test]
    fn no_books_is_an_empty_collection() {
        assert_eq!(streamed(&[]), export_books_json(&[]));
        let value: serde_json::Value = serde_json::from_str(&streamed(&[])).unwrap();
        assert_eq!(value["entry"], serde_json::json!([]));
    }

    #[test]
    fn the_streamed_file_imports_back_to_the_same_books() {
        let books = generate::books(29, 4, &BookShape::records(8));
        let imported = import_books(streamed(&books).as_bytes(), &ImportOptions::default())
            .expect("the backup imports");
        assert_eq!(imported.books.len(), books.len());
        let ids = |b: &[HealthBook]| {
            let mut ids: Vec<_> = b.iter().map(|b| b.profile.citizen_id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(&imported.books), ids(&books));
    }
}
