//! Import books from a FHIR Bundle file: choose or drop the file, see whose book it is and what it
//! holds (and what was left out, such as another person's records), confirm, then one atomic
//! save of every book. Nothing changes before the confirmation, and a bad file changes nothing.

use health_book::fhir::{import_file, ImportLimits};
use health_book::validate::Finding;
use health_book::views::import_preview::{unknown_vaccines, PendingBook, Replaced, SkippedPreview};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::JsCast;

use crate::browser::clock;
use crate::browser::file_io::{read_file, FileError};
use crate::components::StorageErrorNotice;
use crate::context::corrections::{corrections_of, corrections_setting};
use crate::context::{use_book_store, use_open_book};
use crate::i18n::errors::{import_error_msg, import_too_large_msg, skip_reason_msg};
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::{AuditEvent, BookStore, StorageError};
use crate::t;
use health_book::audit::AuditAction;
use health_book::corrections::CorrectionRequest;

#[derive(Debug, Clone)]
enum ImportState {
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
    let limits = ImportLimits::default();

    let take_file = move |file: web_sys::File| {
        state.set(ImportState::Reading);
        leptos::task::spawn_local(async move {
            state.set(read_and_preview(store.store().await, file, limits).await);
        });
    };

    let on_pick = move |ev: web_sys::Event| {
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
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
            ImportState::Reading => view! { <p role="status">{t!(i18n, ImportReading)}</p> }.into_any(),
            ImportState::Failed(msg) => view! {
                <p class="notice error" role="alert" data-testid="import-error">{move || i18n.t(msg.clone())}</p>
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

#[component]
fn PreviewBook(pending: PendingBook) -> impl IntoView {
    let i18n = use_i18n();
    let name = pending.book.profile.full_name.clone();
    let citizen_id = pending.book.profile.citizen_id.masked();
    let vaccinations = pending.book.vaccinations.len();
    let prescriptions = pending.book.prescriptions.len();
    let kept = pending.kept_device_records;
    let findings = pending.findings;
    view! {
        <li>
            <p><strong>{move || i18n.t(Msg::ImportPreviewPerson { name: name.clone(), citizen_id: citizen_id.clone() })}</strong></p>
            <p>{move || i18n.t(Msg::ImportPreviewCounts { vaccinations, prescriptions })}</p>
            <p class="notice warning">
                {move || match pending.replaces {
                    Some(Replaced { vaccinations: current_vaccinations, prescriptions: current_prescriptions }) => {
                        i18n.t(Msg::ImportWillReplace { current_vaccinations, current_prescriptions })
                    }
                    None => i18n.t(Msg::ImportWillAdd),
                }}
            </p>
            <Show when=move || { kept > 0 }>
                <p>{move || i18n.t(Msg::ImportKeepsStaffRecords { count: kept })}</p>
            </Show>
            <FindingList findings />
        </li>
    }
}

/// What needs checking in a book before it is saved (from the core's validation), so a person
/// can look at the file or the record first. Saving stays possible: the file is the record.
#[component]
fn FindingList(findings: Vec<Finding>) -> impl IntoView {
    let i18n = use_i18n();
    let count = findings.len();
    (count > 0).then(|| {
        view! {
            <div class="notice warning" data-testid="import-findings">
                <p>{move || i18n.t(Msg::ImportFindings { count })}</p>
                <ul>
                    {findings
                        .into_iter()
                        .map(|f| {
                            let class = if f.is_error() { "finding error" } else { "finding" };
                            let msg = Msg::Finding(f.kind);
                            view! {
                                <li class=class>
                                    {move || i18n.t(msg.clone())}
                                    " "
                                    <code class="muted">{f.path}</code>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

#[component]
fn UnknownVaccines(names: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    (!names.is_empty()).then(|| {
        let names = names.join(", ");
        view! {
            <p class="notice warning" role="note" data-testid="import-unknown-vaccines">
                {move || i18n.t(Msg::ImportUnknownVaccines { names: names.clone() })}
            </p>
        }
    })
}

#[component]
fn SkippedList(skipped: SkippedPreview) -> impl IntoView {
    let i18n = use_i18n();
    let SkippedPreview {
        total: count,
        listed,
        more,
    } = skipped;
    (count > 0).then(|| {
        view! {
            <div class="skipped" data-testid="import-skipped">
                <p>{move || i18n.t(Msg::ImportSkipped { count })}</p>
                <ul>
                    {listed
                        .into_iter()
                        .map(|s| {
                            let resource = match &s.id {
                                Some(id) => format!("{}/{}", s.resource_type, id),
                                None => s.resource_type.clone(),
                            };
                            let reason = skip_reason_msg(&s.reason);
                            view! {
                                <li>{move || i18n.t(Msg::ImportSkippedItem { resource: resource.clone(), reason: i18n.t(reason.clone()) })}</li>
                            }
                        })
                        .collect_view()}
                </ul>
                <Show when=move || { more > 0 }>
                    <p class="muted">{move || i18n.t(Msg::ImportSkippedMore { count: more })}</p>
                </Show>
            </div>
        }
    })
}

async fn read_and_preview(
    store: Result<BookStore, StorageError>,
    file: web_sys::File,
    limits: ImportLimits,
) -> ImportState {
    let store = match store {
        Ok(s) => s,
        Err(e) => return ImportState::StorageFailed(e),
    };
    let bytes = match read_file(&file, limits.max_bytes as u64).await {
        Ok(b) => b,
        Err(FileError::TooLarge { .. }) => {
            return ImportState::Failed(import_too_large_msg(limits))
        }
        Err(e) => {
            crate::console_warn!("import: {e}");
            return ImportState::Failed(Msg::ImportErrRead);
        }
    };
    // A file is never the health system: whatever it claims, its records are "from a file" and
    // the book is linked to no server (the core's rule).
    let imported = match import_file(&bytes, Some(&file.name()), limits) {
        Ok(i) => i,
        Err(e) => {
            crate::console_warn!("import refused: {e}");
            return ImportState::Failed(import_error_msg(&e, limits));
        }
    };
    if imported.books.is_empty() {
        return ImportState::Failed(Msg::ImportErrEmpty);
    }
    let today = clock::today();
    let mut books = Vec::with_capacity(imported.books.len());
    for book in imported.books {
        // The core decides what saving would do: device-entered records stay (the same rule as
        // a sync, even over a file's record with their ID), and what needs checking.
        let file_notes = imported
            .corrections
            .get(book.citizen_id())
            .cloned()
            .unwrap_or_default();
        let device_notes = if file_notes.is_empty() {
            Vec::new()
        } else {
            match corrections_of(&store, book.citizen_id()).await {
                Ok(notes) => notes,
                Err(e) => return ImportState::StorageFailed(e),
            }
        };
        let pending = match store.load_book(book.citizen_id()).await {
            Ok(Some(current)) => PendingBook::new(book, Some(&current.book), today),
            Ok(None) => PendingBook::new(book, None, today),
            Err(e) => return ImportState::StorageFailed(e),
        };
        // A backup's correction notes come back, and the device keeps every note it has.
        books.push(pending.with_corrections(&file_notes, &device_notes));
    }
    ImportState::Preview {
        books,
        unknown_vaccines: unknown_vaccines(&imported.report.notes),
        skipped: SkippedPreview::new(imported.report.skipped),
    }
}

async fn save_all(
    store: Result<BookStore, StorageError>,
    books: &[PendingBook],
) -> Result<(), StorageError> {
    // One transaction for every book of the file and its entries in the audit log: all of
    // them are saved, or none.
    let events: Vec<AuditEvent> = books
        .iter()
        .map(|p| AuditEvent::about(p.book.citizen_id(), AuditAction::Imported))
        .collect();
    // The notes that are new go in the same transaction as their books.
    let notes: Vec<(String, &Vec<CorrectionRequest>)> = books
        .iter()
        .filter(|p| p.added_corrections > 0)
        .map(|p| (corrections_setting(p.book.citizen_id()), &p.corrections))
        .collect();
    let books: Vec<&health_book::HealthBook> = books.iter().map(|p| &p.book).collect();
    store?
        .save_books_with_settings_recorded(&books, &notes, &events)
        .await
}
