//! Add a book from the health system: type the citizen ID, the app finds the person on the FHIR
//! server and fetches their record (with progress and Cancel), shows whose book it is and what it
//! holds, and saves it in one transaction on confirmation. Like a file import, a book already on
//! the device is replaced, except the records staff entered on it.

use health_book::CitizenId;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::components::{StorageErrorNotice, SyncProgress};
use crate::context::{use_card_handoff, use_open_book};
use crate::i18n::errors::sync_failure_msg;
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::StorageError;
use crate::sync::{use_sync, FetchedBook, SyncFailure, SyncProblem};
use crate::t;

#[derive(Debug, Clone)]
enum AddState {
    Idle,
    Fetching,
    Fetched(Box<FetchedBook>),
    Failed(SyncFailure),
    StorageFailed(StorageError),
}

#[component]
pub fn SyncAdd() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let open = use_open_book();
    let navigate = use_navigate();
    // Pre-filled when the person comes from a scanned card (handed over in memory, never in
    // the address).
    let input = RwSignal::new(
        use_card_handoff()
            .take()
            .map(|id| id.as_str().to_owned())
            .unwrap_or_default(),
    );
    let invalid = RwSignal::new(false);
    let state = RwSignal::new(AddState::Idle);
    // `Some(address)` once a server is configured; `None` while none is (then nothing is sent).
    let server = LocalResource::new(move || {
        sync.revision();
        async move {
            sync.settings()
                .await
                .map(|s| s.is_configured().then_some(s.server_url))
        }
    });
    let configured = move || matches!(server.get(), Some(Ok(Some(_))));
    let unconfigured = move || matches!(server.get(), Some(Ok(None)));
    // The sync runs in the data worker: start it while the person types the ID, so its module
    // is loaded by the time they tap Find (it stays for the page's life once started).
    Effect::new(move |_| {
        if configured() {
            crate::browser::data_worker::warm_up();
        }
    });

    let find = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let digits: String = input
            .get_untracked()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let Ok(citizen_id) = CitizenId::parse(&digits) else {
            invalid.set(true);
            return;
        };
        invalid.set(false);
        state.set(AddState::Fetching);
        leptos::task::spawn_local(async move {
            state.set(match sync.fetch_book(citizen_id).await {
                Ok(fetched) => AddState::Fetched(Box::new(fetched)),
                Err(SyncProblem::Sync(failure)) => AddState::Failed(failure),
                Err(SyncProblem::Storage(error)) => AddState::StorageFailed(error),
            });
        });
    };

    let confirm = move |_| {
        let AddState::Fetched(fetched) = state.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let id = fetched.book().citizen_id().clone();
            let result = async {
                sync.save_fetched(&fetched).await?;
                open.open(id).await
            }
            .await;
            match result {
                Ok(()) => navigate(paths::HOME, Default::default()),
                Err(error) => state.set(AddState::StorageFailed(error)),
            }
        });
    };

    view! {
        <p class="no-print"><A href=paths::BOOKS>{t!(i18n, Back)}</A></p>
        <h1 class="screen-title">{t!(i18n, SyncAddTitle)}</h1>
        <Show when=unconfigured>
            <section class="card" data-testid="sync-no-server">
                <p>{t!(i18n, SyncAddNoServer)}</p>
                <p><A href=paths::SETTINGS_SYNC_SERVER>{t!(i18n, SyncAddNoServerLink)}</A></p>
            </section>
        </Show>
        <Show when=configured>
            <section class="card">
                <p class="hint">
                    {move || {
                        let server = server.get().and_then(|s| s.ok()).flatten().unwrap_or_default();
                        i18n.t(Msg::SyncAddHint { server })
                    }}
                </p>
                <form class="sync-add-form" on:submit=find>
                    <label class="field">
                        <span class="label">{t!(i18n, SyncCitizenIdLabel)}</span>
                        <input
                            type="text"
                            inputmode="numeric"
                            autocomplete="off"
                            maxlength="14"
                            class="digits"
                            aria-invalid=move || invalid.get().to_string()
                            prop:value=move || input.get()
                            on:input:target=move |ev| input.set(ev.target().value())
                        />
                    </label>
                    <Show when=move || invalid.get()>
                        <p class="notice error" role="alert">{t!(i18n, SyncInvalidCitizenId)}</p>
                    </Show>
                    <button type="submit" disabled=move || matches!(state.get(), AddState::Fetching)>{t!(i18n, SyncFind)}</button>
                </form>
                <SyncProgress />
            </section>
        </Show>
        {move || match state.get() {
            AddState::Idle | AddState::Fetching => ().into_any(),
            AddState::Failed(failure) => view! {
                <p class="notice error" role="alert" data-testid="sync-error">{i18n.text(sync_failure_msg(&failure))}</p>
            }
                .into_any(),
            AddState::StorageFailed(error) => view! { <StorageErrorNotice error /> }.into_any(),
            AddState::Fetched(fetched) => {
                let book = fetched.book().clone();
                let name = book.profile.full_name.clone();
                let citizen_id = book.profile.citizen_id.masked();
                let (vaccinations, prescriptions) = (book.vaccinations.len(), book.prescriptions.len());
                let kept = fetched.outcome.merged.kept_staff_records;
                let skipped = fetched.outcome.skipped.len();
                let foreign = fetched.outcome.foreign;
                let replaces = fetched.replaces;
                view! {
                    <section class="card" aria-labelledby="fetched-heading" data-testid="sync-preview">
                        <h2 id="fetched-heading">{t!(i18n, SyncFetchedTitle)}</h2>
                        <p><strong>{i18n.text(Msg::ImportPreviewPerson { name: name.clone(), citizen_id: citizen_id.clone() })}</strong></p>
                        <p>{i18n.text(Msg::ImportPreviewCounts { vaccinations, prescriptions })}</p>
                        <p class="notice warning">
                            {move || match replaces {
                                Some((current_vaccinations, current_prescriptions)) => {
                                    i18n.t(Msg::SyncWillReplace { current_vaccinations, current_prescriptions })
                                }
                                None => i18n.t(Msg::ImportWillAdd),
                            }}
                        </p>
                        <Show when=move || { kept > 0 }>
                            <p>{i18n.text(Msg::ImportKeepsStaffRecords { count: kept })}</p>
                        </Show>
                        <Show when=move || { skipped > 0 }>
                            <p class="muted">{i18n.text(Msg::ImportSkipped { count: skipped })}</p>
                        </Show>
                        <Show when=move || { foreign > 0 }>
                            <p class="notice warning" data-testid="sync-foreign">{i18n.text(Msg::SyncForeignLeftOut { count: foreign })}</p>
                        </Show>
                        <button type="button" on:click=confirm.clone()>{t!(i18n, SyncSaveBook)}</button>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}
