use std::collections::HashMap;

use health_book::audit::{audit_bundle, AuditAction, ChainVerdict};
use leptos::prelude::*;

use crate::browser::clock;
use crate::browser::file_io::download;
use crate::components::StorageErrorNotice;
use crate::context::{use_book_store, use_open_book};
use crate::i18n::{use_i18n, Msg};
use crate::storage::{AuditEvent, StorageError};
use crate::t;

/// The device's access log: the result of verifying its chain first (a broken chain says where
/// and how), then every entry newest first, and an export as FHIR `AuditEvent`s.
#[component]
pub fn AuditCard() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let exported = RwSignal::new(0_u32);
    let export_failed = RwSignal::new(None::<StorageError>);
    let log = LocalResource::new(move || {
        exported.track();
        open.revision();
        async move { store.store().await?.audit_log().await }
    });
    // Names of the books on the device, for entries that still name one.
    let names = move || -> HashMap<String, String> {
        open.books()
            .get()
            .and_then(Result::ok)
            .map(|books| {
                books
                    .into_iter()
                    .map(|b| (b.citizen_id.as_str().to_owned(), b.full_name))
                    .collect()
            })
            .unwrap_or_default()
    };
    let export = move |_| {
        leptos::task::spawn_local(async move {
            let result = async {
                let store = store.store().await?;
                // The export is itself logged, and the file holds that entry too.
                store
                    .record(AuditEvent::device(AuditAction::LogExported))
                    .await?;
                let log = store.audit_log().await?;
                let json = audit_bundle(&log.entries, log.verdict).to_string();
                let name = format!("so-suc-khoe-audit-{}.json", clock::today());
                if let Err(e) = download(&name, "application/fhir+json", json.as_bytes()) {
                    crate::console_warn!("audit export: {e}");
                }
                Ok::<_, StorageError>(())
            }
            .await;
            export_failed.set(result.err());
            exported.update(|n| *n += 1);
        });
    };
    view! {
        <section class="card audit-log" aria-labelledby="audit-heading" data-testid="audit-card">
            <h2 id="audit-heading">{t!(i18n, AuditHeading)}</h2>
            <p class="hint">{t!(i18n, AuditHint)}</p>
            <Transition fallback=move || view! { <p role="status">{t!(i18n, Loading)}</p> }>
                {move || Suspend::new(async move {
                    match log.await {
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                        Ok(log) => {
                            let (verdict, class, role) = match log.verdict {
                                ChainVerdict::Intact { entries } => {
                                    (Msg::AuditIntact { entries }, "notice ok", "status")
                                }
                                ChainVerdict::Broken { position, kind } => {
                                    (Msg::AuditBroken { position, kind }, "notice error", "alert")
                                }
                            };
                            let names = names();
                            let empty = log.entries.is_empty();
                            view! {
                                <p class=class role=role data-testid="audit-verdict">{i18n.text(verdict.clone())}</p>
                                <Show when=move || empty>
                                    <p class="muted">{t!(i18n, AuditEmpty)}</p>
                                </Show>
                                <ol class="audit-entries" reversed>
                                    {log.entries.into_iter().rev().map(|stored| {
                                        let entry = stored.entry;
                                        let book = entry
                                            .book
                                            .as_ref()
                                            .and_then(|b| names.get(&b.citizen_id).cloned());
                                        let msg = Msg::AuditEntryText {
                                            actor: entry.actor,
                                            mode: entry.mode,
                                            action: entry.action,
                                            at: entry.at,
                                            book,
                                        };
                                        view! { <li data-testid="audit-entry">{i18n.text(msg.clone())}</li> }
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || export_failed.get().map(|error| view! { <StorageErrorNotice error /> })}
            <button type="button" class="secondary" data-testid="audit-export" on:click=export>
                {t!(i18n, AuditExport)}
            </button>
        </section>
    }
}
