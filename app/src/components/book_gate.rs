use leptos::prelude::*;
use leptos_router::components::A;

use super::{EmptyState, EvictedBooksNotice, StorageErrorNotice};
use crate::context::OpenedBook;
use crate::context::{use_book_store, use_open_book};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// Renders `content` with the open book, or what the person needs instead: a loading line, a
/// storage error, the "no book on this device" empty state, or a way to choose a book.
pub fn with_open_book<V: IntoView + 'static>(
    content: impl Fn(OpenedBook) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let open = use_open_book();
    let i18n = use_i18n();
    let content = std::sync::Arc::new(content);
    view! {
        <Transition fallback=move || view! { <p role="status" class="loading">{t!(i18n, Loading)}</p> }>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    let books = open.books().await;
                    let book = open.book().await;
                    match (books, book) {
                        (Err(error), _) | (_, Err(error)) => {
                            view! { <StorageErrorNotice error /> }.into_any()
                        }
                        (Ok(_), Ok(Some(loaded))) => {
                            let skipped = loaded.skipped.len();
                            view! {
                                <Show when=move || { skipped > 0 }>
                                    <p class="notice warning" role="status">
                                        {move || i18n.t(Msg::SkippedRecords { count: skipped })}
                                    </p>
                                </Show>
                                {content(loaded)}
                            }
                                .into_any()
                        }
                        (Ok(books), Ok(None)) if books.is_empty() => view! { <NoBookYet /> }.into_any(),
                        (Ok(_), Ok(None)) => {
                            view! {
                                <EmptyState
                                    title=Signal::derive(move || i18n.t(Msg::NoBookOpenTitle))
                                    body=Signal::derive(move || i18n.t(Msg::NoBookOpenBody))
                                >
                                    <A href=paths::BOOKS attr:class="button">{t!(i18n, SwitchBook)}</A>
                                </EmptyState>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Transition>
    }
}

/// The first-run state: nothing stored yet, and how to add a book; or, when the browser evicted
/// the books this device held, that notice instead.
#[component]
pub fn NoBookYet() -> impl IntoView {
    let store = use_book_store();
    move || match store.evicted() {
        Some(evicted) => view! { <EvictedBooksNotice evicted /> }.into_any(),
        None => view! { <FirstBookEmptyState /> }.into_any(),
    }
}

#[component]
fn FirstBookEmptyState() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <EmptyState
            title=Signal::derive(move || i18n.t(Msg::NoBookTitle))
            body=Signal::derive(move || i18n.t(Msg::NoBookBody))
        >
            <A href=paths::BOOKS_IMPORT attr:class="button">{t!(i18n, NoBookAction)}</A>
            <A href=paths::BOOKS_SYNC attr:class="button secondary">{t!(i18n, SyncAddFromServer)}</A>
        </EmptyState>
    }
}
