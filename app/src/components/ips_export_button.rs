//! "Export as International Patient Summary": one book as an IPS `document` Bundle file, for a
//! clinic or a viewer abroad that reads IPS rather than this app's backup. Beside the plain
//! export on each book's row; the core writes the document (`health_book::fhir::ips`).

use health_book::fhir::ips::{export_ips_json, IpsIdentity};
use health_book::CitizenId;
use leptos::prelude::*;

use crate::browser::crypto::WebCrypto;
use crate::context::use_book_store;
use crate::i18n::{use_i18n, Msg};
use crate::storage::StorageError;
use crate::t;

/// A fresh random identity for one document: its UUIDs come from it.
fn fresh_identity() -> Option<IpsIdentity> {
    let bytes = WebCrypto::detect().ok()?.random_bytes(16).ok()?;
    let seed: [u8; 16] = bytes.try_into().ok()?;
    Some(IpsIdentity {
        seed,
        at: crate::browser::clock::now(),
    })
}

#[component]
pub fn IpsExportButton(
    id: CitizenId,
    name: String,
    action_error: RwSignal<Option<StorageError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let failed = RwSignal::new(false);
    let export = move |_| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            let loaded = async { store.store().await?.load_book(&id).await }.await;
            let book = match loaded {
                Ok(Some(loaded)) => loaded.book,
                // Removed meanwhile: nothing to export, and the list shows it gone.
                Ok(None) => return,
                Err(error) => {
                    action_error.set(Some(error));
                    return;
                }
            };
            let Some(identity) = fresh_identity() else {
                crate::console_warn!("ips export: no random source");
                failed.set(true);
                return;
            };
            let json = export_ips_json(&book, identity);
            let written = crate::browser::file_io::download_book_json("ips", id.as_str(), &json);
            if let Err(e) = &written {
                crate::console_warn!("ips export: {e}");
            }
            failed.set(written.is_err());
        });
    };
    let label = i18n.text(Msg::ExportIpsOf { name: name.clone() });
    view! {
        <button type="button" class="secondary" data-testid="export-ips" on:click=export aria-label=label>
            {t!(i18n, ExportIps)}
        </button>
        <Show when=move || failed.get()>
            <p class="notice error" role="alert">{t!(i18n, ExportFailed)}</p>
        </Show>
    }
}
