use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::storage::StorageError;

/// The sentence a person reads for a storage failure: what happened to their data and what to do.
pub fn storage_error_message(error: &StorageError) -> Msg {
    match error {
        StorageError::QuotaExceeded => Msg::ErrStorageQuota,
        StorageError::OpenFailed { .. } => Msg::ErrStorageOpen,
        StorageError::Blocked | StorageError::VersionChange => Msg::ErrStorageBlocked,
        StorageError::ConnectionLost => Msg::ErrStorageConnection,
        StorageError::Unreadable(_) | StorageError::Corrupt { .. } => Msg::ErrStorageCorrupt,
        StorageError::Serialization { .. }
        | StorageError::DuplicateRecordId { .. }
        | StorageError::Aborted { .. }
        | StorageError::Unexpected { .. } => Msg::ErrStorageOther,
    }
}

/// Whether reloading the page is the way out (another tab, a lost connection, a failed open).
fn needs_reload(error: &StorageError) -> bool {
    matches!(
        error,
        StorageError::OpenFailed { .. }
            | StorageError::Blocked
            | StorageError::VersionChange
            | StorageError::ConnectionLost
    )
}

fn reload_page() {
    if let Some(window) = web_sys::window() {
        if window.location().reload().is_err() {
            leptos::logging::warn!("reload refused");
        }
    }
}

/// A storage failure, explained. The technical detail goes to the console for support staff.
#[component]
pub fn StorageErrorNotice(error: StorageError) -> impl IntoView {
    let i18n = use_i18n();
    leptos::logging::warn!("storage: {error}");
    let msg = storage_error_message(&error);
    let reload = needs_reload(&error);
    view! {
        <div class="notice error" role="alert" data-testid="storage-error">
            <p>{move || i18n.t(msg.clone())}</p>
            <Show when=move || reload>
                <button type="button" on:click=move |_| reload_page()>
                    {move || i18n.t(Msg::Reload)}
                </button>
            </Show>
        </div>
    }
}
