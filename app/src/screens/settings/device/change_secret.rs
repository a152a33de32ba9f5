use health_book::device::secret::check_confirmation;
use leptos::prelude::*;

use crate::components::SecretField;
use crate::context::use_vault;
use crate::i18n::errors::{secret_problem_msg, vault_error_msg};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// Changes the unlocked person's secret: one key is wrapped again, no record is touched.
#[component]
pub fn ChangeSecret() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Msg>);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let (old, fresh) = (current.get_untracked(), new.get_untracked());
        if let Err(p) = check_confirmation(&fresh, &again.get_untracked()) {
            outcome.set(Some(secret_problem_msg(p)));
            return;
        }
        leptos::task::spawn_local(async move {
            let result = vault.change_secret(&old, &fresh).await;
            outcome.set(Some(match result {
                Ok(()) => {
                    for field in [current, new, again] {
                        field.set(String::new());
                    }
                    Msg::VaultSaved
                }
                Err(e) => vault_error_msg(&e, time::OffsetDateTime::now_utc()),
            }));
        });
    };
    view! {
        <form class="change-secret" on:submit=submit data-testid="change-secret">
            <h3>{t!(i18n, VaultChangeSecret)}</h3>
            <SecretField label=Msg::VaultYourPassphrase value=current autocomplete="current-password" />
            <SecretField label=Msg::VaultNewPassphrase value=new autocomplete="new-password" />
            <SecretField label=Msg::VaultPassphraseAgain value=again autocomplete="new-password" />
            <p class="warning">{t!(i18n, VaultForgottenWarning)}</p>
            <button type="submit">{t!(i18n, VaultChangeSecret)}</button>
            {move || outcome.get().map(|msg| view! { <p role="status">{i18n.t(msg)}</p> })}
        </form>
    }
}
