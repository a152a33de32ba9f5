use leptos::prelude::*;

use crate::components::SecretField;
use crate::context::use_vault;
use crate::i18n::errors::vault_error_msg;
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
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let typed = current.get_untracked();
        leptos::task::spawn_local(async move {
            let result = vault.disable(&typed).await;
            current.set(String::new());
            busy.set(false);
            // On success the device is plain and this card is replaced by the set-up form.
            if let Err(error) = result {
                problem.set(Some(vault_error_msg(
                    &error,
                    time::OffsetDateTime::now_utc(),
                )));
            }
        });
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
