//! Light summaries of books for lists, and search over them in memory.
//!
//! Search runs over summaries held in memory rather than an IndexedDB index on names: once
//! records are encrypted at rest, a plaintext name index would leak exactly what encryption hides,
//! so names are only ever compared after decoding.

use health_book::text::fold_for_search;
use health_book::CitizenId;
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
    /// `full_name` folded for search, computed once per load.
    folded_name: String,
}

impl BookSummary {
    pub(crate) fn from_header(header: &BookHeader) -> Self {
        let profile = &header.profile;
        BookSummary {
            masked_citizen_id: profile.citizen_id.masked(),
            citizen_id: profile.citizen_id.clone(),
            full_name: profile.full_name.clone(),
            birth_year: profile.date_of_birth.year(),
            last_updated: header.saved_at,
            vaccination_count: header.vaccination_count,
            prescription_count: header.prescription_count,
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
        self.books.sort_by(|a, b| {
            a.folded_name
                .cmp(&b.folded_name)
                .then_with(|| a.citizen_id.cmp(&b.citizen_id))
        });
    }

    /// The books matching `query`, best matches first, without touching storage (for search as
    /// you type over a list already loaded). See [`Query`].
    pub fn search(&self, query: &str) -> Vec<BookSummary> {
        Query::parse(query).filter(&self.books)
    }
}

/// A search query as typed at a reception desk: a citizen ID (or some of its digits), or a
/// fragment of a name, with or without diacritics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Matches everything.
    All,
    /// A full, valid 12-digit citizen ID: looked up by key.
    CitizenId(CitizenId),
    /// Some digits of a citizen ID (e.g. the last four, as printed on masked lists).
    IdDigits(String),
    /// Folded name tokens; a book matches when every token occurs in its folded name.
    Name(Vec<String>),
}

impl Query {
    pub fn parse(input: &str) -> Query {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Query::All;
        }
        if compact.chars().all(|c| c.is_ascii_digit()) {
            return match CitizenId::parse(&compact) {
                Ok(id) => Query::CitizenId(id),
                Err(_) => Query::IdDigits(compact),
            };
        }
        let tokens: Vec<String> = words(&fold_for_search(input)).map(str::to_owned).collect();
        if tokens.is_empty() {
            // Only punctuation: nothing to match a name against.
            return Query::All;
        }
        Query::Name(tokens)
    }

    fn rank(&self, book: &BookSummary) -> Option<u8> {
        match self {
            Query::All => Some(0),
            Query::CitizenId(id) => (book.citizen_id == *id).then_some(0),
            Query::IdDigits(digits) => {
                let id = book.citizen_id.as_str();
                if id.ends_with(digits.as_str()) {
                    Some(0)
                } else {
                    id.contains(digits.as_str()).then_some(1)
                }
            }
            Query::Name(tokens) => {
                let name = &book.folded_name;
                if !tokens.iter().all(|t| name.contains(t.as_str())) {
                    return None;
                }
                let name_words: Vec<&str> = words(name).collect();
                if name_words.len() == tokens.len()
                    && name_words.iter().zip(tokens).all(|(w, t)| *w == t)
                {
                    Some(0)
                } else if tokens
                    .iter()
                    .all(|t| name_words.iter().any(|w| w.starts_with(t.as_str())))
                {
                    Some(1)
                } else {
                    Some(2)
                }
            }
        }
    }

    /// Matching books, exact names first, then names where every token starts a word
    /// ("ng v a" finds "Nguyễn Văn A"), then any substring match; by name within each rank.
    pub fn filter(&self, books: &[BookSummary]) -> Vec<BookSummary> {
        let mut hits: Vec<(u8, &BookSummary)> = books
            .iter()
            .filter_map(|b| self.rank(b).map(|r| (r, b)))
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| {
            ra.cmp(rb)
                .then_with(|| a.folded_name.cmp(&b.folded_name))
                .then_with(|| a.citizen_id.cmp(&b.citizen_id))
        });
        hits.into_iter().map(|(_, b)| b.clone()).collect()
    }
}

/// The words of folded text: punctuation separates words like a space ("nguyen,van" is two).
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn queries_are_read_as_reception_types_them() {
        assert_eq!(Query::parse("   "), Query::All);
        assert_eq!(Query::parse(",;"), Query::All);
        assert_eq!(
            Query::parse("0190 9000 0001"),
            Query::CitizenId(CitizenId::parse("019090000001").expect("valid"))
        );
        assert_eq!(Query::parse("0001"), Query::IdDigits("0001".into()));
        assert_eq!(
            Query::parse("  NGUYỄN,văn  A "),
            Query::Name(vec!["nguyen".into(), "van".into(), "a".into()])
        );
    }
}
