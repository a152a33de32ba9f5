use leptos::prelude::*;

use crate::storage::{BookStore, StorageError};

/// The device's book database, opened once when the app starts. Screens await it through
/// [`BookStoreContext::store`]; a failed open (private mode, corruption, another tab holding an
/// old version) reaches every screen as the same typed error.
#[derive(Clone, Copy)]
pub struct BookStoreContext {
    opened: LocalResource<Result<BookStore, StorageError>>,
    /// Another tab (a newer version of the app) upgraded or deleted the database: this page's
    /// connection is closed and only a reload gets a working one.
    superseded: RwSignal<bool>,
}

impl BookStoreContext {
    pub async fn store(self) -> Result<BookStore, StorageError> {
        self.opened.await
    }

    pub fn superseded(self) -> bool {
        self.superseded.get()
    }

    /// Runs `f` on the store if it has opened (locking must not wait for anything).
    pub fn with_opened(self, f: impl FnOnce(&BookStore)) {
        if let Some(Ok(store)) = self.opened.get_untracked() {
            f(&store);
        }
    }
}

pub fn provide_book_store() -> BookStoreContext {
    let superseded = RwSignal::new(false);
    let ctx = BookStoreContext {
        opened: LocalResource::new(move || async move {
            let opened = BookStore::open().await;
            if let Ok(store) = &opened {
                store.on_version_change(move || superseded.set(true));
            }
            opened
        }),
        superseded,
    };
    provide_context(ctx);
    ctx
}

pub fn use_book_store() -> BookStoreContext {
    expect_context::<BookStoreContext>()
}
