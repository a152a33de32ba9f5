use leptos::prelude::*;
use leptos_router::components::A;

use super::{EmptyState, EvictedBooksNotice, StorageErrorNotice};
use std::sync::Arc;

use crate::context::{
    use_book_store, use_open_book, OpenBook, OpenResource, OpenedBook, OpenedProfile,
};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::t;

/// Renders `content` with the open book, or what the person needs instead: a loading line, a
/// storage error, the "no book on this device" empty state, or a way to choose a book.
pub fn with_open_book<V: IntoView + 'static>(
    content: impl Fn(OpenedBook) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    open_gate(
        |open| open.book(),
        Arc::new(move |loaded: OpenedBook| {
            let skipped = loaded.skipped.len();
            view! {
                <Show when=move || { skipped > 0 }>
                    <p class="notice warning" role="status">
                        {i18n.text(Msg::SkippedRecords { count: skipped })}
                    </p>
                </Show>
                {content(loaded)}
            }
            .into_any()
        }),
    )
}

/// As [`with_open_book`], for a screen that shows only the person: the book's records are not
/// read (the check-in QR opened straight from the home screen's shortcut).
pub fn with_open_profile<V: IntoView + 'static>(
    content: impl Fn(OpenedProfile) -> V + Send + Sync + 'static,
) -> impl IntoView {
    open_gate(
        |open| open.profile(),
        Arc::new(move |loaded: OpenedProfile| content(loaded).into_any()),
    )
}

/// The gate itself, once per kind of loaded book (not once per screen).
fn open_gate<T: Clone + Send + Sync + 'static>(
    load: fn(&OpenBook) -> OpenResource<T>,
    content: Arc<dyn Fn(T) -> AnyView + Send + Sync>,
) -> impl IntoView {
    let open = use_open_book();
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p role="status" class="loading">{t!(i18n, Loading)}</p> }>
            {move || {
                let content = content.clone();
                Suspend::new(async move {
                    // The list of books matters only when none is open: a screen with a book
                    // open does not wait for every other book's summary.
                    match load(&open).await {
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                        Ok(Some(loaded)) => content(loaded),
                        Ok(None) => match open.books().await {
                            Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                            Ok(books) if books.is_empty() => view! { <NoBookYet /> }.into_any(),
                            Ok(_) => view! {
                                <EmptyState
                                    title=i18n.text(Msg::NoBookOpenTitle)
                                    body=i18n.text(Msg::NoBookOpenBody)
                                >
                                    <A href=paths::BOOKS attr:class="button">{t!(i18n, SwitchBook)}</A>
                                </EmptyState>
                            }
                            .into_any(),
                        },
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
            title=i18n.text(Msg::NoBookTitle)
            body=i18n.text(Msg::NoBookBody)
        >
            <A href=paths::BOOKS_IMPORT attr:class="button">{t!(i18n, NoBookAction)}</A>
            <A href=paths::BOOKS_SYNC attr:class="button secondary">{t!(i18n, SyncAddFromServer)}</A>
        </EmptyState>
    }
}
