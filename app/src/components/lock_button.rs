use leptos::prelude::*;

use crate::context::use_vault;
use crate::i18n::use_i18n;
use crate::t;

/// Locks the device at once: in the header on every screen while a secret is set and the device
/// is unlocked, so it is always one tap away.
#[component]
pub fn LockButton() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    view! {
        <Show when=move || vault.is_unlocked()>
            <button type="button" class="lock-button" data-testid="lock-button" on:click=move |_| vault.lock()>
                {t!(i18n, VaultLock)}
            </button>
        </Show>
    }
}
