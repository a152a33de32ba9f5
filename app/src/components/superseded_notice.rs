use leptos::prelude::*;
use leptos_router::hooks::use_location;

use super::storage_error::reload_page;
use crate::context::use_book_store;
use crate::i18n::{use_i18n, Msg};
use crate::paths;

/// How long the "updated in another tab" notice is read before the page reloads.
const RELOAD_AFTER: std::time::Duration = std::time::Duration::from_secs(3);

/// Another tab upgraded the database (a newer version of the app): this tab closed its
/// connection so the upgrade is not blocked, says so, and reloads to get a working one. On the
/// check-in screen it waits for the tap instead: a reload would take away the QR being scanned.
#[component]
pub fn SupersededNotice() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_book_store();
    let location = use_location();
    let on_check_in = move || location.pathname.get() == paths::CHECK_IN;
    let reloads = move || store.superseded() && !on_check_in();
    Effect::new(move |scheduled: Option<bool>| {
        let due = reloads();
        if due && scheduled != Some(true) {
            set_timeout(reload_page, RELOAD_AFTER);
        }
        due || scheduled == Some(true)
    });
    view! {
        <Show when=move || store.superseded()>
            <div class="notice warning" role="alert" data-testid="superseded-notice">
                <p>
                    {move || {
                        i18n.t(if reloads() { Msg::StorageSupersededReloading } else { Msg::StorageSuperseded })
                    }}
                </p>
                <button type="button" on:click=move |_| reload_page()>
                    {i18n.text(Msg::Reload)}
                </button>
            </div>
        </Show>
    }
}
