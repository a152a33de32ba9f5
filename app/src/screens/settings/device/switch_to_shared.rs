use health_book::device::secret::check_confirmation;
use leptos::prelude::*;

use super::new_staff_fields::NewStaffFields;
use crate::components::SecretField;
use crate::context::use_vault;
use crate::i18n::errors::{secret_problem_msg, vault_error_msg};
use crate::i18n::{use_i18n, Msg};
use crate::t;

/// A personal device with a PIN or passphrase becomes a shared one: the first staff member's
/// passphrase replaces the personal secret (the records stay as they are).
#[component]
pub fn SwitchToShared() -> impl IntoView {
    let i18n = use_i18n();
    let vault = use_vault();
    let name = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let current = RwSignal::new(String::new());
    let outcome = RwSignal::new(None::<Msg>);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let (staff, passphrase) = (name.get_untracked(), secret.get_untracked());
        if let Err(p) = check_confirmation(&passphrase, &again.get_untracked()) {
            outcome.set(Some(secret_problem_msg(p)));
            return;
        }
        let personal = current.get_untracked();
        leptos::task::spawn_local(async move {
            if let Err(e) = vault.switch_to_shared(&personal, &staff, &passphrase).await {
                outcome.set(Some(vault_error_msg(&e, time::OffsetDateTime::now_utc())));
            }
        });
    };
    view! {
        <form class="switch-to-shared" on:submit=submit data-testid="switch-to-shared">
            <h3>{t!(i18n, VaultSwitchToShared)}</h3>
            <p class="hint">{t!(i18n, VaultModeSharedHint)}</p>
            <NewStaffFields name secret again />
            <SecretField label=Msg::VaultYourPin value=current autocomplete="current-password" />
            <p class="warning">{t!(i18n, VaultForgottenWarning)}</p>
            <button type="submit">{t!(i18n, VaultSwitchToShared)}</button>
            {move || outcome.get().map(|msg| view! { <p role="status">{i18n.t(msg)}</p> })}
        </form>
    }
}
