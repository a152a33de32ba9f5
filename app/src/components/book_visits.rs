use std::sync::Arc;

use health_book::HealthBook;
use leptos::prelude::*;

use crate::components::StorageErrorNotice;
use crate::context::{use_book_store, use_open_book};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// "Who opened this book": the audit log's entries about this book, newest first, in plain
/// words (the core picks them: `health_book::audit::book_visits`).
#[component]
pub fn BookVisits(book: Arc<HealthBook>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let open = use_open_book();
    let id = book.citizen_id().clone();
    let visits = LocalResource::new(move || {
        open.revision();
        let id = id.clone();
        async move { store.store().await?.book_visits(&id).await }
    });
    view! {
        <section class="card book-visits" aria-labelledby="book-visits-heading" data-testid="book-visits">
            <h2 id="book-visits-heading">{t!(i18n, BookVisitsHeading)}</h2>
            <p class="hint">{t!(i18n, BookVisitsHint)}</p>
            <Transition fallback=move || view! { <p role="status">{t!(i18n, Loading)}</p> }>
                {move || Suspend::new(async move {
                    match visits.await {
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                        Ok(visits) if visits.is_empty() => {
                            view! { <p class="muted">{t!(i18n, BookVisitsEmpty)}</p> }.into_any()
                        }
                        Ok(visits) => view! {
                            <ul class="audit-entries">
                                {visits.into_iter().map(|visit| {
                                    let msg = Msg::AuditEntryText {
                                        actor: visit.actor,
                                        mode: visit.mode,
                                        action: visit.action,
                                        at: visit.at,
                                        book: None,
                                    };
                                    view! { <li data-testid="book-visit">{i18n.text(msg.clone())}</li> }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
