use leptos::prelude::*;

use crate::components::StorageErrorNotice;
use crate::i18n::{format, use_i18n, Msg};
use crate::storage::persistence::{
    persistence_status, request_persistence, storage_estimate, Persistence,
};
use crate::t;

/// Whether the browser promised to keep the books, how much space they use, and a way to ask for
/// the promise (browsers may otherwise evict the data under pressure or after days unused).
#[component]
pub fn StorageCard() -> impl IntoView {
    let i18n = use_i18n();
    let asked = RwSignal::new(0_u32);
    let refused = RwSignal::new(false);
    let status = LocalResource::new(move || {
        asked.track();
        async move {
            Ok::<_, crate::storage::StorageError>((
                persistence_status().await?,
                storage_estimate().await?,
            ))
        }
    });
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let granted = matches!(request_persistence().await, Ok(Persistence::Persistent));
            refused.set(!granted);
            asked.update(|n| *n += 1);
        });
    };
    view! {
        <section class="card" aria-labelledby="storage-heading">
            <h2 id="storage-heading">{t!(i18n, StorageHeading)}</h2>
            <Transition fallback=move || view! { <p role="status">{t!(i18n, Loading)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                        Ok((persistence, estimate)) => {
                            let persisted = persistence == Persistence::Persistent;
                            view! {
                                <p class=if persisted { "notice ok" } else { "notice warning" } data-testid="persistence">
                                    {i18n.text(if persisted { Msg::StoragePersisted } else { Msg::StorageNotPersisted })}
                                </p>
                                <p data-testid="storage-usage">
                                    {move || match estimate {
                                        Some(e) => {
                                            let locale = i18n.locale();
                                            i18n.t(Msg::StorageUsage {
                                                used: format::bytes(locale, e.used_bytes as f64),
                                                available: format::bytes(locale, e.available_bytes() as f64),
                                            })
                                        }
                                        None => i18n.t(Msg::StorageUnknown),
                                    }}
                                </p>
                                <Show when=move || !persisted && persistence != Persistence::Unsupported>
                                    <button type="button" on:click=ask>{t!(i18n, KeepDataAction)}</button>
                                </Show>
                            }
                                .into_any()
                        }
                    }
                })}
            </Transition>
            <Show when=move || refused.get()>
                <p class="notice warning" role="status">{t!(i18n, PersistenceRefused)}</p>
            </Show>
        </section>
    }
}
