//! The books-held marker (`health_book::eviction::BooksHeld`) in `localStorage`, one per
//! database: Chromium and Firefox evict IndexedDB and Cache Storage under storage pressure but
//! leave `localStorage`, so the marker outlives the books and tells the app they were evicted.
//! It names nobody: a day and a count.

use health_book::eviction::BooksHeld;

use super::local_preferences::{self, PreferenceError};

fn key(database: &str) -> String {
    format!("ssk.books-held.{database}")
}

/// The marker of `database`; none when there is none, it is unreadable, or `localStorage` is
/// unavailable (then no eviction can be noticed: the safe side).
pub fn read(database: &str) -> Option<BooksHeld> {
    local_preferences::read(&key(database))
        .ok()
        .flatten()
        .and_then(|text| BooksHeld::parse(&text))
}

/// Writes the marker of `database`, or removes it (`None`).
pub fn store(database: &str, marker: Option<BooksHeld>) -> Result<(), PreferenceError> {
    match marker {
        Some(marker) => local_preferences::write(&key(database), &marker.to_text()),
        // Without `localStorage` no marker was ever kept: there is nothing to remove.
        None => match local_preferences::remove(&key(database)) {
            Err(PreferenceError::Unavailable) => Ok(()),
            removed => removed,
        },
    }
}
