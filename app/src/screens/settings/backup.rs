use health_book::corrections::correction_entries;
use health_book::fhir::BundleWriter;
use js_sys::{Array, Uint8Array};
use leptos::prelude::*;

use crate::browser::clock;
use crate::browser::file_io::download_parts;
use crate::components::StorageErrorNotice;
use crate::context::corrections::corrections_of;
use crate::context::{use_book_store, use_open_book};
use crate::i18n::use_i18n;
use crate::storage::{AuditEvent, StorageError};
use crate::t;
use health_book::audit::AuditAction;

#[derive(Clone)]
enum ExportProblem {
    Storage(StorageError),
    File,
}

/// Every book on this device as one FHIR Bundle file: the backup that moves to a new phone, with
/// staff-entered records and their provenance included.
#[component]
pub fn BackupCard() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let problem = RwSignal::new(None::<ExportProblem>);
    let export_all = move |_| {
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store.store().await.map_err(ExportProblem::Storage)?;
                let list = store.list_books().await.map_err(ExportProblem::Storage)?;
                // Book by book: each is loaded, written out as its part of the file (a JS
                // array, outside wasm memory) and dropped before the next is loaded.
                let mut writer = BundleWriter::new();
                let parts = Array::of1(&Uint8Array::from(writer.start().as_bytes()));
                let mut exported = Vec::with_capacity(list.books.len());
                for summary in &list.books {
                    if let Some(loaded) = store
                        .load_book(&summary.citizen_id)
                        .await
                        .map_err(ExportProblem::Storage)?
                    {
                        let notes = corrections_of(&store, &summary.citizen_id)
                            .await
                            .map_err(ExportProblem::Storage)?;
                        parts.push(&Uint8Array::from(writer.book(&loaded.book).as_bytes()));
                        let tasks = correction_entries(loaded.book.citizen_id(), &notes);
                        parts.push(&Uint8Array::from(writer.entries(&tasks).as_bytes()));
                        exported.push(AuditEvent::about(
                            loaded.book.citizen_id(),
                            AuditAction::Exported,
                        ));
                    }
                }
                parts.push(&Uint8Array::from(writer.finish().as_bytes()));
                // Logged before the file exists: no export leaves the device unlogged.
                store
                    .record_all(&exported)
                    .await
                    .map_err(ExportProblem::Storage)?;
                let name = format!("so-suc-khoe-{}.json", clock::today());
                download_parts(&name, "application/fhir+json", &parts).map_err(|e| {
                    crate::console_warn!("export: {e}");
                    ExportProblem::File
                })
            }
            .await;
            problem.set(result.err());
        });
    };
    view! {
        <section class="card" aria-labelledby="backup-heading">
            <h2 id="backup-heading">{t!(i18n, ExportHeading)}</h2>
            <p class="hint">{t!(i18n, ExportHint)}</p>
            <button
                type="button"
                class="secondary"
                disabled=move || open.books().map(|b| b.as_ref().map(|l| l.is_empty()).unwrap_or(true)).unwrap_or(true)
                on:click=export_all
            >
                {t!(i18n, ExportAllBooks)}
            </button>
            {move || problem.get().map(|p| match p {
                ExportProblem::Storage(error) => view! { <StorageErrorNotice error /> }.into_any(),
                ExportProblem::File => view! { <p class="notice error" role="alert">{t!(i18n, ExportFailed)}</p> }.into_any(),
            })}
        </section>
    }
}
