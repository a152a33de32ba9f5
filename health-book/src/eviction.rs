//! Noticing that the browser evicted the device's books.
//!
//! Under storage pressure Chromium and Firefox delete an origin's quota-managed storage whole
//! (IndexedDB, Cache Storage, service worker scripts) but leave `localStorage`, which has its own
//! limit and is not evicted (RESILIENCE.md, "The browser evicting storage"). So the app keeps a
//! small [`BooksHeld`] marker there: since when this device has held books, and how many. It names
//! nobody. A marker that claims books beside a database that holds none means the books were taken
//! by the browser, not by the person: removing the last book clears the marker in the same step.
//!
//! The marker cannot share the IndexedDB transaction, so its update is ordered around the commit
//! ([`MarkerUpdate`]): a claim is *lowered* before the commit and *raised* after it. A crash or a
//! failed commit between the two then leaves a marker that claims fewer books than are stored
//! (an eviction might go unnoticed), never more (a deliberate removal reported as an eviction).

use serde::{Deserialize, Serialize};
use time::Date;

/// What the device remembers, outside the database, about holding books.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BooksHeld {
    /// The day this device first stored a book (since the marker was last cleared).
    pub since: Date,
    /// How many books the last write left stored.
    pub books: u32,
}

impl BooksHeld {
    /// Reads a stored marker. Anything unreadable counts as no marker: an eviction then goes
    /// unnoticed, which is the safe side (never a false alarm).
    pub fn parse(text: &str) -> Option<BooksHeld> {
        serde_json::from_str::<BooksHeld>(text)
            .ok()
            .filter(|held| held.books > 0)
    }

    pub fn to_text(self) -> String {
        // A struct of a date and a number always serializes.
        serde_json::to_string(&self).unwrap_or_default()
    }

    /// The marker once a write has left `books` stored: none when no book is left, else the
    /// count, keeping the day books were first held.
    pub fn after_write(previous: Option<BooksHeld>, books: u32, today: Date) -> Option<BooksHeld> {
        (books > 0).then(|| BooksHeld {
            since: previous.map_or(today, |p| p.since),
            books,
        })
    }
}

/// How a write must change the marker, relative to its commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerUpdate {
    /// The write left the marker true as it is.
    Unchanged,
    /// Fewer books (or none, then `None`: clear it): write before the commit.
    BeforeCommit(Option<BooksHeld>),
    /// More books, or the first: write once the commit succeeded.
    AfterCommit(BooksHeld),
}

impl MarkerUpdate {
    /// The update for a write that leaves `books` stored, given the marker before it.
    pub fn for_write(previous: Option<BooksHeld>, books: u32, today: Date) -> MarkerUpdate {
        let next = BooksHeld::after_write(previous, books, today);
        if next == previous {
            return MarkerUpdate::Unchanged;
        }
        match next {
            Some(next) if previous.is_none_or(|p| next.books > p.books) => {
                MarkerUpdate::AfterCommit(next)
            }
            lowered => MarkerUpdate::BeforeCommit(lowered),
        }
    }
}

/// Books the browser took: the marker's claim, when the database holds none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvictedBooks {
    pub since: Date,
    pub books: u32,
}

/// Whether the books were evicted, from the marker and how many books the database holds now.
///
/// Only an empty database counts: the browser evicts an origin whole, and a marker that claims
/// more books than are stored is what a crash between a removal and the marker's update leaves.
pub fn evicted(marker: Option<BooksHeld>, books_stored: u32) -> Option<EvictedBooks> {
    let marker = marker?;
    (books_stored == 0 && marker.books > 0).then_some(EvictedBooks {
        since: marker.since,
        books: marker.books,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 02);
    const EARLIER: Date = date!(2026 - 03 - 15);

    fn held(books: u32) -> Option<BooksHeld> {
        Some(BooksHeld {
            since: EARLIER,
            books,
        })
    }

    #[test]
    fn a_marker_beside_an_empty_database_is_an_eviction() {
        assert_eq!(
            evicted(held(3), 0),
            Some(EvictedBooks {
                since: EARLIER,
                books: 3
            })
        );
    }

    #[test]
    fn books_still_stored_or_no_marker_is_no_eviction() {
        assert_eq!(evicted(held(3), 3), None);
        // A crash after removing one of three, before the marker said two.
        assert_eq!(evicted(held(3), 2), None);
        // A new device, or one whose last book was removed on purpose.
        assert_eq!(evicted(None, 0), None);
        assert_eq!(evicted(None, 4), None);
    }

    #[test]
    fn the_first_book_raises_the_marker_after_the_commit_from_today() {
        assert_eq!(
            MarkerUpdate::for_write(None, 1, TODAY),
            MarkerUpdate::AfterCommit(BooksHeld {
                since: TODAY,
                books: 1
            })
        );
        // More books keep the day books were first held.
        assert_eq!(
            MarkerUpdate::for_write(held(1), 4, TODAY),
            MarkerUpdate::AfterCommit(BooksHeld {
                since: EARLIER,
                books: 4
            })
        );
    }

    #[test]
    fn removing_books_lowers_the_marker_before_the_commit() {
        assert_eq!(
            MarkerUpdate::for_write(held(3), 2, TODAY),
            MarkerUpdate::BeforeCommit(held(2))
        );
        // The last book: the marker goes, so the empty database reads as a deliberate removal.
        assert_eq!(
            MarkerUpdate::for_write(held(1), 0, TODAY),
            MarkerUpdate::BeforeCommit(None)
        );
    }

    #[test]
    fn a_write_that_keeps_the_count_leaves_the_marker() {
        assert_eq!(
            MarkerUpdate::for_write(held(2), 2, TODAY),
            MarkerUpdate::Unchanged
        );
        assert_eq!(
            MarkerUpdate::for_write(None, 0, TODAY),
            MarkerUpdate::Unchanged
        );
    }

    /// Whatever point a write stops at (before the commit, after it, before the marker's own
    /// update after it), the marker never claims books when the database holds none unless
    /// they were evicted.
    #[test]
    fn no_interruption_makes_a_removal_look_like_an_eviction() {
        for before in 0..4u32 {
            for after in 0..4u32 {
                let previous = BooksHeld::after_write(held(1), before, EARLIER);
                let update = MarkerUpdate::for_write(previous, after, TODAY);
                // Stopped after the "before" step, the commit either happened or not.
                let early = match update {
                    MarkerUpdate::BeforeCommit(next) => next,
                    _ => previous,
                };
                for (marker, stored) in [(early, before), (early, after)] {
                    assert_eq!(
                        evicted(marker, stored),
                        None,
                        "{before} -> {after} books, stopped with marker {marker:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_marker_reads_back_and_junk_is_no_marker() {
        let marker = BooksHeld {
            since: EARLIER,
            books: 2,
        };
        assert_eq!(BooksHeld::parse(&marker.to_text()), Some(marker));
        assert_eq!(BooksHeld::parse("not json"), None);
        assert_eq!(BooksHeld::parse(""), None);
        assert_eq!(
            BooksHeld::parse(
                &BooksHeld {
                    since: EARLIER,
                    books: 0
                }
                .to_text()
            ),
            None
        );
    }
}
