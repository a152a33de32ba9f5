use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// A labelled secret (PIN or passphrase) input bound to a signal. The browser's password
/// manager is told which secret it is (`current-password` or `new-password`).
#[component]
pub fn SecretField(
    #[prop(into)] label: Signal<Msg>,
    value: RwSignal<String>,
    autocomplete: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>
            {move || i18n.t(label.get())}
            <input
                type="password"
                autocomplete=autocomplete
                data-testid=testid
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
        </label>
    }
}
