//! The books-held marker around every write that adds or removes books, and what it says when
//! the store opens (`health_book::eviction`: the rule and why it is ordered around the commit).
//!
//! The count comes from inside the write's own transaction (a `count()` on `books` after every
//! request is issued), so it is what that transaction leaves. A marker that cannot be written
//! (`localStorage` disabled or full) never fails the write: the books are stored, only an
//! eviction could then go unnoticed; the console says so.

use health_book::eviction::{self, BooksHeld, EvictedBooks, MarkerUpdate};
use indexed_db_futures::error::Error as IdbError;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;

use super::error::StorageError;
use super::handle::BookStore;
use super::schema::BOOKS;
use super::transactions::read_book_count;
use crate::browser::local_preferences::PreferenceError;
use crate::browser::{books_held_marker, clock};

/// A marker to write once the transaction has committed.
#[must_use = "raise it after the commit, or the books go unmarked"]
pub(super) struct RaiseAfterCommit(Option<BooksHeld>);

impl BookStore {
    /// In a write transaction, after its last request was issued: counts the books it leaves,
    /// lowers the marker now if that is fewer, and returns the raise for after the commit.
    pub(super) async fn mark_books_held(
        &self,
        tx: &Transaction<'_>,
    ) -> Result<RaiseAfterCommit, IdbError> {
        let books = tx.object_store(BOOKS)?.count().primitive()?.await?;
        let previous = books_held_marker::read(&self.inner.name);
        Ok(
            match MarkerUpdate::for_write(previous, books, clock::today()) {
                MarkerUpdate::Unchanged => RaiseAfterCommit(None),
                MarkerUpdate::BeforeCommit(lowered) => {
                    self.store_marker(lowered);
                    RaiseAfterCommit(None)
                }
                MarkerUpdate::AfterCommit(raised) => RaiseAfterCommit(Some(raised)),
            },
        )
    }

    /// Writes the raise of a committed transaction.
    pub(super) fn raise_books_held(&self, raise: RaiseAfterCommit) {
        if let Some(raised) = raise.0 {
            self.store_marker(Some(raised));
        }
    }

    fn store_marker(&self, marker: Option<BooksHeld>) {
        if let Err(e) = books_held_marker::store(&self.inner.name, marker) {
            crate::console_warn!(
                "books-held marker not updated ({e}): an eviction may go unnoticed"
            );
        }
    }

    /// The books the browser evicted, when the marker claims books and the database holds none.
    /// Read when the store opens, before anything is written.
    pub async fn evicted_books(&self) -> Result<Option<EvictedBooks>, StorageError> {
        let stored = self.with_db(read_book_count).await?;
        Ok(eviction::evicted(
            books_held_marker::read(&self.inner.name),
            stored,
        ))
    }

    /// The person has read the eviction notice: the marker goes, and the next book starts a
    /// new one.
    pub fn forget_evicted_books(&self) -> Result<(), PreferenceError> {
        books_held_marker::store(&self.inner.name, None)
    }
}
