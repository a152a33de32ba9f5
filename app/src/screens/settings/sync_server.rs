use health_book::sync::ServerInfo;
use leptos::prelude::*;

use crate::components::StorageErrorNotice;
use crate::i18n::errors::sync_failure_msg;
use crate::i18n::{use_i18n, Msg};
use crate::paths;
use crate::storage::StorageError;
use crate::sync::settings::{BearerToken, SyncSettings, AUTO_REFRESH_CHOICES};
use crate::sync::{use_sync, SyncFailure, TokenChange};
use crate::t;

/// The FHIR server books are fetched from: its address, an optional access token, the time limit
/// of a request, automatic refresh, and a connection test that says what the server answered.
#[component]
pub fn SyncServerCard() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    // Read once per visit: the form keeps its own state after a save (re-reading would rebuild it
    // and drop the "saved" line).
    let loaded = LocalResource::new(move || async move {
        let settings = sync.settings().await?;
        let has_token = sync.has_token().await?;
        Ok::<_, StorageError>((settings, has_token))
    });
    view! {
        <section class="card" aria-labelledby="sync-server-heading" data-testid="sync-server-card">
            <h2 id=paths::SYNC_SERVER_HEADING_ID>{t!(i18n, SyncSettingsHeading)}</h2>
            <p class="hint">{t!(i18n, SyncSettingsHint)}</p>
            <Transition fallback=move || view! { <p role="status">{t!(i18n, Loading)}</p> }>
                {move || Suspend::new(async move {
                    match loaded.await {
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                        Ok((settings, has_token)) => view! { <SyncServerForm settings has_token /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[derive(Clone)]
enum TestState {
    Idle,
    Testing,
    Connected(ServerInfo),
    Failed(SyncFailure),
}

#[component]
fn SyncServerForm(settings: SyncSettings, has_token: bool) -> impl IntoView {
    let has_token = RwSignal::new(has_token);
    let i18n = use_i18n();
    let sync = use_sync();
    let url = RwSignal::new(settings.server_url.clone());
    let token = RwSignal::new(String::new());
    let remove_token = RwSignal::new(false);
    let timeout = RwSignal::new(settings.timeout_seconds.to_string());
    let auto_refresh = RwSignal::new(settings.auto_refresh_hours);
    let saved = RwSignal::new(None::<Result<(), SaveProblem>>);
    let test = RwSignal::new(TestState::Idle);

    // An emptied or unreadable field means the default time limit; the browser already limits the
    // number field to 2-120.
    let timeout_seconds = move || {
        timeout
            .get_untracked()
            .trim()
            .parse::<u32>()
            .unwrap_or(30)
            .clamp(2, 120)
    };
    let save = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let new = SyncSettings {
            server_url: health_book::sync::server_address::normalise(&url.get_untracked()),
            timeout_seconds: timeout_seconds(),
            auto_refresh_hours: auto_refresh.get_untracked(),
        };
        if new.server().is_err() {
            saved.set(Some(Err(SaveProblem::InvalidUrl)));
            return;
        }
        let change = match (
            BearerToken::new(&token.get_untracked()),
            remove_token.get_untracked(),
        ) {
            (Some(t), _) => TokenChange::Set(t),
            (None, true) => TokenChange::Remove,
            (None, false) => TokenChange::Keep,
        };
        let token_after = match &change {
            TokenChange::Keep => has_token.get_untracked(),
            TokenChange::Set(_) => true,
            TokenChange::Remove => false,
        };
        leptos::task::spawn_local(async move {
            let result = sync
                .save_settings(&new, change)
                .await
                .map_err(SaveProblem::Storage);
            if result.is_ok() {
                has_token.set(token_after);
                token.set(String::new());
                remove_token.set(false);
            }
            saved.set(Some(result));
        });
    };
    let run_test = move |_| {
        test.set(TestState::Testing);
        let typed = BearerToken::new(&token.get_untracked());
        let address = url.get_untracked();
        let seconds = timeout_seconds();
        leptos::task::spawn_local(async move {
            test.set(match sync.test_connection(&address, typed, seconds).await {
                Ok(info) => TestState::Connected(info),
                Err(failure) => TestState::Failed(failure),
            });
        });
    };

    view! {
        <form class="sync-server-form" on:submit=save>
            <label class="field">
                <span class="label">{t!(i18n, SyncServerUrlLabel)}</span>
                <input
                    type="url"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || url.get()
                    on:input:target=move |ev| url.set(ev.target().value())
                />
            </label>
            <label class="field">
                <span class="label">{t!(i18n, SyncTokenLabel)}</span>
                <input
                    type="password"
                    autocomplete="off"
                    prop:value=move || token.get()
                    on:input:target=move |ev| token.set(ev.target().value())
                />
            </label>
            <Show when=move || has_token.get()>
                <p class="hint">{t!(i18n, SyncTokenSaved)}</p>
                <label class="switch">
                    <input
                        type="checkbox"
                        prop:checked=move || remove_token.get()
                        on:change:target=move |ev| remove_token.set(ev.target().checked())
                    />
                    <span>{t!(i18n, SyncTokenRemove)}</span>
                </label>
            </Show>
            <label class="field">
                <span class="label">{t!(i18n, SyncTimeoutLabel)}</span>
                <input
                    type="number"
                    inputmode="numeric"
                    min="2"
                    max="120"
                    prop:value=move || timeout.get()
                    on:input:target=move |ev| timeout.set(ev.target().value())
                />
            </label>
            <label class="field">
                <span class="label">{t!(i18n, SyncAutoRefreshLabel)}</span>
                <select on:change:target=move |ev| {
                    if let Ok(hours) = ev.target().value().parse::<u32>() {
                        auto_refresh.set(hours);
                    }
                }>
                    {AUTO_REFRESH_CHOICES
                        .into_iter()
                        .map(|hours| {
                            let label = match hours {
                                0 => Msg::SyncAutoRefreshOff,
                                h if h % 24 == 0 => Msg::SyncAutoRefreshDays { days: h / 24 },
                                h => Msg::SyncAutoRefreshHours { hours: h },
                            };
                            view! {
                                <option value=hours.to_string() selected=move || auto_refresh.get() == hours>
                                    {i18n.text(label.clone())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <div class="row-actions">
                <button type="submit">{t!(i18n, SyncSaveSettings)}</button>
                <button type="button" class="secondary" on:click=run_test>{t!(i18n, SyncTestConnection)}</button>
            </div>
            {move || saved.get().map(|result| match result {
                Ok(()) => view! { <p class="notice ok" role="status">{t!(i18n, SyncSettingsSaved)}</p> }.into_any(),
                Err(SaveProblem::InvalidUrl) => view! { <p class="notice error" role="alert">{t!(i18n, SyncErrNoServer)}</p> }.into_any(),
                Err(SaveProblem::Storage(error)) => view! { <StorageErrorNotice error /> }.into_any(),
            })}
            <div data-testid="sync-connection-test" aria-live="polite">
                {move || match test.get() {
                    TestState::Idle => ().into_any(),
                    TestState::Testing => view! { <p role="status">{t!(i18n, SyncTesting)}</p> }.into_any(),
                    TestState::Connected(info) => {
                        let caps = info.capabilities;
                        let software = [caps.software_name.clone(), caps.software_version.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ");
                        let fhir_version = caps.fhir_version.clone().unwrap_or_else(|| "R4".into());
                        let (everything, history) = (caps.patient_everything(), caps.incremental_refresh());
                        view! {
                            <p class="notice ok" role="status">
                                {i18n.text(Msg::SyncConnected { software: software.clone(), fhir_version: fhir_version.clone() })}
                            </p>
                            <p>{i18n.text(Msg::SyncServerFeatures { everything, history })}</p>
                        }
                            .into_any()
                    }
                    TestState::Failed(failure) => view! {
                        <p class="notice error" role="alert">
                            {move || i18n.t(Msg::SyncConnectionFailed { reason: i18n.t(sync_failure_msg(&failure)) })}
                        </p>
                    }
                        .into_any(),
                }}
            </div>
        </form>
    }
}

#[derive(Clone)]
enum SaveProblem {
    InvalidUrl,
    Storage(StorageError),
}
