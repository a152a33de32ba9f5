use leptos::prelude::*;

use crate::storage::{BookStore, StorageError};

/// The device's book database, opened once when the app starts. Screens await it through
/// [`BookStoreContext::store`]; a failed open (private mode, corruption, another tab holding an
/// old version) reaches every screen as the same typed error.
#[derive(Clone, Copy)]
pub struct BookStoreContext {
    opened: LocalResource<Result<BookStore, StorageError>>,
}

impl BookStoreContext {
    pub async fn store(self) -> Result<BookStore, StorageError> {
        self.opened.await
    }

    /// Runs `f` on the store if it has opened (locking must not wait for anything).
    pub fn with_opened(self, f: impl FnOnce(&BookStore)) {
        if let Some(Ok(store)) = self.opened.get_untracked() {
            f(&store);
        }
    }
}

pub fn provide_book_store() -> BookStoreContext {
    let ctx = BookStoreContext {
        opened: LocalResource::new(BookStore::open),
    };
    provide_context(ctx);
    ctx
}

pub fn use_book_store() -> BookStoreContext {
    expect_context::<BookStoreContext>()
}
