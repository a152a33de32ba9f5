use leptos::prelude::*;

use crate::components::SecretField;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// A new staff member's name and passphrase (typed twice), for adding one and for the first one
/// when a personal device becomes shared.
#[component]
pub fn NewStaffFields(
    name: RwSignal<String>,
    secret: RwSignal<String>,
    again: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            {t!(i18n, VaultStaffName)}
            <input
                type="text"
                prop:value=move || name.get()
                on:input:target=move |ev| name.set(ev.target().value())
            />
        </label>
        <SecretField label=Msg::VaultPassphrase value=secret autocomplete="new-password" />
        <SecretField label=Msg::VaultPassphraseAgain value=again autocomplete="new-password" />
    }
}
