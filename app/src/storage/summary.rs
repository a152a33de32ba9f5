//! Light summaries of books for lists. Search over them runs in memory with the core's ranking
//! ([`health_book::views::books`]), never through a storage index on names.

use health_book::text::fold_for_search;
pub use health_book::views::books::Query;
use health_book::views::books::{by_name, ListedBook};
use health_book::{AddressKey, CitizenId};
use time::OffsetDateTime;

use super::codec::BookHeader;
use super::error::SkippedRecord;

/// What a list of books shows, without the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookSummary {
    pub citizen_id: CitizenId,
    /// All but the last four digits hidden, for screens others can see.
    pub masked_citizen_id: String,
    /// Full name as on the card, with diacritics.
    pub full_name: String,
    pub birth_year: i32,
    /// When this device last saved the book (for books migrated from schema v1: when the book was
    /// last synced, else when it was migrated).
    pub last_updated: OffsetDateTime,
    pub vaccination_count: u32,
    pub prescription_count: u32,
    /// The book's name in addresses (`/books/<key>`). `None` only for a header no version of
    /// this app has given one (every save and the v3 upgrade do): such a row has no address.
    pub address_key: Option<AddressKey>,
    /// `full_name` folded for search, computed once per load.
    folded_name: String,
}

impl ListedBook for BookSummary {
    fn citizen_id(&self) -> &CitizenId {
        &self.citizen_id
    }

    fn folded_name(&self) -> &str {
        &self.folded_name
    }
}

impl BookSummary {
    pub(crate) fn from_header(header: &BookHeader, address_key: Option<AddressKey>) -> Self {
        let profile = &header.profile;
        BookSummary {
            masked_citizen_id: profile.citizen_id.masked(),
            citizen_id: profile.citizen_id.clone(),
            full_name: profile.full_name.clone(),
            birth_year: profile.date_of_birth.year(),
            last_updated: header.saved_at,
            vaccination_count: header.vaccination_count,
            prescription_count: header.prescription_count,
            address_key,
            folded_name: fold_for_search(&profile.full_name),
        }
    }
}

/// Summaries of the readable books, sorted by name, and the stored books that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookList {
    pub books: Vec<BookSummary>,
    pub skipped: Vec<SkippedRecord>,
}

impl BookList {
    pub(crate) fn sort(&mut self) {
        self.books.sort_by(by_name);
    }

    /// The books matching `query`, best matches first, without touching storage (for search as
    /// you type over a list already loaded). See [`Query`].
    pub fn search(&self, query: &str) -> Vec<BookSummary> {
        Query::parse(query).filter(&self.books)
    }
}
