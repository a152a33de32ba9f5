use leptos::prelude::*;

use crate::context::use_vault;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// Locks the device at once (and says who unlocked it, on a shared device): in the header on every screen while a secret is set and the device
/// is unlocked, so it is always one tap away.
#[component]
pub fn LockButton() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    view! {
        <Show when=move || vault.is_unlocked()>
            // Shared device: whose passphrase opened it (the unlock screen names no one).
            {move || vault.unlocked_staff_name().map(|name| view! {
                <span class="unlocked-as" role="status" data-testid="unlocked-as">
                    {i18n.t(Msg::VaultUnlockedAs { name })}
                </span>
            })}
            <button type="button" class="lock-button" data-testid="lock-button" on:click=move |_| vault.lock()>
                {t!(i18n, VaultLock)}
            </button>
        </Show>
    }
}
