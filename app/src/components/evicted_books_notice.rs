use health_book::eviction::EvictedBooks;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::context::use_book_store;
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// The browser evicted the books this device held (`health_book::eviction`): says so where the
/// empty state would be, with the two ways back (the health system, a backup file) and a
/// dismiss, after which the ordinary empty state shows.
#[component]
pub fn EvictedBooksNotice(evicted: EvictedBooks) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let EvictedBooks { books, since } = evicted;
    view! {
        <section class="card notice warning" role="alert" data-testid="evicted-books">
            <h2>{t!(i18n, BooksEvictedTitle)}</h2>
            <p>{i18n.text(Msg::BooksEvictedBody { books, since })}</p>
            <p class="actions">
                <A href=paths::BOOKS_SYNC attr:class="button">{t!(i18n, SyncAddFromServer)}</A>
                <A href=paths::BOOKS_IMPORT attr:class="button secondary">{t!(i18n, RestoreFromBackup)}</A>
                <button type="button" class="secondary" on:click=move |_| store.dismiss_evicted()>
                    {t!(i18n, Dismiss)}
                </button>
            </p>
        </section>
    }
}
