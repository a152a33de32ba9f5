use std::sync::Arc;

use health_book::views::sync_status::should_auto_refresh;
use health_book::HealthBook;
use leptos::prelude::*;

use super::{StorageErrorNotice, SyncProgress};
use crate::browser::clock;
use crate::browser::reachability::{
    use_reachability_with_options, ProbeTarget, Reachability, UseReachabilityOptions,
};
use crate::i18n::errors::sync_failure_msg;
use crate::i18n::{use_i18n, Msg};
use crate::sync::settings::{SyncSettings, SyncStatus};
use crate::sync::{is_from_server, use_sync, SyncFailure, SyncProblem};
use crate::t;

/// For a book kept up to date from the configured server: when it was last synced, why the last
/// attempt failed, a refresh button with progress and Cancel, and the automatic refresh when
/// the server becomes reachable and the book is older than the chosen age. Nothing for other
/// books (imported from a file, or from another server).
#[component]
pub fn SyncPanel(book: Arc<HealthBook>) -> impl IntoView {
    let sync = use_sync();
    let settings = LocalResource::new(move || {
        sync.revision();
        async move { sync.settings().await }
    });
    view! {
        <Transition fallback=|| ()>
            {move || {
                let book = book.clone();
                Suspend::new(async move {
                    match settings.await {
                        Ok(settings) if is_from_server(&book, &settings.server_url) => {
                            view! { <ServerBookPanel book settings /> }.into_any()
                        }
                        Ok(_) => ().into_any(),
                        Err(error) => view! { <StorageErrorNotice error /> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}

#[component]
fn ServerBookPanel(book: Arc<HealthBook>, settings: SyncSettings) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let citizen_id = book.citizen_id().clone();
    let status = LocalResource::new({
        let citizen_id = citizen_id.clone();
        move || {
            sync.revision();
            let citizen_id = citizen_id.clone();
            async move {
                // Without it the panel still shows the book's own "last synced".
                sync.status(&citizen_id).await.unwrap_or_else(|e| {
                    crate::console_warn!("sync: the sync status is unreadable: {e}");
                    SyncStatus::default()
                })
            }
        }
    });
    let running_here = {
        let citizen_id = citizen_id.clone();
        move || {
            sync.running()
                .is_some_and(|r| r.citizen_id.as_ref() == Some(&citizen_id))
        }
    };
    let refresh = {
        let citizen_id = citizen_id.clone();
        move || {
            let citizen_id = citizen_id.clone();
            leptos::task::spawn_local(async move {
                // The outcome is kept by the service (last_refresh) and shown below.
                if let Err(problem) = sync.refresh(citizen_id).await {
                    crate::console_warn!("sync: {problem:?}");
                }
            });
        }
    };

    // The sync server's own reachability (its /metadata), which also starts the automatic
    // refresh when the server comes (back) within reach.
    let reach = settings.server().ok().map(|server| {
        use_reachability_with_options(UseReachabilityOptions {
            target: Signal::stored(ProbeTarget::FhirServer(server)),
            ..UseReachabilityOptions::default()
        })
    });
    if let Some(reach) = reach.clone() {
        let auto_hours = settings.auto_refresh_hours;
        let citizen_id = citizen_id.clone();
        let refresh = refresh.clone();
        let book = book.clone();
        Effect::new(move |_| {
            if reach.state.get() != Reachability::Reachable || sync.running_untracked() {
                return;
            }
            let (citizen_id, refresh, book) = (citizen_id.clone(), refresh.clone(), book.clone());
            leptos::task::spawn_local(async move {
                let status = match sync.status(&citizen_id).await {
                    Ok(status) => status,
                    Err(e) => {
                        crate::console_warn!(
                            "sync: no automatic refresh, the status is unreadable: {e}"
                        );
                        return;
                    }
                };
                if should_auto_refresh(
                    status.last_synced(&book),
                    status.last_attempt_at,
                    auto_hours,
                    clock::now(),
                ) {
                    refresh();
                }
            });
        });
    }
    let unreachable = move || {
        reach
            .as_ref()
            .is_some_and(|r| matches!(r.state.get(), Reachability::Unreachable(_)))
    };
    let result = {
        let citizen_id = citizen_id.clone();
        move || sync.last_refresh(&citizen_id)
    };
    let refreshed = result.clone();

    view! {
        <section class="card sync-panel" aria-labelledby="sync-panel-heading" data-testid="sync-panel">
            <h2 id="sync-panel-heading">{t!(i18n, SyncSectionHeading)}</h2>
            <p class="stamp" data-testid="sync-last-synced">
                {
                    let book = book.clone();
                    move || {
                        let status = status.get().unwrap_or_default();
                        match status.last_synced(&book) {
                            Some(at) => i18n.t(Msg::SyncLastSynced { at: at.to_offset(clock::now().offset()) }),
                            None => i18n.t(Msg::SyncNeverSynced),
                        }
                    }
                }
            </p>
            {move || {
                let failure = status.get().and_then(|s| s.last_failure);
                failure.map(|f| {
                    let at = f.at;
                    let reason = sync_failure_msg(&f.reason);
                    view! {
                        <p class="notice warning" data-testid="sync-last-failure">
                            {move || i18n.t(Msg::SyncLastFailure { at, reason: i18n.t(reason.clone()) })}
                        </p>
                    }
                })
            }}
            {move || result().map(|r| match r {
                Ok(done) if done.changes.is_empty() => view! {
                    <p class="notice ok" role="status" data-testid="sync-result">{t!(i18n, SyncUpToDate)}</p>
                }
                    .into_any(),
                Ok(done) => {
                    let (added, changed, removed) = (done.changes.added, done.changes.changed, done.changes.removed);
                    view! {
                        <p class="notice ok" role="status" data-testid="sync-result">
                            {i18n.text(Msg::SyncUpdated { added, changed, removed })}
                        </p>
                    }
                        .into_any()
                }
                Err(SyncProblem::Sync(SyncFailure::Cancelled)) => view! {
                    <p class="notice" role="status" data-testid="sync-result">{t!(i18n, SyncCancelled)}</p>
                }
                    .into_any(),
                Err(SyncProblem::Sync(failure)) => view! {
                    <p class="notice error" role="alert" data-testid="sync-result">
                        {move || format!("{} {}", i18n.t(sync_failure_msg(&failure)), i18n.t(Msg::SyncBookUnchanged))}
                    </p>
                }
                    .into_any(),
                Err(SyncProblem::Storage(error)) => view! { <StorageErrorNotice error /> }.into_any(),
            })}
            {move || refreshed().and_then(Result::ok).filter(|done| done.foreign > 0).map(|done| {
                let count = done.foreign;
                view! {
                    <p class="notice warning" data-testid="sync-foreign">{i18n.text(Msg::SyncForeignLeftOut { count })}</p>
                }
            })}
            <Show when=unreachable>
                <p class="muted">{t!(i18n, SyncServerUnreachable)}</p>
            </Show>
            <SyncProgress />
            <button type="button" disabled=move || sync.running().is_some() on:click=move |_| refresh() hidden=running_here>
                {t!(i18n, SyncRefresh)}
            </button>
        </section>
    }
}
