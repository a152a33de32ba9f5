//! Turning encryption on was interrupted (the page was closed midway): the books are all there,
//! still readable, and nothing else shows until the secret chosen then finishes the migration,
//! or it is given up and the device stays as it was.

use leptos::prelude::*;

use crate::components::{run_vault_action, SecretField};
use crate::context::use_vault;
use crate::i18n::{use_i18n, Msg};
use crate::t;

#[component]
pub fn ResumeEncryptionScreen() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let secret = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Msg>);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let typed = secret.get_untracked();
        secret.set(String::new());
        run_vault_action(busy, problem, async move { vault.resume(&typed).await });
    };
    let give_up =
        move |_| run_vault_action(busy, problem, async move { vault.give_up_resume().await });
    view! {
        <main id="main" class="unlock-screen" data-testid="resume-encryption">
            <h1 class="screen-title">{t!(i18n, VaultResumeTitle)}</h1>
            <p>{t!(i18n, VaultResumeExplain)}</p>
            <form class="unlock-form" on:submit=submit>
                <SecretField
                    label=Msg::VaultPinOrPassphrase
                    value=secret
                    autocomplete="current-password"
                    testid="resume-secret"
                />
                <button type="submit" disabled=move || busy.get() data-testid="resume-submit">
                    {move || if busy.get() { i18n.t(Msg::VaultResuming) } else { i18n.t(Msg::VaultResumeSubmit) }}
                </button>
                <button type="button" class="secondary" on:click=give_up disabled=move || busy.get() data-testid="resume-give-up">
                    {t!(i18n, VaultResumeCancel)}
                </button>
                {move || problem.get().map(|msg| view! { <p role="alert" data-testid="resume-problem">{i18n.t(msg)}</p> })}
            </form>
        </main>
    }
}
