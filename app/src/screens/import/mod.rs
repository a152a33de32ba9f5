//! Import books from a FHIR Bundle file: choose or drop the file, see whose book it is and what it
//! holds (and what was left out, such as another person's records), confirm, then one atomic
//! save of every book. Nothing changes before the confirmation, and a bad file changes nothing.
//! The file is read and mapped in the data worker (`read`), so a large one never holds up the
//! page; the page shows its progress (`progress`), then the preview (`preview`).

mod preview;
mod progress;
mod read;
mod save;

use health_book::views::import_preview::{PendingBook, SkippedPreview};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::components::StorageErrorNotice;
use crate::context::{use_book_store, use_open_book};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::StorageError;
use crate::t;
use preview::{PreviewBook, SkippedList, UnknownVaccines};
use progress::ImportProgressBar;
use read::{read_and_preview, ImportProgress};
use save::save_all;

#[derive(Debug, Clone)]
pub(crate) enum ImportState {
    Idle,
    Reading,
    Preview {
        books: Vec<PendingBook>,
        unknown_vaccines: Vec<String>,
        skipped: SkippedPreview,
    },
    Failed(Msg),
    StorageFailed(StorageError),
}

#[component]
pub fn Import() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let navigate = use_navigate();
    let state = RwSignal::new(ImportState::Idle);
    let dragging = RwSignal::new(false);
    let progress = RwSignal::new(ImportProgress::default());

    let take_file = move |file: web_sys::File| {
        if matches!(state.get_untracked(), ImportState::Reading) {
            return;
        }
        progress.set(ImportProgress::default());
        state.set(ImportState::Reading);
        leptos::task::spawn_local(async move {
            state.set(read_and_preview(store.store().await, file, progress).await);
        });
    };

    let on_pick = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let file = input.files().and_then(|files| files.get(0));
        // Emptied once the file is taken (the `File` stays valid), so choosing the same file
        // again, after a failure, is a change and retries.
        input.set_value("");
        if let Some(file) = file {
            take_file(file);
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            take_file(file);
        }
    };

    let confirm = move |_| {
        let ImportState::Preview { books, .. } = state.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match save_all(store.store().await, &books).await {
                Ok(()) => {
                    open.changed();
                    let first = books[0].book.profile.citizen_id.clone();
                    match open.open(first).await {
                        Ok(()) => navigate(paths::HOME, Default::default()),
                        Err(e) => state.set(ImportState::StorageFailed(e)),
                    }
                }
                Err(e) => state.set(ImportState::StorageFailed(e)),
            }
        });
    };

    view! {
        <p class="no-print"><A href=paths::BOOKS>{t!(i18n, Back)}</A></p>
        <h1 class="screen-title">{t!(i18n, ImportTitle)}</h1>
        <section
            class="card drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <p class="hint">{t!(i18n, ImportHint)}</p>
            <label class="button file-button">
                {t!(i18n, ImportChooseFile)}
                <input
                    type="file"
                    accept=".json,application/json,application/fhir+json"
                    class="visually-hidden"
                    on:change=on_pick
                />
            </label>
            <p class="muted">{t!(i18n, ImportDropHere)}</p>
        </section>
        {move || match state.get() {
            ImportState::Idle => ().into_any(),
            ImportState::Reading => view! { <ImportProgressBar progress /> }.into_any(),
            ImportState::Failed(msg) => view! {
                <p class="notice error" role="alert" data-testid="import-error">{i18n.text(msg.clone())}</p>
            }
                .into_any(),
            ImportState::StorageFailed(error) => view! {
                <p class="notice error" role="alert">{t!(i18n, ImportErrSaveFailed)}</p>
                <StorageErrorNotice error />
            }
                .into_any(),
            ImportState::Preview { books, unknown_vaccines, skipped } => view! {
                <section class="card" aria-labelledby="preview-heading" data-testid="import-preview">
                    <h2 id="preview-heading">{t!(i18n, ImportPreviewTitle)}</h2>
                    <ul class="preview-books">
                        {books.into_iter().map(|p| view! { <PreviewBook pending=p /> }).collect_view()}
                    </ul>
                    <UnknownVaccines names=unknown_vaccines />
                    <SkippedList skipped />
                    <button type="button" on:click=confirm.clone()>{t!(i18n, ImportConfirm)}</button>
                </section>
            }
                .into_any(),
        }}
    }
}
