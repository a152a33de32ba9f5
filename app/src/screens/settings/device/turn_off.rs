use leptos::prelude::*;

use crate::components::{run_vault_action, SecretField};
use crate::context::use_vault;
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// Removes a personal device's PIN or passphrase: only after saying what it means (anyone can
/// then read the books) and the current secret. All or nothing, like setting it.
#[component]
pub fn TurnOff() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let asked = RwSignal::new(false);
    let current = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Msg>);
    // On success the device is plain and this card is replaced by the set-up form.
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let typed = current.get_untracked();
        current.set(String::new());
        run_vault_action(busy, problem, async move { vault.disable(&typed).await });
    };
    view! {
        <section class="turn-off" data-testid="turn-off">
            <h3>{t!(i18n, VaultTurnOffTitle)}</h3>
            <Show
                when=move || asked.get()
                fallback=move || view! {
                    <button type="button" class="secondary" on:click=move |_| asked.set(true) data-testid="turn-off-start">
                        {t!(i18n, VaultTurnOffStart)}
                    </button>
                }
            >
                <form on:submit=submit>
                    <p class="warning">{t!(i18n, VaultTurnOffExplain)}</p>
                    <SecretField
                        label=Msg::VaultPinOrPassphrase
                        value=current
                        autocomplete="current-password"
                        testid="turn-off-secret"
                    />
                    <button type="submit" class="danger" disabled=move || busy.get() data-testid="turn-off-confirm">
                        {move || if busy.get() { i18n.t(Msg::VaultTurningOff) } else { i18n.t(Msg::VaultTurnOffConfirm) }}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| asked.set(false)>
                        {t!(i18n, VaultCancel)}
                    </button>
                    {move || problem.get().map(|msg| view! { <p role="alert" data-testid="turn-off-problem">{i18n.t(msg)}</p> })}
                </form>
            </Show>
        </section>
    }
}
