use leptos::prelude::*;

use crate::i18n::errors::storage_error_msg;
use crate::i18n::{use_i18n, Msg};
use crate::storage::StorageError;

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

pub(crate) fn reload_page() {
    if let Some(window) = web_sys::window() {
        if window.location().reload().is_err() {
            crate::console_warn!("reload refused");
        }
    }
}

/// A storage failure, explained. The technical detail goes to the console for support staff.
#[component]
pub fn StorageErrorNotice(error: StorageError) -> impl IntoView {
    let i18n = use_i18n();
    crate::console_warn!("storage: {error}");
    let msg = storage_error_msg(&error);
    let reload = needs_reload(&error);
    view! {
        <div class="notice error" role="alert" data-testid="storage-error">
            <p>{i18n.text(msg.clone())}</p>
            <Show when=move || reload>
                <button type="button" on:click=move |_| reload_page()>
                    {i18n.text(Msg::Reload)}
                </button>
            </Show>
        </div>
    }
}
