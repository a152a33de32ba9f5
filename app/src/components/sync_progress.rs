use health_book::sync::Phase;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::sync::use_sync;
use crate::t;

/// How far the running sync is (what it does, how many items arrived, a retry), with Cancel.
/// Renders nothing while no sync runs.
#[component]
pub fn SyncProgress() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let line = move || {
        let running = sync.running()?;
        let msg = match running.progress {
            None => Msg::SyncPhaseConnecting,
            Some(p) => match (p.retry_attempt, p.phase) {
                (Some(attempt), _) => Msg::SyncRetrying { attempt },
                (None, Phase::Connecting) => Msg::SyncPhaseConnecting,
                (None, Phase::LookingUp) if p.resources == 0 => Msg::SyncPhaseLookingUp,
                (None, Phase::Mapping) => Msg::SyncPhaseMapping,
                (None, _) => Msg::SyncProgressRecords { count: p.resources },
            },
        };
        Some(msg)
    };
    view! {
        <Show when=move || sync.running().is_some()>
            <div class="sync-progress" data-testid="sync-progress">
                <p role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    {move || line().map(|msg| i18n.t(msg))}
                </p>
                <button type="button" class="secondary" on:click=move |_| sync.cancel()>{t!(i18n, Cancel)}</button>
            </div>
        </Show>
    }
}
