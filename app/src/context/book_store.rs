use health_book::eviction::EvictedBooks;
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
    /// The books the browser evicted, found as the store opened; none once the person has read
    /// the notice.
    evicted: RwSignal<Option<EvictedBooks>>,
}

impl BookStoreContext {
    pub async fn store(self) -> Result<BookStore, StorageError> {
        self.opened.await
    }

    pub fn superseded(self) -> bool {
        self.superseded.get()
    }

    pub fn evicted(self) -> Option<EvictedBooks> {
        self.evicted.get()
    }

    /// The person has read the eviction notice: it goes, and so does the marker that raised it.
    pub fn dismiss_evicted(self) {
        self.evicted.set(None);
        self.with_opened(|store| {
            if let Err(e) = store.forget_evicted_books() {
                crate::console_warn!("eviction notice dismissed, marker kept: {e}");
            }
        });
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
    let evicted = RwSignal::new(None);
    let ctx = BookStoreContext {
        opened: LocalResource::new(move || async move {
            let opened = BookStore::open().await;
            if let Ok(store) = &opened {
                store.on_version_change(move || superseded.set(true));
                // Before anything is written, which would update the marker.
                match store.evicted_books().await {
                    Ok(found) => evicted.set(found),
                    Err(e) => crate::console_warn!("eviction check failed: {e}"),
                }
            }
            opened
        }),
        superseded,
        evicted,
    };
    provide_context(ctx);
    ctx
}

pub fn use_book_store() -> BookStoreContext {
    expect_context::<BookStoreContext>()
}
